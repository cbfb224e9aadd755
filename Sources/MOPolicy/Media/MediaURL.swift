/// A media URL that passed `MediaURLPolicy`: parsed, normalized, and safe to hand to libcurl.
///
/// A pure value type with no owner: made by `MediaURLPolicy.check(_:)` (or `resolveRedirect`) on whichever task
/// runs the media job, and usable from any thread. Only the policy builds one, so every value holds an allowed
/// scheme, host and port.
///
/// `description` is the origin with the path elided (`https://cdn-1.messaging.cm.com/…`): media URLs are never
/// logged whole, because their query strings can act as keys (reliability-security.md §2.6). `absoluteString` is
/// the full text to fetch.
public struct MediaURL: Hashable, Sendable, CustomStringConvertible {
    /// The schemes a media URL may have. Everything else (`file`, `ftp`, `gopher`, `data`, `javascript`, …) is
    /// refused by the parser before it looks at the rest.
    public enum Scheme: String, Hashable, Sendable {
        case https
        /// Only when `MediaURLPolicy.Settings.allowPlainHTTP` is set (tests against a local server).
        case http

        /// 443 or 80.
        public var defaultPort: Int {
            switch self {
            case .https: 443
            case .http: 80
            }
        }
    }

    public let scheme: Scheme
    /// Lowercase host name without a trailing dot, or the canonical text of an IP literal (IPv6 without brackets);
    /// IP literals appear only when `MediaURLPolicy.Settings.allowIPLiteralHosts` is set.
    public let host: String
    /// The address when `host` is an IP literal, else `nil`.
    public let hostAddress: IPAddress?
    /// The effective port: the scheme's default when the URL gave none (or gave the default).
    public let port: Int
    /// Starts with `/`; `/` when the URL had no path. The query, if any, follows its `?`. Never a fragment.
    public let pathAndQuery: String

    init(scheme: Scheme, host: String, hostAddress: IPAddress?, port: Int, pathAndQuery: String) {
        self.scheme = scheme
        self.host = host
        self.hostAddress = hostAddress
        self.port = port
        self.pathAndQuery = pathAndQuery
    }

    /// `https://cdn-1.messaging.cm.com`, with `:port` only when it is not the scheme's default and brackets
    /// around an IPv6 literal. Safe to log.
    public var origin: String {
        var text = scheme.rawValue + "://"
        if case .v6? = hostAddress {
            text += "[" + host + "]"
        } else {
            text += host
        }
        if port != scheme.defaultPort { text += ":\(port)" }
        return text
    }

    /// The normalized URL to fetch: `origin + pathAndQuery`. Not for logs.
    public var absoluteString: String { origin + pathAndQuery }

    /// The origin and an ellipsis for the path: `https://cdn-1.messaging.cm.com/…`.
    public var description: String { origin + "/…" }
}
