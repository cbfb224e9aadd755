import Testing
@testable import MOPolicy

@Suite("Media host allowlist entries")
struct MediaHostPatternTests {
    @Test("an entry parses to its canonical form", arguments: [
        ("cdn-1.messaging.cm.com", "cdn-1.messaging.cm.com"),
        ("CDN-1.Messaging.CM.com", "cdn-1.messaging.cm.com"),
        ("*.cdninstagram.com", "*.cdninstagram.com"),
        ("*.FBCDN.net", "*.fbcdn.net"),
        ("localhost", "localhost"),
        ("127.0.0.1", "127.0.0.1"),
        ("::1", "[::1]"),
        ("[::1]", "[::1]"),
        ("[2001:DB8::1]", "[2001:db8::1]"),
    ])
    func parses(text: String, canonical: String) throws {
        #expect(try MediaHostPattern(parsing: text).description == canonical)
    }

    @Test("a bad entry is refused with the reason", arguments: [
        ("*", MediaHostPatternError.invalid("*", reason: .misplacedWildcard)),
        ("*.com", .invalid("*.com", reason: .wildcardTooBroad)),
        ("*.*.com", .invalid("*.*.com", reason: .misplacedWildcard)),
        ("a.*.com", .invalid("a.*.com", reason: .misplacedWildcard)),
        ("*cdn.com", .invalid("*cdn.com", reason: .misplacedWildcard)),
        ("cdn.com*", .invalid("cdn.com*", reason: .misplacedWildcard)),
        ("*.", .invalid("*.", reason: .invalidName)),
        ("cdn-1.messaging.cm.com.", .invalid("cdn-1.messaging.cm.com.", reason: .trailingDot)),
        ("cdn%2d1.messaging.cm.com", .invalid("cdn%2d1.messaging.cm.com", reason: .percentEncoded)),
        ("bücher.de", .invalid("bücher.de", reason: .internationalized)),
        ("xn--bcher-kva.de", .invalid("xn--bcher-kva.de", reason: .internationalized)),
        ("cdn_1.cm.com", .invalid("cdn_1.cm.com", reason: .invalidName)),
        (" cdn.cm.com", .invalid(" cdn.cm.com", reason: .invalidName)),
        ("https://cdn.cm.com", .invalid("https://cdn.cm.com", reason: .invalidName)),
        ("cdn.cm.com:443", .invalid("cdn.cm.com:443", reason: .invalidName)),
        ("0x7f.1", .invalid("0x7f.1", reason: .nonCanonicalAddress)),
        ("2130706433", .invalid("2130706433", reason: .nonCanonicalAddress)),
        ("[127.0.0.1]", .invalid("[127.0.0.1]", reason: .notAnIPv6Address)),
        ("[cdn.cm.com]", .invalid("[cdn.cm.com]", reason: .notAnIPv6Address)),
        ("", .empty),
    ])
    func refused(text: String, error: MediaHostPatternError) {
        #expect(throws: error) { try MediaHostPattern(parsing: text) }
    }

    @Test("an exact entry matches only that host", arguments: [
        ("cdn-1.messaging.cm.com", true), ("x.cdn-1.messaging.cm.com", false), ("cdn-1.messaging.cm.co", false),
        ("dn-1.messaging.cm.com", false), ("cdn-1.messaging.cm.com.evil.com", false),
    ])
    func exact(host: String, matches: Bool) throws {
        #expect(try MediaHostPattern(parsing: "cdn-1.messaging.cm.com").matches(host: host, address: nil) == matches)
    }

    @Test("a wildcard entry matches hosts below the suffix at any depth, never the suffix itself", arguments: [
        ("scontent-ams2-1.cdninstagram.com", true), ("a.b.cdninstagram.com", true), ("cdninstagram.com", false),
        ("evilcdninstagram.com", false), ("cdninstagram.com.evil.com", false), (".cdninstagram.com", false),
        ("x.cdninstagram.co", false),
    ])
    func wildcard(host: String, matches: Bool) throws {
        #expect(try MediaHostPattern(parsing: "*.cdninstagram.com").matches(host: host, address: nil) == matches)
    }

    @Test("an address entry matches only that address, also in its IPv4-mapped form, and never a name")
    func address() throws {
        let v4 = try MediaHostPattern(parsing: "127.0.0.1")
        #expect(v4.matches(host: "127.0.0.1", address: IPAddress("127.0.0.1")))
        #expect(v4.matches(host: "::ffff:127.0.0.1", address: .v6(high: 0, low: 0xffff_7f00_0001)))
        #expect(!v4.matches(host: "127.0.0.2", address: IPAddress("127.0.0.2")))
        #expect(!v4.matches(host: "127.0.0.1", address: nil))
        let name = try MediaHostPattern(parsing: "localhost")
        #expect(!name.matches(host: "127.0.0.1", address: IPAddress("127.0.0.1")))
    }

    @Test("the built-in lists hold CM's three media hosts and Instagram's lookaside host")
    func builtInLists() {
        #expect(MediaHostPattern.cmMediaHosts.map(\.description)
            == ["cdn-1.messaging.cm.com", "cdn-2.messaging.cm.com", "cdn-3.messaging.cm.com"])
        #expect(MediaHostPattern.instagramMediaHosts.map(\.description) == ["lookaside.fbsbx.com"])
        #expect(MediaURLPolicy.Settings().allowedHosts == MediaHostPattern.cmMediaHosts)
    }

    @Test("a pattern error is one line that quotes the entry escaped")
    func errorDescription() {
        #expect(MediaHostPatternError.invalid("*.com", reason: .wildcardTooBroad).description
            == "'*.com' is too broad: '*.' needs at least two labels after it (e.g. '*.cdninstagram.com')")
        #expect(!MediaHostPatternError.invalid("a\nb", reason: .invalidName).description.contains("\n"))
    }
}
