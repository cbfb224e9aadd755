/// Why a request produced no HTTP response. Value type, usable from any thread.
///
/// `description` is one line an operator can act on: what failed, then libcurl's code and message. It never holds
/// header values or bodies; libcurl's messages name at most a host, an address and a port.
public struct CurlError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The total timeout, the connect timeout or the low-speed limit ran out.
        case timeout
        /// The host name did not resolve.
        case resolve
        /// No TCP connection could be made (refused, unreachable).
        case connect
        /// The address filter refused the numeric address libcurl was about to use.
        case addressRefused(String)
        /// The body is larger than `maxResponseBytes` (declared or streamed).
        case tooLarge
        /// The TLS handshake or certificate verification failed.
        case tls
        /// The URL's scheme, or a redirect's, is not in `allowedProtocols`.
        case protocolRefused
        /// More redirects than `maxRedirects`.
        case tooManyRedirects
        /// The body sink returned false.
        case aborted
        /// The connection broke mid-exchange: a send or receive failed, the server closed without a reply, or
        /// the body ended before its declared length.
        case interrupted
        /// The server's reply was not HTTP libcurl could read.
        case malformedResponse
        /// The request itself was refused before anything was sent (see `message`).
        case invalidRequest
        case other
    }

    public let kind: Kind
    /// libcurl's CURLcode (43, bad argument, for requests refused before libcurl saw them).
    public let code: Int32
    /// libcurl's message (or ours), one line.
    public let message: String

    public init(kind: Kind, code: Int32, message: String) {
        self.kind = kind
        self.code = code
        self.message = CurlError.oneLine(message)
    }

    static func invalidRequest(_ message: String) -> CurlError {
        CurlError(kind: .invalidRequest, code: 43, message: message)
    }

    /// True when the same request may succeed later: timeouts, name resolution, connection failures and
    /// connections that broke mid-transfer. Refusals, limits and TLS failures are permanent.
    public var isTransient: Bool {
        switch kind {
        case .timeout, .resolve, .connect, .interrupted: return true
        default: return false
        }
    }

    public var description: String {
        "\(summary) (curl \(code): \(message))"
    }

    private var summary: String {
        switch kind {
        case .timeout: return "HTTP request timed out"
        case .resolve: return "could not resolve the host name"
        case .connect: return "could not connect to the server"
        case .addressRefused(let address): return "refused to connect to \(address): the address filter does not allow it"
        case .tooLarge: return "response body is larger than the limit"
        case .tls: return "TLS handshake or certificate verification failed"
        case .protocolRefused: return "URL scheme not allowed for this request or its redirect"
        case .tooManyRedirects: return "too many redirects"
        case .aborted: return "the body sink stopped the transfer"
        case .interrupted: return "connection broke during the HTTP exchange"
        case .malformedResponse: return "server reply is not valid HTTP"
        case .invalidRequest: return "HTTP request refused before sending"
        case .other: return "HTTP request failed"
        }
    }

    /// The first line, control characters dropped, at most 300 characters.
    static func oneLine(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let printable = String(String.UnicodeScalarView(line.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
        let trimmed = printable.trimmingSpaces()
        return trimmed.count > 300 ? String(trimmed.prefix(300)) + "…" : trimmed
    }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while scalars.first == " " || scalars.first == "\t" { scalars.removeFirst() }
        while scalars.last == " " || scalars.last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
