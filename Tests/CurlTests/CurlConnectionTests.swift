import Curl
import Foundation
import MOTestSupport
import Synchronization
import Testing

@Suite("Connections and handle reuse")
struct CurlConnectionTests {
    @Test("a closed port is .connect and transient")
    func closedPortRefused() throws {
        let server = try FakeHTTPServer()
        let url = server.url
        server.stop()
        let (error, took) = timed { failure { try CurlEasy().perform(localRequest(url)) } }
        #expect(error?.kind == .connect)
        #expect(error?.isTransient == true)
        #expect(took < .seconds(2))
    }

    @Test("an unroutable address gives up after the connect timeout")
    func connectTimeout() throws {
        // 192.0.2.0/24 is TEST-NET-1: packets go nowhere, or the network is unreachable at once.
        var request = localRequest("http://192.0.2.1:81/")
        request.connectTimeout = .milliseconds(300)
        let (error, took) = timed { failure { try CurlEasy().perform(request) } }
        #expect(error?.kind == .timeout || error?.kind == .connect)
        #expect(error?.isTransient == true)
        #expect(took < .milliseconds(1_500))
    }

    @Test("TLS to a server that does not speak it is .tls and permanent")
    func tlsHandshakeFails() throws {
        let server = try FakeHTTPServer()
        defer { server.stop() }
        let request = HTTPClientRequest(url: "https://127.0.0.1:\(server.port)/", timeout: .seconds(5))
        let error = failure { try CurlEasy().perform(request) }
        #expect(error?.kind == .tls)
        #expect(error?.isTransient == false)
        #expect(server.requests.isEmpty)
    }

    @Test("fifty sequential requests on one handle succeed over one kept-alive connection")
    func handleReuse() throws {
        let server = try FakeHTTPServer { request in .status(200, body: "n=\(request.query ?? "")") }
        defer { server.stop() }
        let easy = try CurlEasy()
        for index in 1...50 {
            let method = index.isMultiple(of: 2) ? "POST" : "GET"
            let body = method == "POST" ? Array("body \(index)".utf8) : []
            let response = try easy.perform(localRequest("\(server.url)/r?\(index)", method: method, body: body))
            #expect(response.status == 200)
            #expect(response.body == Array("n=\(index)".utf8))
        }
        let requests = server.requests
        #expect(requests.count == 50)
        #expect(requests.filter { $0.method == "POST" }.map(\.bodyText) == (1...25).map { "body \($0 * 2)" })
        #expect(server.connectionsAccepted == 1)
        #expect(requests.last?.sequenceOnConnection == 50)
    }

    @Test("a server that answers Connection: close gets a new connection for the next request")
    func serverCloseHonoured() throws {
        let server = try FakeHTTPServer { _ in FakeResponse.status(200, headers: [("Connection", "close")], body: "x").closing() }
        defer { server.stop() }
        let easy = try CurlEasy()
        for _ in 1...3 { #expect(try easy.perform(localRequest(server.url)).body == Array("x".utf8)) }
        #expect(server.connectionsAccepted == 3)
    }

    @Test("a handle that failed works for the next request")
    func handleUsableAfterFailure() throws {
        let server = try FakeHTTPServer { request in
            request.path == "/slow" ? .neverAnswer : .status(200, body: "ok")
        }
        defer { server.stop() }
        let easy = try CurlEasy()
        var slow = localRequest("\(server.url)/slow")
        slow.timeout = .milliseconds(200)
        #expect(failure { try easy.perform(slow) }?.kind == .timeout)
        var big = localRequest("\(server.url)/big")
        big.maxResponseBytes = 1
        #expect(failure { try easy.perform(big) }?.kind == .tooLarge)
        // Neither the timeout nor the limit of the failed requests leaks into this one.
        #expect(try easy.perform(localRequest("\(server.url)/ok")).body == Array("ok".utf8))
    }

    @Test("stopping the fake server releases a held connection promptly")
    func stopReleasesHeldConnection() throws {
        let server = try FakeHTTPServer { _ in .neverAnswer }
        let outcome = ClientOutcome()
        let url = server.url
        let client = Thread {
            let error = failure { try CurlEasy().perform(localRequest(url)) }
            outcome.state.withLock { $0 = (true, error) }
        }
        client.start()
        #expect(server.waitForRequests(1).count == 1)
        let (_, took) = timed { server.stop() }
        #expect(took < .seconds(2))
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(3))
        while !outcome.state.withLock({ $0.finished }) && clock.now < deadline { usleep(5_000) }
        let (finished, error) = outcome.state.withLock { $0 }
        #expect(finished)
        #expect(error?.kind == .interrupted)
    }
}

/// What a client thread reports back to the test.
private final class ClientOutcome: Sendable {
    let state = Mutex<(finished: Bool, error: CurlError?)>((false, nil))
}
