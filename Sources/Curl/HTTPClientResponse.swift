/// A completed HTTP exchange: any status, 2xx to 5xx, is a response rather than an error. Value type, usable
/// from any thread.
public struct HTTPClientResponse: Sendable {
    public var status: Int
    /// The header lines of the final response (after redirects), in the order received, names as sent.
    public var headers: [(name: String, value: String)]
    /// The body, or empty when a sink received it.
    public var body: [UInt8]
    /// The URL of the final response, after redirects.
    public var effectiveURL: String
    /// The numeric address of the server that sent the final response ("127.0.0.1", "::1").
    public var primaryIP: String
    /// Redirects followed.
    public var redirects: Int

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8], effectiveURL: String,
                primaryIP: String, redirects: Int) {
        self.status = status
        self.headers = headers
        self.body = body
        self.effectiveURL = effectiveURL
        self.primaryIP = primaryIP
        self.redirects = redirects
    }

    /// The first value of a header, case-insensitive on the name.
    public func value(of name: String) -> String? {
        headers.first { $0.name.asciiCaseInsensitiveEquals(name) }?.value
    }

    /// Every value of a header, case-insensitive on the name, in the order received.
    public func values(of name: String) -> [String] {
        headers.compactMap { $0.name.asciiCaseInsensitiveEquals(name) ? $0.value : nil }
    }
}
