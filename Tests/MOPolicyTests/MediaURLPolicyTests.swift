import Testing
@testable import MOPolicy

@Suite("Media URL policy: what may be fetched, checked before any connection")
struct MediaURLPolicyTests {
    let policy = MediaURLPolicy()

    static let accepted: [(String, String)] = [
        ("https://cdn-1.messaging.cm.com/fileproxy/files/0123456789abcdef0123456789abcdef",
         "https://cdn-1.messaging.cm.com/fileproxy/files/0123456789abcdef0123456789abcdef"),
        ("HTTPS://CDN-2.Messaging.CM.com/fileproxy/files/ABC", "https://cdn-2.messaging.cm.com/fileproxy/files/ABC"),
        ("https://cdn-3.messaging.cm.com:443/x", "https://cdn-3.messaging.cm.com/x"),
        ("https://cdn-1.messaging.cm.com", "https://cdn-1.messaging.cm.com/"),
        ("https://cdn-1.messaging.cm.com?a=b", "https://cdn-1.messaging.cm.com/?a=b"),
        ("https://cdn-1.messaging.cm.com/a%20b?x=%2F&y=1:2@3/?", "https://cdn-1.messaging.cm.com/a%20b?x=%2F&y=1:2@3/?"),
        ("https://cdn-1.messaging.cm.com/a/?q=../x", "https://cdn-1.messaging.cm.com/a/?q=../x"),
        ("https://cdn-1.messaging.cm.com/.well-known/...x/.../a..", "https://cdn-1.messaging.cm.com/.well-known/...x/.../a.."),
        ("https://cdn-1.messaging.cm.com/a//b/", "https://cdn-1.messaging.cm.com/a//b/"),
        ("https://cdn-1.messaging.cm.com/~a-b_c!$&'()*+,;=:@", "https://cdn-1.messaging.cm.com/~a-b_c!$&'()*+,;=:@"),
    ]

    @Test("a CM media URL is accepted and normalized; the normalized text parses to the same value",
          arguments: accepted)
    func acceptedURL(text: String, normalized: String) throws {
        let url = try policy.check(text)
        #expect(url.absoluteString == normalized)
        #expect(url.scheme == .https)
        #expect(url.port == 443)
        #expect(url.hostAddress == nil)
        #expect(try policy.check(url.absoluteString) == url)
    }

    @Test("the parts of an accepted URL are split as curl will send them")
    func parts() throws {
        let url = try policy.check("https://CDN-1.messaging.cm.com:443/fileproxy/files/abc?sig=1&x=2")
        #expect(url.host == "cdn-1.messaging.cm.com")
        #expect(url.port == 443)
        #expect(url.pathAndQuery == "/fileproxy/files/abc?sig=1&x=2")
        #expect(url.origin == "https://cdn-1.messaging.cm.com")
    }

    @Test("description shows the origin only, never the path or query (they can act as keys)")
    func descriptionHidesPath() throws {
        let url = try policy.check("https://cdn-1.messaging.cm.com/fileproxy/files/SECRETPATH?token=SECRETTOKEN")
        #expect(url.description == "https://cdn-1.messaging.cm.com/…")
        #expect(!"\(url)".contains("SECRET"))
    }

