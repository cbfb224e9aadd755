/// Why a media URL was refused before any connection.
///
/// A pure value type usable from any thread. `description` is one line an operator can act on. It never quotes
/// the URL: at most a short excerpt (16 characters, cut before any `?` or `#`, and none at all when there is an `@`),
/// the scheme, or the host, each truncated and escaped, because a media URL's user info or query can be a credential. The media job that gets
/// one of these fails permanently: retrying the same text cannot succeed.
public enum MediaURLError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text is empty.
    case empty
    /// The text is longer than `MediaURLPolicy.Settings.maxLength` bytes of UTF-8.
    case tooLong(length: Int, limit: Int)
    /// A space, tab, line break, NUL or other control character at this byte offset. Refused anywhere, because
    /// parsers disagree about them (WHATWG strips tabs and newlines; curl stops at spaces).
    case controlOrWhitespace(offset: Int)
    /// A backslash at this byte offset. Browsers read `\` as `/` in http(s) URLs, curl does not.
    case backslash(offset: Int)
    /// No `scheme:` at the start; the excerpt shows how the text begins.
    case notAURL(excerpt: String)
    /// A scheme other than https (and http, when allowed), lowercased and truncated.
    case schemeNotAllowed(String)
    /// The scheme is not followed by `//` (`https:cdn-1.messaging.cm.com/…`, `https:/x`).
    case missingAuthority
    /// The authority has user info (`https://cdn-1.messaging.cm.com@evil.com/`). Never echoed.
    case userInfo
    /// Nothing between `//` and the path (`https:///x`, `https://:443/`).
    case emptyHost
    /// `%` in the host (`https://cdn-1.messaging.cm.com%2eevil.com/`): host names are never percent-decoded.
    case percentEncodedHost
    /// A non-ASCII host, or an ASCII-compatible (`xn--`) label: internationalized names are refused.
    case internationalizedHost
    /// The host ends with a dot (`cdn-1.messaging.cm.com.`); refused rather than normalized.
    case trailingDotHost
    /// The host is not a DNS name of letters, digits and inner hyphens (labels 1–63, total ≤ 253), nor a
    /// bracketed IPv6 address.
    case invalidHost(excerpt: String)
    /// The host is an IP address, or a number that resolvers read as one (`2130706433`, `0x7f.1`, `127.1`).
    case ipLiteralHost(excerpt: String)
    /// IP literals are allowed (tests), but this numeric host is not a plain dotted quad (`0x7f.1`, `127.1`).
    case nonCanonicalIPv4Host(excerpt: String)
    /// A well-formed host that no entry of the allowlist matches (lowercase, truncated).
    case hostNotAllowed(String)
    /// The port is not 1–65535 written as plain decimal without leading zeros (or the `:` has no digits).
    case invalidPort
    /// A valid port other than the scheme's default and the allowed extra ports.
    case portNotAllowed(Int)
    /// A byte at this offset that RFC 3986 does not allow unencoded in a path or query (space and controls have
    /// their own case): `"`, `<`, `>`, `[`, `]`, `^`, `` ` ``, `{`, `|`, `}` or non-ASCII.
    case invalidPathCharacter(offset: Int)
    /// `%` at this byte offset is not followed by two hex digits.
    case malformedPercentEncoding(offset: Int)
    /// A `.` or `..` path segment (also as `%2e`), which curl would rewrite before sending.
    case dotSegment
    /// A `#fragment`. CM's URLs have none, and a fragment is never sent to the server.
    case fragment

    public var description: String {
        switch self {
        case .empty:
            "media URL is empty"
        case .tooLong(let length, let limit):
            "media URL is \(length) bytes long, more than the limit of \(limit)"
        case .controlOrWhitespace(let offset):
            "media URL has a space or control character at byte \(offset)"
        case .backslash(let offset):
            "media URL has a backslash at byte \(offset)"
        case .notAURL(let excerpt):
            "media URL '\(excerpt.escapedForLog)' is not an absolute URL (expected https://host/path)"
        case .schemeNotAllowed(let scheme):
            "media URL scheme '\(scheme.escapedForLog)' is not allowed (only https)"
        case .missingAuthority:
            "media URL has no '//' and host after its scheme"
        case .userInfo:
            "media URL has user info before its host ('name@host'), which is refused"
        case .emptyHost:
            "media URL has an empty host"
        case .percentEncodedHost:
            "media URL host contains percent-encoding, which is refused"
        case .internationalizedHost:
            "media URL host is internationalized (non-ASCII or xn--), which is refused"
        case .trailingDotHost:
            "media URL host ends with a dot, which is refused"
        case .invalidHost(let excerpt):
            "media URL host '\(excerpt.escapedForLog)' is not a valid host name"
        case .ipLiteralHost(let excerpt):
            "media URL host '\(excerpt.escapedForLog)' is an IP address; media hosts must be names"
        case .nonCanonicalIPv4Host(let excerpt):
            "media URL host '\(excerpt.escapedForLog)' is an IPv4 address in a non-standard form"
        case .hostNotAllowed(let host):
            "media URL host '\(host.escapedForLog)' is not in the media host allowlist"
        case .invalidPort:
            "media URL has an invalid port"
        case .portNotAllowed(let port):
            "media URL port \(port) is not allowed (only the scheme's default port)"
        case .invalidPathCharacter(let offset):
            "media URL has a character at byte \(offset) that must be percent-encoded"
        case .malformedPercentEncoding(let offset):
            "media URL has a '%' at byte \(offset) that is not followed by two hex digits"
        case .dotSegment:
            "media URL path has a '.' or '..' segment"
        case .fragment:
            "media URL has a '#fragment', which is refused"
        }
    }

    /// At most `limit` characters of `text`, cut before the first `?` or `#` (a query can hold a key), with `…`
    /// when something was cut. Only `…` when an `@` comes before them: what precedes it may be user info.
    static func excerpt(_ text: some StringProtocol, limit: Int = 16) -> String {
        let beforeQuery = text.prefix { $0 != "?" && $0 != "#" }
        if beforeQuery.contains("@") { return "…" }
        let result = String(beforeQuery.prefix(limit))
        return result.count < text.count ? result + "…" : result
    }
}
