import Testing
@testable import MOPolicy

/// The downloader follows redirects by hand: every `Location` is resolved and checked here like a new URL, and the
/// new connection passes `DestinationPolicy` again.
@Suite("Media redirects: each Location is checked like a URL from a webhook")
struct MediaURLRedirectTests {
    let policy = MediaURLPolicy()

    func current() throws -> MediaURL {
        try policy.check("https://cdn-1.messaging.cm.com/fileproxy/files/abc?x=1")
    }

    @Test("a Location is resolved against the current URL (RFC 3986 §5.2) and checked", arguments: [
        ("https://cdn-2.messaging.cm.com/y", "https://cdn-2.messaging.cm.com/y"),
        ("HTTPS://CDN-3.MESSAGING.CM.COM:443/z?q", "https://cdn-3.messaging.cm.com/z?q"),
        ("//cdn-3.messaging.cm.com/z", "https://cdn-3.messaging.cm.com/z"),
        ("/other?q=1", "https://cdn-1.messaging.cm.com/other?q=1"),
        ("/", "https://cdn-1.messaging.cm.com/"),
        ("?page=2", "https://cdn-1.messaging.cm.com/fileproxy/files/abc?page=2"),
        ("def", "https://cdn-1.messaging.cm.com/fileproxy/files/def"),
        ("def?s=1", "https://cdn-1.messaging.cm.com/fileproxy/files/def?s=1"),
        ("  /spaced\t", "https://cdn-1.messaging.cm.com/spaced"),
    ])
    func resolved(location: String, expected: String) throws {
        #expect(try policy.resolveRedirect(location: location, from: current()).absoluteString == expected)
    }

    @Test("a Location that leaves the allowlist, changes scheme, or reaches inside is refused", arguments: [
        ("http://169.254.169.254/latest/meta-data/", MediaURLError.schemeNotAllowed("http")),
        ("http://cdn-1.messaging.cm.com/x", .schemeNotAllowed("http")),
        ("https://169.254.169.254/latest/meta-data/", .ipLiteralHost(excerpt: "169.254.169.254")),
        ("https://127.0.0.1:8443/", .ipLiteralHost(excerpt: "127.0.0.1")),
        ("https://[::ffff:127.0.0.1]/", .ipLiteralHost(excerpt: "[::ffff:127.0.0.1]")),
        ("https://2130706433/", .ipLiteralHost(excerpt: "2130706433")),
        ("//evil.com/x", .hostNotAllowed("evil.com")),
        ("https://evil.com/", .hostNotAllowed("evil.com")),
        ("https://cdn-1.messaging.cm.com@evil.com/", .userInfo),
        ("///evil.com/x", .emptyHost),
        ("/\\evil.com/x", .backslash(offset: 31)),
        ("\\\\evil.com/x", .backslash(offset: 47)),
        ("https:evil.com", .missingAuthority),
        ("https:/evil.com", .missingAuthority),
        ("file:///etc/passwd", .schemeNotAllowed("file")),
        ("gopher://127.0.0.1:70/", .schemeNotAllowed("gopher")),
        ("javascript:alert(1)", .schemeNotAllowed("javascript")),
        ("data:text/html,x", .schemeNotAllowed("data")),
        ("../../etc/passwd", .dotSegment),
        ("/x/../../admin", .dotSegment),
        ("#top", .fragment),
        ("", .empty),
        ("   ", .empty),
        ("/x\r\nSet-Cookie: a=b", .controlOrWhitespace(offset: 32)),
        ("https://cdn-1.messaging.cm.com:8443/", .portNotAllowed(8443)),
    ])
    func refused(location: String, error: MediaURLError) throws {
        let from = try current()
        #expect(throws: error) { try policy.resolveRedirect(location: location, from: from) }
    }

    @Test("a redirect to http is followed only when http is allowed, and only to an allowed host")
    func plainHTTPWhenAllowed() throws {
        let policy = MediaURLPolicy(settings: .init(allowPlainHTTP: true))
        let from = try policy.check("https://cdn-1.messaging.cm.com/a")
        #expect(try policy.resolveRedirect(location: "http://cdn-2.messaging.cm.com/b", from: from).origin
            == "http://cdn-2.messaging.cm.com")
        #expect(throws: MediaURLError.hostNotAllowed("evil.com")) {
            try policy.resolveRedirect(location: "http://evil.com/b", from: from)
        }
    }

    @Test("a relative Location keeps a non-default port and an IPv6 literal host of the current URL")
    func keepsOrigin() throws {
        let policy = MediaURLPolicy(settings: .init(allowedHosts: [try MediaHostPattern(parsing: "::1")],
                                                    allowIPLiteralHosts: true, allowedPorts: [8443]))
        let from = try policy.check("https://[::1]:8443/a/b")
        #expect(try policy.resolveRedirect(location: "c", from: from).absoluteString == "https://[::1]:8443/a/c")
        #expect(try policy.resolveRedirect(location: "/d", from: from).absoluteString == "https://[::1]:8443/d")
    }
}