    static let schemes: [(String, String)] = [
        ("file:///etc/passwd", "file"),
        ("FILE://localhost/etc/passwd", "file"),
        ("ftp://cdn-1.messaging.cm.com/x", "ftp"),
        ("gopher://127.0.0.1:6379/_SET%20x", "gopher"),
        ("dict://127.0.0.1:11211/stats", "dict"),
        ("ldap://127.0.0.1/", "ldap"),
        ("sftp://cdn-1.messaging.cm.com/x", "sftp"),
        ("tftp://cdn-1.messaging.cm.com/x", "tftp"),
        ("smb://cdn-1.messaging.cm.com/x", "smb"),
        ("telnet://127.0.0.1:25", "telnet"),
        ("ws://cdn-1.messaging.cm.com/x", "ws"),
        ("wss://cdn-1.messaging.cm.com/x", "wss"),
        ("data:text/plain;base64,SGVsbG8=", "data"),
        ("javascript:alert(1)", "javascript"),
        ("jar:https://cdn-1.messaging.cm.com/x.jar!/", "jar"),
        ("netdoc:///etc/passwd", "netdoc"),
        ("https+unix://cdn-1.messaging.cm.com/", "https+unix"),
        ("httpss://cdn-1.messaging.cm.com/", "httpss"),
        ("http://cdn-1.messaging.cm.com/x", "http"),
        ("HTTP://cdn-1.messaging.cm.com/x", "http"),
        ("averyveryverylongscheme://x", "averyveryverylon…"),
    ]

    @Test("a scheme other than https is refused, naming the scheme", arguments: schemes)
    func schemeRefused(text: String, scheme: String) {
        #expect(throws: MediaURLError.schemeNotAllowed(scheme)) { try policy.check(text) }
    }

    static let notURLs: [(String, String)] = [
        ("cdn-1.messaging.cm.com/fileproxy", "cdn-1.messaging.…"),
        ("//cdn-1.messaging.cm.com/x", "//cdn-1.messagin…"),
        ("/fileproxy/files/abc", "/fileproxy/files…"),
        ("1https://x", "1https://x"),
        ("-https://x", "-https://x"),
        ("ht!tp://x", "ht!tp://x"),
        ("://x", "://x"),
        ("https", "https"),
        ("%68ttps://cdn-1.messaging.cm.com/", "%68ttps://cdn-1.…"),
        ("https%3A//cdn-1.messaging.cm.com/", "https%3A//cdn-1.…"),
        ("ｈttps://cdn-1.messaging.cm.com/", "ｈttps://cdn-1.me…"),
        ("user@evil.com", "…"),
        ("averylongusername-token@evil.com/x", "…"),
        ("/x?y@z", "/x…"),
        ("?x=SECRET", "…"),
    ]

    @Test("text without a scheme is not a URL; the message quotes at most 16 characters before any '?' or '#', none if there is an '@'",
          arguments: notURLs)
    func notAURL(text: String, excerpt: String) {
        #expect(throws: MediaURLError.notAURL(excerpt: excerpt)) { try policy.check(text) }
    }

    static let characters: [(String, MediaURLError)] = [
        (" https://cdn-1.messaging.cm.com/x", .controlOrWhitespace(offset: 0)),
        ("https://cdn-1.messaging.cm.com/x ", .controlOrWhitespace(offset: 32)),
        ("https://cdn-1.messaging.cm.com/a b", .controlOrWhitespace(offset: 32)),
        ("https://cdn-1.messaging.cm.com\t.evil.com/", .controlOrWhitespace(offset: 30)),
        ("https://cdn-1.messaging.cm.com/x\n", .controlOrWhitespace(offset: 32)),
        ("https://cdn-1.messaging.cm.com/x\r\nHost: evil.com", .controlOrWhitespace(offset: 32)),
        ("https://evil.com\u{0}.cdn-1.messaging.cm.com/", .controlOrWhitespace(offset: 16)),
        ("https://cdn-1.messaging.cm.com/x\u{7F}", .controlOrWhitespace(offset: 32)),
        ("ht\ttps://cdn-1.messaging.cm.com/", .controlOrWhitespace(offset: 2)),
        ("https:\\\\cdn-1.messaging.cm.com\\x", .backslash(offset: 6)),
        ("https://evil.com\\@cdn-1.messaging.cm.com/", .backslash(offset: 16)),
        ("https://cdn-1.messaging.cm.com\\.evil.com/", .backslash(offset: 30)),
        ("https://cdn-1.messaging.cm.com/a\\..\\..\\x", .backslash(offset: 32)),
    ]

