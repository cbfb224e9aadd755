import Curl
import MOTestSupport
import Testing

@Suite("The address filter")
struct CurlAddressFilterTests {
    @Test("a filter refusing 127.0.0.1 is .addressRefused and the server sees no connection")
    func refusedBeforeConnecting() throws {
        let server = try FakeHTTPServer()
        defer { server.stop() }
        let error = failure {
            try CurlEasy().perform(localRequest("\(server.url)/media"), addressFilter: { address, _ in address != "127.0.0.1" })
        }
        #expect(error?.kind == .addressRefused("127.0.0.1"))
        #expect(error?.isTransient == false)
        #expect(server.waitForRequests(1, timeout: .milliseconds(100)).isEmpty)
        #expect(server.connectionsAccepted == 0)
    }

    @Test("the filter is asked once per new connection with the numeric address and port")
    func askedWithAddressAndPort() throws {
        let server = try FakeHTTPServer()
        defer { server.stop() }
        var asked: [String] = []
        let response = try CurlEasy().perform(localRequest(server.url), addressFilter: { address, port in
            asked.append("\(address) \(port)")
            return true
        })
        #expect(response.status == 200)
        #expect(asked == ["127.0.0.1 \(server.port)"])
    }

    @Test("every redirect hop is checked again, also on a reused connection")
    func redirectHopChecked() throws {
        let server = try FakeHTTPServer { request in
            request.path == "/start" ? .redirect(to: "/internal") : .status(200, body: "secret")
        }
        defer { server.stop() }
        var request = localRequest("\(server.url)/start")
        request.maxRedirects = 3
        var calls = 0
        let error = failure {
            try CurlEasy().perform(request, addressFilter: { _, _ in calls += 1; return calls == 1 })
        }
        #expect(error?.kind == .addressRefused("127.0.0.1"))
        #expect(calls == 2)
        #expect(server.requests.map(\.path) == ["/start"])
    }

    @Test("a connection opened without a filter is checked before a filtered request reuses it")
    func reusedConnectionChecked() throws {
        let server = try FakeHTTPServer()
        defer { server.stop() }
        let easy = try CurlEasy()
        #expect(try easy.perform(localRequest("\(server.url)/first")).status == 200)
        let error = failure { try easy.perform(localRequest("\(server.url)/second"), addressFilter: { _, _ in false }) }
        #expect(error?.kind == .addressRefused("127.0.0.1"))
        #expect(server.requests.map(\.path) == ["/first"])
        // The handle stays usable for allowed requests.
        #expect(try easy.perform(localRequest("\(server.url)/third"), addressFilter: { _, _ in true }).status == 200)
        #expect(server.requests.map(\.path) == ["/first", "/third"])
    }
}
