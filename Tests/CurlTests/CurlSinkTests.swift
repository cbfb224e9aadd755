import Curl
import MOTestSupport
import Testing

@Suite("Streaming the body to a sink")
struct CurlSinkTests {
    @Test("the sink receives every byte in order and the response body stays empty")
    func sinkReceivesEverything() throws {
        let body = patternBytes(300_000)
        let server = try FakeHTTPServer { _ in
            .chunked(chunks: [Array(body[..<1]), Array(body[1..<70_000]), Array(body[70_000..<70_003]),
                              Array(body[70_003...])])
        }
        defer { server.stop() }
        var received: [UInt8] = []
        var calls = 0
        let response = try CurlEasy().perform(localRequest(server.url), sink: { chunk in
            received.append(contentsOf: chunk)
            calls += 1
            return true
        })
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(received == body)
        #expect(calls >= 2)
    }

    @Test("a sink returning false stops the transfer with .aborted")
    func sinkAborts() throws {
        let server = try FakeHTTPServer { _ in
            .chunked(chunks: Array(repeating: patternBytes(1_000), count: 20), pauseMilliseconds: 100)
        }
        defer { server.stop() }
        var calls = 0
        let (error, took) = timed {
            failure { try CurlEasy().perform(localRequest(server.url), sink: { _ in calls += 1; return false }) }
        }
        #expect(error?.kind == .aborted)
        #expect(error?.isTransient == false)
        #expect(calls == 1)
        #expect(took < .seconds(1), "the whole body takes 2 s; stopping must not wait for it")
    }

    @Test("a sink is still held to maxResponseBytes while the body streams")
    func sinkHeldToLimit() throws {
        let server = try FakeHTTPServer { _ in .untilClose(body: patternBytes(10_000)) }
        defer { server.stop() }
        var request = localRequest(server.url)
        request.maxResponseBytes = 4_000
        var received = 0
        let error = failure { try CurlEasy().perform(request, sink: { received += $0.count; return true }) }
        #expect(error?.kind == .tooLarge)
        #expect(received <= 4_000)
    }

    @Test("a sink receives only the final response's body after redirects")
    func sinkSkipsRedirectBodies() throws {
        let server = try FakeHTTPServer { request in
            request.path == "/final" ? .status(200, body: "final")
                : .status(301, headers: [("Location", "/final")], body: "moved permanently, see /final")
        }
        defer { server.stop() }
        var request = localRequest("\(server.url)/old")
        request.maxRedirects = 1
        var received: [UInt8] = []
        let response = try CurlEasy().perform(request, sink: { received.append(contentsOf: $0); return true })
        #expect(response.status == 200)
        #expect(received == Array("final".utf8))
    }
}