    @Test("whitespace, control characters and backslashes are refused anywhere, by byte offset",
          arguments: characters)
    func forbiddenCharacters(text: String, error: MediaURLError) {
        #expect(throws: error) { try policy.check(text) }
    }

    static let structure: [(String, MediaURLError)] = [
        ("", .empty),
        ("https:cdn-1.messaging.cm.com/x", .missingAuthority),
        ("hTtPs:cdn-1.messaging.cm.com/x", .missingAuthority),
        ("https:/cdn-1.messaging.cm.com/x", .missingAuthority),
        ("https:", .missingAuthority),
        ("https:/", .missingAuthority),
        ("https:///cdn-1.messaging.cm.com/x", .emptyHost),
        ("https://", .emptyHost),
        ("https://?x", .emptyHost),
        ("https://:443/x", .emptyHost),
        ("https://cdn-1.messaging.cm.com@evil.com/", .userInfo),
        ("https://cdn-1.messaging.cm.com:443@evil.com/", .userInfo),
        ("https://user:pass@cdn-1.messaging.cm.com/", .userInfo),
        ("https://@cdn-1.messaging.cm.com/", .userInfo),
        ("https://evil.com@cdn-1.messaging.cm.com/", .userInfo),
        ("https://cdn-1.messaging.cm.com%40evil.com/", .percentEncodedHost),
        ("https://cdn-1.messaging.cm.com%2eevil.com/", .percentEncodedHost),
        ("https://%63dn-1.messaging.cm.com/", .percentEncodedHost),
        ("https://cdn-1.messaging.cm.com%00.evil.com/", .percentEncodedHost),
        ("https://cdn-1.messaging.cm.com%2f@evil.com/", .userInfo),
        ("https://[fe80::1%25eth0]/", .percentEncodedHost),
        ("https://cdn-1.messaging.cm.com./x", .trailingDotHost),
        ("https://cdn-1.messaging.cm.com../x", .trailingDotHost),
        ("https://cdn\u{2011}1.messaging.cm.com/", .internationalizedHost),
        ("https://ｃdn-1.messaging.cm.com/", .internationalizedHost),
        ("https://cdn-1.messaging.cm.çom/", .internationalizedHost),
        ("https://cdn-1.messaging.cm.com\u{3002}evil.com/", .internationalizedHost),
        ("https://xn--cdn-1-abc.messaging.cm.com/", .internationalizedHost),
        ("https://XN--80ak6aa92e.com/", .internationalizedHost),
        ("https://cdn-1.messaging.xn--m-0fa.com/", .internationalizedHost),
        ("https://cdn-1.messaging.cm.com:8443/", .portNotAllowed(8443)),
        ("https://cdn-1.messaging.cm.com:80/", .portNotAllowed(80)),
        ("https://cdn-1.messaging.cm.com:22/", .portNotAllowed(22)),
        ("https://cdn-1.messaging.cm.com:65535/", .portNotAllowed(65535)),
        ("https://cdn-1.messaging.cm.com:/x", .invalidPort),
        ("https://cdn-1.messaging.cm.com:0/", .invalidPort),
        ("https://cdn-1.messaging.cm.com:0443/", .invalidPort),
        ("https://cdn-1.messaging.cm.com:00443/", .invalidPort),
        ("https://cdn-1.messaging.cm.com:65536/", .invalidPort),
        ("https://cdn-1.messaging.cm.com:66979/", .invalidPort),
        ("https://cdn-1.messaging.cm.com:123456/", .invalidPort),
        ("https://cdn-1.messaging.cm.com:+443/", .invalidPort),
        ("https://cdn-1.messaging.cm.com:-1/", .invalidPort),
        ("https://cdn-1.messaging.cm.com:443a/", .invalidPort),
        ("https://cdn-1.messaging.cm.com:0x1bb/", .invalidPort),
        ("https://cdn-1.messaging.cm.com:４４３/", .invalidPort),
        ("https://cdn-1.messaging.cm.com/a\"b", .invalidPathCharacter(offset: 32)),
        ("https://cdn-1.messaging.cm.com/a<b", .invalidPathCharacter(offset: 32)),
        ("https://cdn-1.messaging.cm.com/a>b", .invalidPathCharacter(offset: 32)),
        ("https://cdn-1.messaging.cm.com/a[b", .invalidPathCharacter(offset: 32)),
        ("https://cdn-1.messaging.cm.com/a]b", .invalidPathCharacter(offset: 32)),
        ("https://cdn-1.messaging.cm.com/a^b", .invalidPathCharacter(offset: 32)),
        ("https://cdn-1.messaging.cm.com/a`b", .invalidPathCharacter(offset: 32)),
        ("https://cdn-1.messaging.cm.com/a{b", .invalidPathCharacter(offset: 32)),
        ("https://cdn-1.messaging.cm.com/a|b", .invalidPathCharacter(offset: 32)),
        ("https://cdn-1.messaging.cm.com/a}b", .invalidPathCharacter(offset: 32)),
        ("https://cdn-1.messaging.cm.com/aéb", .invalidPathCharacter(offset: 32)),
        ("https://cdn-1.messaging.cm.com/a?q=é", .invalidPathCharacter(offset: 35)),
        ("https://cdn-1.messaging.cm.com/a%zz", .malformedPercentEncoding(offset: 32)),
        ("https://cdn-1.messaging.cm.com/a%2", .malformedPercentEncoding(offset: 32)),
        ("https://cdn-1.messaging.cm.com/a%", .malformedPercentEncoding(offset: 32)),
        ("https://cdn-1.messaging.cm.com/a?%g0", .malformedPercentEncoding(offset: 33)),
        ("https://cdn-1.messaging.cm.com/x/../admin", .dotSegment),
        ("https://cdn-1.messaging.cm.com/./x", .dotSegment),
        ("https://cdn-1.messaging.cm.com/x/..", .dotSegment),
        ("https://cdn-1.messaging.cm.com/x/.?q", .dotSegment),
        ("https://cdn-1.messaging.cm.com/%2e%2e/x", .dotSegment),
        ("https://cdn-1.messaging.cm.com/.%2E/x", .dotSegment),
        ("https://cdn-1.messaging.cm.com/%2E", .dotSegment),
        ("https://cdn-1.messaging.cm.com/x#y", .fragment),
        ("https://cdn-1.messaging.cm.com#y", .fragment),
        ("https://cdn-1.messaging.cm.com/x?q#", .fragment),
    ]

