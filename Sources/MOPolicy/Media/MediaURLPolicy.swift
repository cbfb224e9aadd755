/// The first SSRF check of the media downloader: whether a `mediaUri` from a webhook may be fetched at all.
///
/// A pure value type with no shared state: built once from config and shared by every media worker; `check` runs
/// on whichever task handles a media job. It looks at text only and opens nothing.
///
/// Media URLs are parsed here by a small strict parser written for this one purpose, not by Foundation's `URL`
/// or `URLComponents`, which differ across platforms and accept text that curl reads differently. The parser
/// accepts only `scheme://host[:port][/path][?query]` in plain ASCII and refuses, rather than repairs, anything
/// else (see `MediaURLError` for every case). The result is normalized (lowercase scheme and host, no default
/// port, `/` for an empty path), and its `absoluteString` is what the downloader hands to libcurl, so what was
/// checked is what is fetched.
///
/// Decisions:
/// - https only; http only with `allowPlainHTTP` (tests).
/// - The host must match the allowlist (`MediaHostPattern`; by default `MediaHostPattern.cmMediaHosts`).
/// - Hosts are never decoded or repaired: percent-encoding, non-ASCII and `xn--` labels, and a trailing dot are
///   refused (CM's hosts have none of these, and refusing removes every way two parsers could disagree about
///   which host is meant).
/// - IP literals, and numbers that resolvers read as IPv4 (`2130706433`, `0x7f.1`, `017700000001`, `127.1`), are
///   refused unless `allowIPLiteralHosts` (tests); even then only a plain dotted quad or bracketed IPv6 that the
///   allowlist names exactly.
/// - Only the scheme's default port, plus `allowedPorts` (tests).
/// - User info is refused, so `https://cdn-1.messaging.cm.com@evil.com/` never reaches the host check.
///
/// This check cannot see where a name resolves. The second check, `DestinationPolicy`, runs on the numeric address
/// libcurl is about to connect to (its open-socket callback), which defeats DNS rebinding and a CDN name pointing
/// inside. Redirects are followed by hand (`CURLOPT_FOLLOWLOCATION` off): each `Location` goes through
/// `resolveRedirect(location:from:)`, which runs this whole check again on the new URL, and the new connection
/// passes `DestinationPolicy` again; the downloader stops after 3 hops.
public struct MediaURLPolicy: Sendable {
    /// `media.*` settings; the defaults are the production values.
    public struct Settings: Sendable, Equatable {
        /// Hosts that may be fetched. Default: `MediaHostPattern.cmMediaHosts`.
        public var allowedHosts: [MediaHostPattern]
        /// The longest URL accepted, in bytes of UTF-8. Default 2048 (reliability-security.md §2.4: `mediaUri` ≤ 2 KiB).
        public var maxLength: Int
        /// Tests only: also accept `http` (port 80 by default).
        public var allowPlainHTTP: Bool
        /// Tests only: accept an IP-literal host (`127.0.0.1`, `[::1]`) when `allowedHosts` names that address.
        public var allowIPLiteralHosts: Bool
        /// Tests only: ports accepted besides the scheme's default.
        public var allowedPorts: Set<Int>

        public init(allowedHosts: [MediaHostPattern] = MediaHostPattern.cmMediaHosts, maxLength: Int = 2048,
                    allowPlainHTTP: Bool = false, allowIPLiteralHosts: Bool = false, allowedPorts: Set<Int> = []) {
            self.allowedHosts = allowedHosts
            self.maxLength = maxLength
            self.allowPlainHTTP = allowPlainHTTP
            self.allowIPLiteralHosts = allowIPLiteralHosts
            self.allowedPorts = allowedPorts
        }
    }

    public let settings: Settings

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// The URL, parsed and normalized, when every rule passes; otherwise the first rule it breaks.
    public func check(_ text: String) throws(MediaURLError) -> MediaURL {
        let length = text.utf8.count
        guard length > 0 else { throw .empty }
        guard length <= settings.maxLength else { throw .tooLong(length: length, limit: settings.maxLength) }
        return try MediaURLParser(bytes: Array(text.utf8), settings: settings).parse()
    }

    /// The URL a redirect from `current` leads to, checked like a URL from a webhook.
    ///
    /// `location` is the `Location` field value (surrounding spaces and tabs are ignored). An absolute URL is
    /// checked as it is; a reference without a scheme is resolved against `current` first (RFC 3986 §5.2:
    /// `//host/path` keeps the scheme, `/path` and `?query` keep the origin, `name` replaces the last path segment).
    /// A scheme change (https → http) is refused by the scheme rule unless http is allowed.
    public func resolveRedirect(location: String, from current: MediaURL) throws(MediaURLError) -> MediaURL {
        let field = ASCII.trimmingOWS(Substring(location).utf8)
        let reference = Substring(field)
        guard let first = reference.utf8.first else { throw .empty }
        if reference.hasPrefix("//") {
            return try check(current.scheme.rawValue + ":" + reference)
        }
        if first == ASCII.slash {
            return try check(current.origin + reference)
        }
        if first == UInt8(ascii: "?") {
            return try check(current.origin + current.path + reference)
        }
        if first == UInt8(ascii: "#") {
            throw .fragment
        }
        if MediaURLParser.schemeEnd(in: Array(reference.utf8)) != nil {
            return try check(String(reference))
        }
        // A relative path: everything up to the last "/" of the current path, then the reference.
        let path = current.path
        let directory = path[...(path.lastIndex(of: "/") ?? path.startIndex)]
        return try check(current.origin + directory + reference)
    }
}

extension MediaURL {
    /// `pathAndQuery` without the query.
    var path: Substring {
        pathAndQuery[..<(pathAndQuery.firstIndex(of: "?") ?? pathAndQuery.endIndex)]
    }
}
