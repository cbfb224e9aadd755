import Testing
@testable import MOPolicy

@Suite("Media URL policy settings: test-only switches and configured hosts")
struct MediaURLPolicySettingsTests {
    /// What an integration test against a local server would configure.
    static let local = MediaURLPolicy(settings: .init(
        allowedHosts: [try! MediaHostPattern(parsing: "127.0.0.1"), try! MediaHostPattern(parsing: "::1")],
        allowPlainHTTP: true, allowIPLiteralHosts: true, allowedPorts: [8443]))

    @Test("with the test switches on, a listed loopback literal on an allowed port is accepted", arguments: [
        ("https://127.0.0.1:8443/media/a.jpg", "https://127.0.0.1:8443/media/a.jpg", IPAddress("127.0.0.1")),
        ("http://127.0.0.1/x", "http://127.0.0.1/x", IPAddress("127.0.0.1")),
        ("http://127.0.0.1:80/x", "http://127.0.0.1/x", IPAddress("127.0.0.1")),
        ("https://[::1]:8443/x", "https://[::1]:8443/x", IPAddress("::1")),
        ("https://[0:0::1]:8443", "https://[::1]:8443/", IPAddress("::1")),
        ("https://[::ffff:127.0.0.1]:8443/x", "https://[::ffff:127.0.0.1]:8443/x", .v6(high: 0, low: 0xffff_7f00_0001)),
    ])
    func localAccepted(text: String, normalized: String, address: IPAddress?) throws {
        let url = try Self.local.check(text)
        #expect(url.absoluteString == normalized)
        #expect(url.hostAddress == address)
        #expect(try Self.local.check(url.absoluteString) == url)
    }

    @Test("even with the test switches on, other addresses, odd IPv4 forms and other ports are refused", arguments: [
        ("https://127.0.0.2:8443/", MediaURLError.hostNotAllowed("127.0.0.2")),
        ("https://169.254.169.254/", .hostNotAllowed("169.254.169.254")),
        ("https://localhost:8443/", .hostNotAllowed("localhost")),
        ("https://[::2]:8443/", .hostNotAllowed("::2")),
        ("https://2130706433:8443/", .nonCanonicalIPv4Host(excerpt: "2130706433")),
        ("https://0x7f.1:8443/", .nonCanonicalIPv4Host(excerpt: "0x7f.1")),
        ("https://127.1:8443/", .nonCanonicalIPv4Host(excerpt: "127.1")),
        ("https://0177.0.0.1:8443/", .nonCanonicalIPv4Host(excerpt: "0177.0.0.1")),
        ("https://017700000001:8443/", .nonCanonicalIPv4Host(excerpt: "017700000001")),
        ("https://127.0.0.1:9000/", .portNotAllowed(9000)),
        ("https://127.0.0.1:80/", .portNotAllowed(80)),
        ("http://127.0.0.1:443/", .portNotAllowed(443)),
        ("ftp://127.0.0.1/", .schemeNotAllowed("ftp")),
    ])
    func localRefused(text: String, error: MediaURLError) {
        #expect(throws: error) { try Self.local.check(text) }
    }

    @Test("IP literals stay refused when only the allowlist names them")
    func literalNeedsSwitch() throws {
        let policy = MediaURLPolicy(settings: .init(allowedHosts: [try MediaHostPattern(parsing: "127.0.0.1")]))
        #expect(throws: MediaURLError.ipLiteralHost(excerpt: "127.0.0.1")) { try policy.check("https://127.0.0.1/") }
    }

    @Test("a wildcard entry admits the CDN's subdomains only", arguments: [
        ("https://scontent-ams2-1.cdninstagram.com/v/t51.2885-15/x.jpg?stp=dst-jpg_e35&_nc_ht=x", true),
        ("https://a.b.cdninstagram.com/x", true),
        ("https://cdninstagram.com/x", false),
        ("https://evilcdninstagram.com/x", false),
        ("https://cdninstagram.com.evil.com/x", false),
        ("https://cdn-1.messaging.cm.com/x", true),
    ])
    func wildcardHosts(text: String, accepted: Bool) throws {
        let policy = MediaURLPolicy(settings: .init(
            allowedHosts: MediaHostPattern.cmMediaHosts + [try MediaHostPattern(parsing: "*.cdninstagram.com")]))
        #expect(((try? policy.check(text)) != nil) == accepted)
    }

    @Test("the Instagram lookaside URL from CM's documentation passes once its host is allowed")
    func instagramLookaside() throws {
        let policy = MediaURLPolicy(settings: .init(
            allowedHosts: MediaHostPattern.cmMediaHosts + MediaHostPattern.instagramMediaHosts))
        let text = "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17912345678901234&signature=AbCdEf0123456789"
        #expect(try policy.check(text).absoluteString == text)
    }
}