    @Test("a URL that breaks a structural rule is refused with the precise reason", arguments: structure)
    func structuralRefusal(text: String, error: MediaURLError) {
        #expect(throws: error) { try policy.check(text) }
    }

    static let invalidHosts: [(String, String)] = [
        ("https://cdn_1.messaging.cm.com/", "cdn_1.messaging.cm.com"),
        ("https://cdn-1..messaging.cm.com/", "cdn-1..messaging.cm.com"),
        ("https://.cdn-1.messaging.cm.com/", ".cdn-1.messaging.cm.com"),
        ("https://-cdn.messaging.cm.com/", "-cdn.messaging.cm.com"),
        ("https://cdn-.messaging.cm.com/", "cdn-.messaging.cm.com"),
        ("https://cdn-1.messaging.cm.com:443:443/", "cdn-1.messaging.cm.com:443"),
        ("https://a*.messaging.cm.com/", "a*.messaging.cm.com"),
        ("https://cdn-1.messaging.cm.com;.evil.com/", "cdn-1.messaging.cm.com;.evil.com"),
        ("https://[cdn-1.messaging.cm.com]/", "[cdn-1.messaging.cm.com]"),
        ("https://[::1/", "[::1"),
        ("https://[::1]x/", "[::1]x"),
        ("https://[127.0.0.1]/", "[127.0.0.1]"),
        ("https://[v1.fe80::1]/", "[v1.fe80::1]"),
        ("https://[]/", "[]"),
        ("https://[::1]]/", "[::1]]"),
        ("https://" + String(repeating: "a", count: 64) + ".cm.com/", String(repeating: "a", count: 64) + "…"),
        ("https://" + Array(repeating: "abcdefghi", count: 26).joined(separator: ".") + "/",
         String(Array(repeating: "abcdefghi", count: 26).joined(separator: ".").prefix(64)) + "…"),
    ]

