import Curl
import MOTestSupport
import Testing

@Suite("Requests and responses")
struct CurlRequestTests {
    @Test("a GET arrives with its path, query and headers, and the body comes back")
    func getArrivesExactly() throws {
        let server = try FakeHTTPServer { _ in .status(200, body: "hello") }
        defer { server.stop() }
        let easy = try CurlEasy()
        let response = try easy.perform(localRequest("\(server.url)/media/abc?x=1&y=%20z",
                                                     headers: [("X-Trace", "t-1"), ("Accept", "application/json")]))
        #expect(response.status == 200)
        #expect(response.body == Array("hello".utf8))
        let request = try #require(server.requests.first)
        #expect(request.method == "GET")
        #expect(request.path == "/media/abc")
        #expect(request.query == "x=1&y=%20z")
        #expect(request.value(of: "X-Trace") == "t-1")
        #expect(request.values(of: "Accept") == ["application/json"])
        #expect(request.value(of: "User-Agent") == "mo-receiver")
        #expect(request.value(of: "Content-Length") == nil)
        #expect(request.body.isEmpty)
    }

    @Test("a POST body arrives byte for byte with its length and content type, without Expect")
    func postBodyArrivesExactly() throws {
        let server = try FakeHTTPServer { _ in .status(202) }
        defer { server.stop() }
        let body = (0..<4096).map { UInt8(truncatingIfNeeded: $0) }   // NUL, CR, LF and every other byte value
        let response = try CurlEasy().perform(localRequest("\(server.url)/send", method: "POST",
                                                           headers: [("Content-Type", "application/octet-stream"),
                                                                     ("Authorization", "Bearer token-1")],
                                                           body: body))
        #expect(response.status == 202)
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.body == body)
        #expect(request.value(of: "Content-Length") == "4096")
        #expect(request.value(of: "Content-Type") == "application/octet-stream")
        #expect(request.value(of: "Authorization") == "Bearer token-1")
        #expect(request.value(of: "Expect") == nil)
    }

    @Test("a body without a Content-Type goes out without libcurl's form default")
    func noDefaultContentType() throws {
        let server = try FakeHTTPServer()
        defer { server.stop() }
        _ = try CurlEasy().perform(localRequest(server.url, method: "POST", body: Array("{}".utf8)))
        let request = try #require(server.requests.first)
        #expect(request.value(of: "Content-Type") == nil)
        #expect(request.bodyText == "{}")
    }

    @Test("PUT, PATCH and DELETE are sent by name with their bodies", arguments: ["PUT", "PATCH", "DELETE"])
    func otherMethods(method: String) throws {
        let server = try FakeHTTPServer { _ in .status(204) }
        defer { server.stop() }
        let response = try CurlEasy().perform(localRequest("\(server.url)/thing/1", method: method,
                                                           body: Array("payload-\(method)".utf8)))
        #expect(response.status == 204)
        let request = try #require(server.requests.first)
        #expect(request.method == method)
        #expect(request.bodyText == "payload-\(method)")
    }

    @Test("a DELETE without a body sends no body and no Content-Length")
    func deleteWithoutBody() throws {
        let server = try FakeHTTPServer { _ in .status(204) }
        defer { server.stop() }
        _ = try CurlEasy().perform(localRequest("\(server.url)/thing/1", method: "DELETE"))
        let request = try #require(server.requests.first)
        #expect(request.method == "DELETE")
        #expect(request.body.isEmpty)
        #expect(request.value(of: "Content-Length") == nil)
    }

    @Test("HEAD returns the headers and no body")
    func headHasNoBody() throws {
        let server = try FakeHTTPServer { _ in .raw("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Size: 5\r\n\r\n") }
        defer { server.stop() }
        let response = try CurlEasy().perform(localRequest(server.url, method: "HEAD"))
        #expect(response.status == 200)
        #expect(response.value(of: "x-size") == "5")
        #expect(response.body.isEmpty)
        #expect(server.requests.first?.method == "HEAD")
    }

    @Test("2xx, 4xx and 5xx statuses are returned with their bodies, not thrown",
          arguments: [200, 201, 204, 400, 401, 404, 429, 500, 502, 503])
    func statusesAreReturned(status: Int) throws {
        let server = try FakeHTTPServer { _ in
            status == 204 ? .status(204) : .status(status, body: "status \(status)")
        }
        defer { server.stop() }
        let response = try CurlEasy().perform(localRequest(server.url))
        #expect(response.status == status)
        #expect(response.body == (status == 204 ? [] : Array("status \(status)".utf8)))
    }

    @Test("response headers come back in order with names as sent and repeats kept")
    func responseHeaders() throws {
        let server = try FakeHTTPServer { _ in
            .raw("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Request-Id: abc-1\r\nSet-Cookie: a=1\r\n"
                 + "Set-Cookie: b=2\r\nX-Folded: first\r\n  second\r\nContent-Length: 2\r\n\r\nok")
        }
        defer { server.stop() }
        let response = try CurlEasy().perform(localRequest(server.url))
        #expect(response.headers.map(\.name) == ["Content-Type", "X-Request-Id", "Set-Cookie", "Set-Cookie", "X-Folded",
                                                 "Content-Length"])
        #expect(response.value(of: "content-type") == "text/plain")
        #expect(response.values(of: "set-cookie") == ["a=1", "b=2"])
        #expect(response.value(of: "X-Folded") == "first second")
        #expect(response.body == Array("ok".utf8))
    }

    @Test("the response names the effective URL and the server's numeric address")
    func effectiveURLAndAddress() throws {
        let server = try FakeHTTPServer()
        defer { server.stop() }
        let response = try CurlEasy().perform(localRequest("\(server.url)/x?y=1"))
        #expect(response.effectiveURL == "\(server.url)/x?y=1")
        #expect(response.primaryIP == "127.0.0.1")
        #expect(response.redirects == 0)
    }

    @Test("an empty header value is sent as an empty header")
    func emptyHeaderValue() throws {
        let server = try FakeHTTPServer()
        defer { server.stop() }
        _ = try CurlEasy().perform(localRequest(server.url, headers: [("X-Empty", "")]))
        let request = try #require(server.requests.first)
        #expect(request.headers.contains { $0.name == "X-Empty" && $0.value.isEmpty })
    }

    @Test("a header value with a line break or NUL is refused before anything is sent",
          arguments: ["CR LF": "a\r\nX-Injected: 1", "LF": "a\nb", "NUL": "a\u{0}b"].keys.sorted())
    func headerInjectionRefused(kind: String) throws {
        let values = ["CR LF": "a\r\nX-Injected: 1", "LF": "a\nb", "NUL": "a\u{0}b"]
        let server = try FakeHTTPServer()
        defer { server.stop() }
        let error = failure {
            try CurlEasy().perform(localRequest(server.url, headers: [("X-Note", values[kind]!)]))
        }
        #expect(error?.kind == .invalidRequest)
        #expect(server.connectionsAccepted == 0)
    }

    @Test("a method or header name that is not an HTTP token is refused",
          arguments: [("GE T", "X-Ok"), ("GET", "X Bad"), ("GET", "X:Bad"), ("", "X-Ok")])
    func tokensValidated(method: String, headerName: String) throws {
        let error = failure {
            try CurlEasy().perform(localRequest("http://127.0.0.1:9/", method: method, headers: [(headerName, "v")]))
        }
        #expect(error?.kind == .invalidRequest)
    }
}
