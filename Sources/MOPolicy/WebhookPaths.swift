/// The webhook URLs: which kind of item a request path delivers, `{prefix}/mo`, or `{prefix}/{token}/mo` with a secret path token.
///
/// A pure value type, usable from any thread: built once from config and shared by every request thread. Matching is
/// exact and on bytes: no trailing slash, no empty segment (`//`), no `.` or `..` segment, no query string
/// (the caller passes the path without it), no percent-decoding here. CM does not sign webhooks, so the token is
/// the only secret in the URL; it is compared in constant time.
public struct WebhookPaths: Sendable {
    /// Normalised: `""` or `"/cm"` or `"/cm/hooks"` (empty segments dropped, so `"cm/"`, `"//cm//"` → `"/cm"`).
    public let prefix: String
    /// nil when there is no token.
    public let token: String?

    /// prefix: `""`, `"/cm"` or `"/cm/hooks"` (a leading slash is added, trailing slashes are removed, `"/"` means
    /// `""`). token: nil or `""` means no token. A token should be URL-safe (e.g. hex or base64url); one that
    /// contains `.`/`..` segments or empty segments can never match.
    public init(prefix: String, token: String?) {
        let segments = prefix.split(separator: "/", omittingEmptySubsequences: true)
        self.prefix = segments.isEmpty ? "" : "/" + segments.joined(separator: "/")
        if let token, !token.isEmpty {
            self.token = token
        } else {
            self.token = nil
        }
    }

    /// The endpoint for `path`, or nil (404). A wrong token is nil too, indistinguishable from an unknown path.
    public func kind(at path: String) -> ItemKind? {
        let bytes = Substring(path).utf8
        guard WebhookPaths.isExactPath(bytes), bytes.starts(with: prefix.utf8) else { return nil }
        let afterPrefix = bytes.dropFirst(prefix.utf8.count)
        guard afterPrefix.first == ASCII.slash else { return nil }
        let rest = afterPrefix.dropFirst()
        guard let token else { return ItemKind.matching(segment: rest) }

        guard let lastSlash = rest.lastIndex(of: ASCII.slash) else { return nil }
        let endpoint = ItemKind.matching(segment: rest[rest.index(after: lastSlash)...])
        let tokenMatches = constantTimeEquals(rest[rest.startIndex..<lastSlash], token.utf8)
        guard tokenMatches else { return nil }
        return endpoint
    }

    /// The path an endpoint is served at, e.g. `"/cm/{token}/mo"`. The token is shown as given: redact it with
    /// `Redactor.secret` before logging.
    public func path(for endpoint: ItemKind) -> String {
        var path = prefix
        if let token { path += "/" + token }
        return path + "/" + endpoint.pathSegment
    }

    /// Starts with "/", and every segment is non-empty and neither "." nor "..".
    private static func isExactPath(_ bytes: Substring.UTF8View) -> Bool {
        guard bytes.first == ASCII.slash else { return false }
        var segmentLength = 0
        var segmentIsDots = true
        for byte in bytes.dropFirst() {
            if byte == ASCII.slash {
                if segmentLength == 0 || (segmentIsDots && segmentLength <= 2) { return false }
                segmentLength = 0
                segmentIsDots = true
            } else {
                segmentLength += 1
                segmentIsDots = segmentIsDots && byte == ASCII.dot
            }
        }
        return segmentLength > 0 && !(segmentIsDots && segmentLength <= 2)
    }
}