    @Test("a host that is not a plain DNS name is invalidHost, quoting at most 64 characters", arguments: invalidHosts)
    func invalidHost(text: String, excerpt: String) {
        #expect(throws: MediaURLError.invalidHost(excerpt: excerpt)) { try policy.check(text) }
    }

    static let ipLiterals: [(String, String)] = [
        ("https://127.0.0.1/", "127.0.0.1"),
        ("https://2130706433/", "2130706433"),
        ("https://0x7f.1/", "0x7f.1"),
        ("https://0x7f000001/", "0x7f000001"),
        ("https://0X7F.0X0.0X0.0X1/", "0X7F.0X0.0X0.0X1"),
        ("https://017700000001/", "017700000001"),
        ("https://0177.0.0.1/", "0177.0.0.1"),
        ("https://127.1/", "127.1"),
        ("https://127.0.1/", "127.0.1"),
        ("https://0/", "0"),
        ("https://0x/", "0x"),
        ("https://1.2.3.4.5/", "1.2.3.4.5"),
        ("https://999.999.999.999/", "999.999.999.999"),
        ("https://cdn-1.messaging.cm.com.127.0.0.1/", "cdn-1.messaging.cm.com.127.0.0.1"),
        ("https://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("https://10.0.0.1:8443/", "10.0.0.1"),
        ("https://[::1]/", "[::1]"),
        ("https://[::ffff:127.0.0.1]/", "[::ffff:127.0.0.1]"),
        ("https://[::ffff:7f00:1]/", "[::ffff:7f00:1]"),
        ("https://[0:0:0:0:0:ffff:127.0.0.1]/", "[0:0:0:0:0:ffff:127.0.0.1]"),
        ("https://[::ffff:a9fe:a9fe]/latest", "[::ffff:a9fe:a9fe]"),
        ("https://[64:ff9b::7f00:1]/", "[64:ff9b::7f00:1]"),
        ("https://[2002:7f00:1::]/", "[2002:7f00:1::]"),
        ("https://[FD00:EC2::254]/", "[FD00:EC2::254]"),
    ]

    @Test("IP literals and numbers that resolvers read as IPv4 are refused by default", arguments: ipLiterals)
    func ipLiteralRefused(text: String, excerpt: String) {
        #expect(throws: MediaURLError.ipLiteralHost(excerpt: excerpt)) { try policy.check(text) }
    }

    static let otherHosts: [(String, String)] = [
        ("https://evil.com/", "evil.com"),
        ("https://EVIL.com/", "evil.com"),
        ("https://evil.com#@cdn-1.messaging.cm.com/", "evil.com"),
        ("https://evil.com?@cdn-1.messaging.cm.com/", "evil.com"),
        ("https://evil.com/@cdn-1.messaging.cm.com/", "evil.com"),
        ("https://evil.com:443/cdn-1.messaging.cm.com", "evil.com"),
        ("https://cdn-1.messaging.cm.com.evil.com/", "cdn-1.messaging.cm.com.evil.com"),
        ("https://evilcdn-1.messaging.cm.com/", "evilcdn-1.messaging.cm.com"),
        ("https://x.cdn-1.messaging.cm.com/", "x.cdn-1.messaging.cm.com"),
        ("https://messaging.cm.com/", "messaging.cm.com"),
        ("https://cdn-4.messaging.cm.com/", "cdn-4.messaging.cm.com"),
        ("https://cdn-1.messaging.cm.co/", "cdn-1.messaging.cm.co"),
        ("https://localhost/", "localhost"),
        ("https://localhost.localdomain/", "localhost.localdomain"),
        ("https://metadata.google.internal/computeMetadata/v1/", "metadata.google.internal"),
        ("https://127.0.0.1.nip.io/", "127.0.0.1.nip.io"),
        ("https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1", "lookaside.fbsbx.com"),
        ("https://evil.com:8443/", "evil.com"),
    ]

    @Test("a well-formed host that is not on the allowlist is refused, before its port is looked at",
          arguments: otherHosts)
    func hostNotAllowed(text: String, host: String) {
        #expect(throws: MediaURLError.hostNotAllowed(host)) { try policy.check(text) }
    }

    @Test("a URL longer than the limit is refused before it is parsed")
    func tooLong() throws {
        let base = "https://cdn-1.messaging.cm.com/"
        let exact = base + String(repeating: "a", count: 2048 - base.utf8.count)
        #expect(try policy.check(exact).absoluteString == exact)
        #expect(throws: MediaURLError.tooLong(length: 2049, limit: 2048)) { try policy.check(exact + "a") }
        let short = MediaURLPolicy(settings: .init(maxLength: 40))
        #expect(throws: MediaURLError.tooLong(length: 41, limit: 40)) {
            try short.check("https://cdn-1.messaging.cm.com/1234567890")
        }
    }

