/// What the server knows of a request once its headers are in. Value type, usable from any thread.
public struct RequestHead: Sendable {
    public let method: String
    /// The path as received, not percent-decoded, without the query string.
    public let path: String
    /// The raw query string after "?", not decoded; nil when the URI had none.
    public let query: String?
    public let version: String
    /// Every header line in the order received (names as sent).
    public let headers: [(name: String, value: String)]
    /// The TCP peer's numeric address ("127.0.0.1", "::1"); "" when unknown.
    public let peer: String
    /// The declared Content-Length, nil when absent; -1 when present but not a valid number.
    public let contentLength: Int?
    /// A per-server sequence number, for correlating log lines.
    public let id: UInt64

    public init(method: String, path: String, query: String?, version: String,
                headers: [(name: String, value: String)], peer: String, contentLength: Int?, id: UInt64) {
        self.method = method
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.peer = peer
        self.contentLength = contentLength
        self.id = id
    }

    /// Every value of a header, case-insensitive on the name, in the order received.
    public func values(of name: String) -> [String] {
        headers.compactMap { $0.name.caseInsensitiveEquals(name) ? $0.value : nil }
    }

    /// The first value of a header.
    public func value(of name: String) -> String? {
        headers.first { $0.name.caseInsensitiveEquals(name) }?.value
    }
}

/// A response to send. Value type, usable from any thread.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// What to do once a request's headers are in. `Accepted` is the handler's own value for a request it lets through
/// (the webhook listener's: the endpoint and the client its trust boundary allowed); the server keeps it with the
/// request and hands it to `bodyTooLarge` or `request` unchanged, so nothing decided on the head is decided again.
public enum HeadDecision<Accepted: Sendable>: Sendable {
    /// Answer now without reading the body (the connection closes after if a body was pending).
    case respond(HTTPResponse)
    /// Read the body, up to `maxBytes`; past that the handler's `bodyTooLarge` answers.
    case readBody(maxBytes: Int, accepted: Accepted)
}

/// The application side of the server. Called on libmicrohttpd's threads: implementations must not block for long
/// (hand slow work to a thread of their own and answer through the responder).
public protocol HTTPHandler: AnyObject, Sendable {
    /// What `head` decides for a request it lets through, handed back with the body: `Never` for a handler that
    /// answers every request from its head.
    associatedtype Accepted: Sendable
    /// Headers are in: answer now, or ask for the body.
    func head(_ head: RequestHead) -> HeadDecision<Accepted>
    /// A streamed body passed the limit given in `readBody` (chunked, or a Content-Length that lied).
    func bodyTooLarge(_ head: RequestHead, accepted: Accepted, limit: Int) -> HTTPResponse
    /// The whole body is in. Call `responder.respond` exactly once, from any thread, now or later.
    func request(_ head: RequestHead, accepted: Accepted, body: [UInt8], responder: HTTPResponder)
    /// What `HTTPServer.stop` answers a request that is still waiting for its responder (typically a 503): the
    /// application's words, since the server knows nothing of its bodies.
    var shutdownResponse: HTTPResponse { get }
}

extension HTTPHandler where Accepted == Never {
    /// A handler that answers every request from its head never reads a body.
    public func bodyTooLarge(_ head: RequestHead, accepted: Never, limit: Int) -> HTTPResponse {}

    /// A handler that answers every request from its head never receives one.
    public func request(_ head: RequestHead, accepted: Never, body: [UInt8], responder: HTTPResponder) {}
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { x, y in
            x == y || (x | 0x20 == y | 0x20 && (x | 0x20) >= UInt8(ascii: "a") && (x | 0x20) <= UInt8(ascii: "z"))
        }
    }
}
