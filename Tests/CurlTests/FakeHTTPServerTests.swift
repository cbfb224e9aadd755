import Curl
import MOTestSupport
import Testing

@Suite("The fake HTTP server")
struct FakeHTTPServerTests {
    @Test("a chunked request body is recorded de-chunked")
    func chunkedRequestBody() throws {
        let server = try FakeHTTPServer()
        defer { server.stop() }
        let body = patternBytes(5_000)
        _ = try CurlEasy().perform(localRequest(server.url, method: "POST",
                                                headers: [("Transfer-Encoding", "chunked"),
                                                          ("Content-Type", "application/octet-stream")],
                                                body: body))
        let request = try #require(server.requests.first)
        #expect(request.value(of: "Transfer-Encoding") == "chunked")
        #expect(request.body == body)
    }

    @Test("a handler set after start can redirect to the server's own absolute URL")
    func handlerReplaced() throws {
        let server = try FakeHTTPServer()
        defer { server.stop() }
        let base = server.url
        server.respond { request in
            request.path == "/a" ? .redirect(307, to: "\(base)/b") : .status(200, body: "at \(request.path)")
        }
        var request = localRequest("\(server.url)/a")
        request.maxRedirects = 1
        let response = try CurlEasy().perform(request)
        #expect(response.body == Array("at /b".utf8))
        #expect(response.effectiveURL == "\(base)/b")
        #expect(server.requests.map(\.path) == ["/a", "/b"])
    }

    @Test("requests are recorded in order with the time they arrived")
    func requestsRecordedInOrder() throws {
        let server = try FakeHTTPServer()
        defer { server.stop() }
        let easy = try CurlEasy()
        let clock = ContinuousClock()
        let before = clock.now
        for path in ["/1", "/2", "/3"] { _ = try easy.perform(localRequest("\(server.url)\(path)")) }
        let requests = server.requests
        #expect(requests.map(\.path) == ["/1", "/2", "/3"])
        #expect(requests.map(\.sequenceOnConnection) == [1, 2, 3])
        #expect(requests.allSatisfy { $0.receivedAt >= before && $0.receivedAt <= clock.now })
        #expect(zip(requests, requests.dropFirst()).allSatisfy { $0.receivedAt <= $1.receivedAt })
    }
}
