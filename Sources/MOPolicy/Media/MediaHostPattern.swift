/// One entry of the media host allowlist (`media.allowed_hosts`).
///
/// A pure value type usable from any thread, parsed once from config. Three forms, always matched without regard
/// to ASCII case:
/// - `cdn-1.messaging.cm.com`: exactly this host.
/// - `*.cdninstagram.com`: any host *below* `cdninstagram.com`, at any depth (`a.cdninstagram.com`,
///   `a.b.cdninstagram.com`), but not `cdninstagram.com` itself (list it separately if it is wanted). The `*.` must
///   be the whole first label and the rest must have at least two labels, so `*.com`, `*`, `*cdn.com`, `a.*.com`
///   are refused. Public suffixes such as `*.co.uk` cannot be recognized here: don't write them.
/// - `127.0.0.1`, `::1` or `[::1]`: an IP literal, for tests only; it matches only when
///   `MediaURLPolicy.Settings.allowIPLiteralHosts` is set, and only this exact address.
///
/// Names follow the same rules as URL hosts: ASCII letters, digits and inner hyphens, no trailing dot, no `xn--`.
public struct MediaHostPattern: Hashable, Sendable, CustomStringConvertible {
    enum Kind: Hashable, Sendable {
        case exact(String)
        case subdomains(of: String)
        case address(IPAddress)
    }

    let kind: Kind

    init(_ kind: Kind) {
        self.kind = kind
    }

    /// Parses one entry; see the type's documentation for the forms.
    public init(parsing text: String) throws(MediaHostPatternError) {
        guard !text.isEmpty else { throw .empty }
        var bytes = ArraySlice(text.utf8)
        if bytes.first == ASCII.openBracket, bytes.last == ASCII.closeBracket {
            bytes = bytes.dropFirst().dropLast()
            guard case .v6? = IPAddress.parseUnnormalized(Substring(decoding: bytes, as: UTF8.self).utf8) else {
                throw .invalid(text, reason: .notAnIPv6Address)
            }
        }
        if let address = IPAddress.parseUnnormalized(Substring(decoding: bytes, as: UTF8.self).utf8) {
            self.init(.address(address))
            return
        }
        var wildcard = false
        if bytes.starts(with: "*.".utf8) {
            wildcard = true
            bytes = bytes.dropFirst(2)
        }
        guard !bytes.contains(UInt8(ascii: "*")) else { throw .invalid(text, reason: .misplacedWildcard) }
        switch MediaHostName.validate(bytes) {
        case .success(let name):
            if wildcard && !name.contains(".") { throw .invalid(text, reason: .wildcardTooBroad) }
            self.init(wildcard ? .subdomains(of: name) : .exact(name))
        case .failure(let problem):
            throw .invalid(text, reason: MediaHostPatternError.Reason(problem))
        }
    }

    /// `true` when this entry admits `host` (lowercase, as in `MediaURL.host`) or, for an IP literal, `address`.
    func matches(host: String, address: IPAddress?) -> Bool {
        switch kind {
        case .exact(let name):
            return address == nil && host == name
        case .subdomains(let suffix):
            return address == nil && host.utf8.count > suffix.utf8.count + 1 && host.hasSuffix("." + suffix)
        case .address(let allowed):
            return address.map { $0.normalized == allowed.normalized } ?? false
        }
    }

    /// The entry as it would be written in config, lowercase: `cdn-1.messaging.cm.com`, `*.cdninstagram.com`,
    /// `127.0.0.1`, `[::1]`.
    public var description: String {
        switch kind {
        case .exact(let name): name
        case .subdomains(let suffix): "*." + suffix
        case .address(let address): address.isIPv4 ? "\(address)" : "[\(address)]"
        }
    }

    /// CM's media file proxy. cm-wire-formats.md §2.1 "Media": "Files are served from
    /// `https://cdn-{1,2,3}.messaging.cm.com/fileproxy/files/<32hex>`. They can be deleted with `DELETE` on the same
    /// host (returns 204) and expire after at most 30 days." (source: developers.cm.com/messaging/docs/whatsapp-inbound;
    /// the fixtures `mo/whatsapp-media.json` use cdn-1). This is the default allowlist.
    public static let cmMediaHosts: [MediaHostPattern] = [
        MediaHostPattern(.exact("cdn-1.messaging.cm.com")),
        MediaHostPattern(.exact("cdn-2.messaging.cm.com")),
        MediaHostPattern(.exact("cdn-3.messaging.cm.com")),
    ]

    /// Meta's lookaside CDN for Instagram messaging. cm-wire-formats.md §2.1: "Instagram media are Meta lookaside
    /// CDN URLs, with `contentType` `""`"; §2.2: "Instagram [V]: … lookaside `mediaUri`". CM's page
    /// developers.cm.com/messaging/docs/instagram-messaging-inbound shows
    /// `"mediaUri": "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1234&signature=AAAA"` and says: "It is not
    /// allowed to download, retain, or otherwise store the media content sent or made accessible by any user … you
    /// are only allowed to store the privacy-aware CDN URL". So this host is **not** in the default allowlist: a
    /// deployment that may lawfully fetch Instagram media adds it explicitly.
    public static let instagramMediaHosts: [MediaHostPattern] = [
        MediaHostPattern(.exact("lookaside.fbsbx.com")),
    ]
}

/// Why a `media.allowed_hosts` entry was refused.
///
/// A pure value type usable from any thread. `description` is one line without the config key (the config loader
/// prefixes it: `media.allowed_hosts[1]: '*.com' …`); the entry is escaped so the line stays one line.
public enum MediaHostPatternError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        case notAnIPv6Address
        case misplacedWildcard
        case wildcardTooBroad
        case percentEncoded
        case internationalized
        case trailingDot
        case invalidName
        case nonCanonicalAddress

        init(_ problem: MediaHostName.Problem) {
            switch problem {
            case .empty, .invalid: self = .invalidName
            case .percentEncoded: self = .percentEncoded
            case .internationalized: self = .internationalized
            case .trailingDot: self = .trailingDot
            case .numeric: self = .nonCanonicalAddress
            }
        }
    }

    case empty
    case invalid(String, reason: Reason)

    public var description: String {
        switch self {
        case .empty:
            return "the host entry is empty"
        case .invalid(let text, let reason):
            let quoted = "'\(text.escapedForLog)'"
            switch reason {
            case .notAnIPv6Address:
                return "\(quoted) has brackets but is not an IPv6 address"
            case .misplacedWildcard:
                return "\(quoted) has a '*' that is not a leading '*.' label"
            case .wildcardTooBroad:
                return "\(quoted) is too broad: '*.' needs at least two labels after it (e.g. '*.cdninstagram.com')"
            case .percentEncoded:
                return "\(quoted) contains percent-encoding"
            case .internationalized:
                return "\(quoted) is internationalized (non-ASCII or xn--), which media hosts may not be"
            case .trailingDot:
                return "\(quoted) ends with a dot (write the name without it)"
            case .invalidName:
                return "\(quoted) is not a valid host name (letters, digits, inner hyphens, dots)"
            case .nonCanonicalAddress:
                return "\(quoted) is a number but not a dotted-quad IPv4 address"
            }
        }
    }
}
