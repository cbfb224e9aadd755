/// One outgoing HTTP request and the limits it runs under. Value type, usable from any thread.
///
/// TLS 1.2 or newer and certificate verification are always on; there is no option to weaken them.
public struct HTTPClientRequest: Sendable {
    /// "GET", "POST", "PUT", "DELETE", "HEAD", … (an HTTP token).
    public var method: String
    public var url: String
    /// Sent in this order after libcurl's own Host, User-Agent ("mo-receiver") and Accept. A header named here
    /// replaces libcurl's of the same name. Values may not contain CR, LF or NUL.
    public var headers: [(name: String, value: String)]
    /// Sent as is with a Content-Length. libcurl's default form Content-Type is not added: set one.
    public var body: [UInt8]
    /// Limit for name resolution plus the TCP and TLS handshakes.
    public var connectTimeout: Duration
    /// Limit for the whole transfer, redirects included.
    public var timeout: Duration
    /// Abort with `.timeout` when fewer than `bytesPerSecond` arrive for `seconds` in a row.
    public var lowSpeed: (bytesPerSecond: Int, seconds: Int)?
    /// The largest response body accepted: checked against a declared Content-Length before the body is read,
    /// and again while it streams (chunked or close-delimited bodies, lengths that lie). Past it: `.tooLarge`.
    public var maxResponseBytes: Int
    /// URL schemes allowed for the request and for every redirect hop, lowercase ("https", "http").
    public var allowedProtocols: [String]
    /// Redirects followed at most; 0 returns a 3xx response as it is.
    public var maxRedirects: Int

    public init(method: String = "GET", url: String, headers: [(name: String, value: String)] = [],
                body: [UInt8] = [], connectTimeout: Duration = .seconds(5), timeout: Duration = .seconds(30),
                lowSpeed: (bytesPerSecond: Int, seconds: Int)? = nil, maxResponseBytes: Int = 16 * 1024 * 1024,
                allowedProtocols: [String] = ["https"], maxRedirects: Int = 0) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.lowSpeed = lowSpeed
        self.maxResponseBytes = maxResponseBytes
        self.allowedProtocols = allowedProtocols
        self.maxRedirects = maxRedirects
    }
}

extension HTTPClientRequest {
    /// Refuses what libcurl would send wrongly or not at all: names and values that would split a header line,
    /// a URL cut short by a NUL, limits below zero. The message names the field, never its value.
    func validate() throws(CurlError) {
        guard isToken(method) else { throw .invalidRequest("the method is not an HTTP token") }
        guard !url.utf8.contains(0) else { throw .invalidRequest("the URL contains a NUL byte") }
        for (index, header) in headers.enumerated() {
            guard isToken(header.name) else { throw .invalidRequest("header \(index + 1) has an invalid name") }
            guard !header.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                throw .invalidRequest("header '\(header.name)' has a line break or NUL in its value")
            }
        }
        guard !allowedProtocols.isEmpty else { throw .invalidRequest("no URL scheme is allowed") }
        for (index, scheme) in allowedProtocols.enumerated() where !isScheme(scheme) {
            throw .invalidRequest("allowed protocol \(index + 1) is not a lowercase URL scheme")
        }
        guard maxResponseBytes >= 0 else { throw .invalidRequest("maxResponseBytes is negative") }
        guard maxRedirects >= 0 else { throw .invalidRequest("maxRedirects is negative") }
        if let lowSpeed, lowSpeed.bytesPerSecond < 1 || lowSpeed.seconds < 1 {
            throw .invalidRequest("lowSpeed needs at least 1 byte per second over at least 1 second")
        }
    }

    /// The header lines handed to libcurl. An empty value is written "Name;" (libcurl's spelling for "send this
    /// header empty"); "Expect:" and, with a body, "Content-Type:" switch off libcurl's defaults unless the caller
    /// set them.
    var headerLines: [String] {
        var lines = headers.map { $0.value.isEmpty ? "\($0.name);" : "\($0.name): \($0.value)" }
        if !hasHeader("Expect") { lines.append("Expect:") }
        if !body.isEmpty && !hasHeader("Content-Type") { lines.append("Content-Type:") }
        return lines
    }

    private func hasHeader(_ name: String) -> Bool {
        headers.contains { $0.name.asciiCaseInsensitiveEquals(name) }
    }
}

/// RFC 9110 token: visible ASCII except delimiters.
private func isToken(_ text: String) -> Bool {
    !text.isEmpty && text.utf8.allSatisfy { byte in
        byte > 0x20 && byte < 0x7F && !"\"(),/:;<=>?@[\\]{}".utf8.contains(byte)
    }
}

/// RFC 3986 scheme in lowercase: a letter, then letters, digits, "+", "-", ".".
private func isScheme(_ text: String) -> Bool {
    guard let first = text.utf8.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") else { return false }
    return text.utf8.allSatisfy { byte in
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
}

extension String {
    func asciiCaseInsensitiveEquals(_ other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { x, y in
            x == y || (x | 0x20 == y | 0x20 && (x | 0x20) >= UInt8(ascii: "a") && (x | 0x20) <= UInt8(ascii: "z"))
        }
    }
}
