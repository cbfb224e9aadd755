import Curl
import MOTestSupport
import Testing

@Suite("Redirects and allowed protocols")
struct CurlRedirectTests {
    /// /hop/N redirects to /hop/N-1 with a body and a header of its own; /hop/0 is the final answer.
    static func hops(_ request: FakeRequest) -> FakeResponse {
        guard request.path.hasPrefix("/hop/"), let left = Int(request.path.dropFirst(5)) else { return .status(404) }
        if left == 0 { return .status(200, headers: [("X-Final", "yes")], body: "final") }
        return .status(302, headers: [("Location", "/hop/\(left - 1)"), ("X-Hop", "\(left)")], body: "moved")
    }

    @Test("redirects are followed up to maxRedirects, keeping only the final response")
    func followedUpToLimit() throws {
        let server = try FakeHTTPServer(Self.hops)
        defer { server.stop() }
        var request = localRequest("\(server.url)/hop/2")
        request.maxRedirects = 2
        let response = try CurlEasy().perform(request)
        #expect(response.status == 200)
        #expect(response.body == Array("final".utf8))
        #expect(response.redirects == 2)
        #expect(response.effectiveURL == "\(server.url)/hop/0")
        #expect(response.value(of: "X-Final") == "yes")
        #expect(response.value(of: "X-Hop") == nil)
        #expect(server.requests.map(\.path) == ["/hop/2", "/hop/1", "/hop/0"])
    }

    @Test("one redirect more than maxRedirects is .tooManyRedirects")
    func beyondLimitRefused() throws {
        let server = try FakeHTTPServer(Self.hops)
        defer { server.stop() }
        var request = localRequest("\(server.url)/hop/3")
        request.maxRedirects = 2
        let error = failure { try CurlEasy().perform(request) }
        #expect(error?.kind == .tooManyRedirects)
        #expect(error?.isTransient == false)
        #expect(server.requests.map(\.path) == ["/hop/3", "/hop/2", "/hop/1"])
    }

    @Test("with maxRedirects 0 a redirect is returned as it is")
    func notFollowedByDefault() throws {
        let server = try FakeHTTPServer(Self.hops)
        defer { server.stop() }
        let response = try CurlEasy().perform(localRequest("\(server.url)/hop/1"))
        #expect(response.status == 302)
        #expect(response.value(of: "Location") == "/hop/0")
        #expect(response.body == Array("moved".utf8))
        #expect(response.redirects == 0)
        #expect(server.requests.count == 1)
    }

    @Test("a POST answered with 303 continues as a GET without the body")
    func postSeeOther() throws {
        let server = try FakeHTTPServer { request in
            request.path == "/submit" ? .redirect(303, to: "/result") : .status(200, body: request.method)
        }
        defer { server.stop() }
        var request = localRequest("\(server.url)/submit", method: "POST", body: Array("data".utf8))
        request.maxRedirects = 1
        let response = try CurlEasy().perform(request)
        #expect(response.body == Array("GET".utf8))
        #expect(server.requests.map(\.method) == ["POST", "GET"])
        #expect(server.requests.last?.body.isEmpty == true)
    }

    @Test("an https-only request to an http URL is .protocolRefused and sends nothing")
    func httpsOnlyRefusesHTTP() throws {
        let server = try FakeHTTPServer()
        defer { server.stop() }
        let request = HTTPClientRequest(url: server.url)
        #expect(request.allowedProtocols == ["https"])
        let error = failure { try CurlEasy().perform(request) }
        #expect(error?.kind == .protocolRefused)
        #expect(error?.isTransient == false)
        #expect(server.connectionsAccepted == 0)
    }

    @Test("a redirect to a scheme outside allowedProtocols is refused",
          arguments: ["file:///etc/passwd", "ftp://127.0.0.1/x", "dict://127.0.0.1/x", "gopher://127.0.0.1/x",
                      "https://127.0.0.1/x"])
    func redirectToDisallowedScheme(location: String) throws {
        let server = try FakeHTTPServer { _ in .redirect(to: location) }
        defer { server.stop() }
        var request = localRequest(server.url)
        request.maxRedirects = 5
        #expect(failure { try CurlEasy().perform(request) }?.kind == .protocolRefused)
        #expect(server.requests.count == 1)
    }
}