    @Test("error descriptions are one line and never contain user info, paths or queries", arguments: [
        "https://user:SECRET@cdn-1.messaging.cm.com/x?token=SECRET",
        "https://cdn-1.messaging.cm.com/SECRET?token=SECRET#SECRET",
        "https://evil.com/SECRET?token=SECRET",
        "file:///SECRET",
        "SECRET@evil.com",
        "?SECRET",
        "https://cdn-1.messaging.cm.com:8443/SECRET",
        "https://cdn-1.messaging.cm.com/SECRET\r\nX: SECRET",
        "https://cdn-1.messaging.cm.com/../SECRET",
        "https://cdn-1.messaging.cm.com/%zzSECRET",
        "\u{2028}https://cdn-1.messaging.cm.com/x",
        "https:cdn-1.messaging.cm.com/SECRET",
    ])
    func descriptionsLeakNothing(text: String) {
        do {
            _ = try policy.check(text)
            Issue.record("accepted \(text)")
        } catch {
            let line = error.description
            #expect(!line.contains("SECRET"))
            #expect(!line.contains("\n") && !line.contains("\r") && !line.contains("\u{2028}"))
            #expect(line.hasPrefix("media URL"))
        }
    }

    @Test("every error has its own one-line description")
    func descriptions() {
        let errors: [MediaURLError] = [
            .empty, .tooLong(length: 3000, limit: 2048), .controlOrWhitespace(offset: 3), .backslash(offset: 4),
            .notAURL(excerpt: "x"), .schemeNotAllowed("file"), .missingAuthority, .userInfo, .emptyHost,
            .percentEncodedHost, .internationalizedHost, .trailingDotHost, .invalidHost(excerpt: "a_b"),
            .ipLiteralHost(excerpt: "127.1"), .nonCanonicalIPv4Host(excerpt: "0x7f.1"), .hostNotAllowed("evil.com"),
            .invalidPort, .portNotAllowed(8443), .invalidPathCharacter(offset: 32),
            .malformedPercentEncoding(offset: 32), .dotSegment, .fragment,
        ]
        #expect(Set(errors.map(\.description)).count == errors.count)
        #expect(MediaURLError.schemeNotAllowed("file").description == "media URL scheme 'file' is not allowed (only https)")
        #expect(MediaURLError.hostNotAllowed("evil.com").description
            == "media URL host 'evil.com' is not in the media host allowlist")
        #expect(MediaURLError.notAURL(excerpt: "a\u{2028}b").description.contains("\\u{2028}"))
    }
}
