import Curl
import MOTestSupport
import Testing

@Suite("Errors")
struct CurlErrorTests {
    @Test("error descriptions are one line and carry no header values or bodies")
    func descriptionsLeakNothing() throws {
        let secret = "s3cr3t-token"
        let server = try FakeHTTPServer { request in
            switch request.path {
            case "/slow": return .neverAnswer
            case "/big": return .status(200, headers: [("X-Echo", secret)], body: Array(repeating: 65, count: 100))
            default: return .redirect(to: "file:///\(secret)")
            }
        }
        defer { server.stop() }
        let easy = try CurlEasy()
        func request(_ path: String) -> HTTPClientRequest {
            var request = localRequest("\(server.url)\(path)", method: "POST",
                                       headers: [("Authorization", "Bearer \(secret)")], body: Array(secret.utf8))
            request.timeout = .milliseconds(200)
            request.maxResponseBytes = 10
            request.maxRedirects = 1
            return request
        }
        var injected = request("/x")
        injected.headers.append(("X-Note", "\(secret)\r\nX-Other: 1"))
        let errors = [
            failure { try easy.perform(request("/slow")) },
            failure { try easy.perform(request("/big")) },
            failure { try easy.perform(request("/redirect")) },
            failure { try easy.perform(injected) },
        ]
        #expect(errors.map { $0?.kind } == [.timeout, .tooLarge, .protocolRefused, .invalidRequest])
        for error in errors.compactMap({ $0 }) {
            #expect(!error.description.contains(secret), "\(error.kind) leaks")
            #expect(!error.description.contains("\n") && !error.description.contains("\r"))
            #expect(error.description.contains("curl \(error.code)"))
        }
    }

    @Test("only timeouts, resolution, connection failures and interruptions are transient")
    func transientKinds() {
        let transient: [CurlError.Kind] = [.timeout, .resolve, .connect, .interrupted]
        let permanent: [CurlError.Kind] = [.addressRefused("10.0.0.1"), .tooLarge, .tls, .protocolRefused,
                                           .tooManyRedirects, .aborted, .malformedResponse, .invalidRequest, .other]
        for kind in transient { #expect(CurlError(kind: kind, code: 0, message: "").isTransient) }
        for kind in permanent { #expect(!CurlError(kind: kind, code: 0, message: "").isTransient) }
    }

    @Test("a message with line breaks is kept to its first line")
    func messageIsOneLine() {
        let error = CurlError(kind: .other, code: 99, message: "first line\r\nsecond line")
        #expect(error.message == "first line")
        #expect(error.description == "HTTP request failed (curl 99: first line)")
    }
}
