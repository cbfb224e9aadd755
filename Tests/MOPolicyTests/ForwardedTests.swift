import Testing
@testable import MOPolicy

@Suite("Client IP from Forwarded (RFC 7239)")
struct ForwardedTests {
    let resolver = TrustFixtures.resolver(.forwarded)
    let tiers = TrustFixtures.resolver(.forwarded, trusted: TrustFixtures.proxyTiers)
    let proxy = TrustFixtures.ip("127.0.0.1")

    func resolve(_ lines: [String], with resolver: ClientIPResolver? = nil) -> ClientIPResolution {
        (resolver ?? self.resolver).resolve(peer: proxy, headerValues: lines)
    }

    func resolved(_ text: String) -> ClientIPResolution { .resolved(TrustFixtures.ip(text)) }

    @Test("for= values that carry an address", arguments: [
        ("for=31.169.56.10", "31.169.56.10"),
        (#"for="31.169.56.10""#, "31.169.56.10"),
        (#"for="31.169.56.10:80""#, "31.169.56.10"),
        (#"for="31.169.56.10:_abc-1.x""#, "31.169.56.10"),
        (#"for="[2001:db8::17]""#, "2001:db8::17"),
        (#"for="[2001:db8::17]:4711""#, "2001:db8::17"),
        (#"for="[2001:DB8::17]:_port""#, "2001:db8::17"),
        (#"for="[::ffff:31.169.56.10]""#, "31.169.56.10"),
        (#"for="[::ffff:31.169.56.10]:443""#, "31.169.56.10"),
        (#"for="31.169.56.\10""#, "31.169.56.10"),
        ("For=31.169.56.10", "31.169.56.10"),
        ("FOR=31.169.56.10", "31.169.56.10"),
        ("fOr=31.169.56.10", "31.169.56.10"),
        (#"for=31.169.56.10;proto=https;by="[2001:db8::2]";host="example.com:8080""#, "31.169.56.10"),
        ("proto=https;for=31.169.56.10;by=_proxy1", "31.169.56.10"),
        ("by=127.0.0.1;for=31.169.56.10", "31.169.56.10"),
        ("for=31.169.56.10 ; proto=https", "31.169.56.10"),
        ("for=31.169.56.10;", "31.169.56.10"),
        (";for=31.169.56.10;;", "31.169.56.10"),
        (" \tfor=31.169.56.10\t ", "31.169.56.10"),
        (#"for=31.169.56.10;host="a,b;c""#, "31.169.56.10"),
    ])
    func addresses(line: String, client: String) {
        #expect(resolve([line]) == resolved(client))
    }

    @Test("elements are walked right to left, skipping trusted proxies")
    func multipleElements() {
        #expect(resolve(["for=31.169.56.10, for=6.6.6.6"]) == resolved("6.6.6.6"))
        #expect(resolve(["for=6.6.6.6,for=31.169.56.10"]) == resolved("31.169.56.10"))
        #expect(resolve([#"for=6.6.6.6, for=31.169.56.10;proto=https, for="10.0.0.2:80";by=10.0.0.3"#], with: tiers)
            == resolved("31.169.56.10"))
        #expect(resolve(["for=10.0.0.5, for=10.0.0.6"], with: tiers) == resolved("10.0.0.5"))
    }

    @Test("several Forwarded lines are joined in order")
    func multipleLines() {
        #expect(resolve(["for=6.6.6.6", "for=31.169.56.10"]) == resolved("31.169.56.10"))
        #expect(resolve(["for=31.169.56.10", "for=6.6.6.6"]) == resolved("6.6.6.6"))
        #expect(resolve(["for=31.169.56.10", "for=nope"])
            == .malformed("Forwarded element 2 has a for= value that is not an IP address"))
    }

    @Test("an untrusted peer's Forwarded header is ignored")
    func untrustedPeer() {
        let peer = TrustFixtures.ip("6.6.6.6")
        #expect(resolver.resolve(peer: peer, headerValues: ["for=31.169.56.10"]) == .resolved(peer))
        #expect(resolver.resolve(peer: peer, headerValues: ["for=unknown"]) == .resolved(peer))
    }

    @Test("a bad element anywhere fails closed with a reason naming the element", arguments: [
        ("for=unknown", "Forwarded element 1 has for=unknown (no address)"),
        ("for=UNKNOWN", "Forwarded element 1 has for=unknown (no address)"),
        (#"for="unknown""#, "Forwarded element 1 has for=unknown (no address)"),
        ("for=_hidden", "Forwarded element 1 has an obfuscated for= identifier (no address)"),
        (#"for="_hidden:80""#, "Forwarded element 1 has an obfuscated for= identifier (no address)"),
        ("proto=https;by=10.0.0.1", "Forwarded element 1 has no for= parameter"),
        (";", "Forwarded element 1 has no for= parameter"),
        ("for=31.169.56.10, proto=https", "Forwarded element 2 has no for= parameter"),
        ("for=31.169.56.10;for=6.6.6.6", "Forwarded element 1 has more than one for= parameter"),
        ("", "Forwarded element 1 is empty"),
        ("  ", "Forwarded element 1 is empty"),
        ("for=31.169.56.10,", "Forwarded element 2 is empty"),
        ("for=31.169.56.10, ", "Forwarded element 2 is empty"),
        ("for=6.6.6.6,,for=31.169.56.10", "Forwarded element 2 is empty"),
        (",for=31.169.56.10", "Forwarded element 1 is empty"),
        ("for=31.169.56.10:80",
         "Forwarded element 1 has an unquoted for= value with a port or IPv6 address (they must be quoted)"),
        ("for=[2001:db8::17]",
         "Forwarded element 1 has an unquoted for= value with a port or IPv6 address (they must be quoted)"),
        ("for=2001:db8::17",
         "Forwarded element 1 has an unquoted for= value with a port or IPv6 address (they must be quoted)"),
        (#"for="2001:db8::17""#, "Forwarded element 1 has a for= IPv6 address without brackets"),
        (#"for="::ffff:31.169.56.10""#, "Forwarded element 1 has a for= IPv6 address without brackets"),
        (#"for="[31.169.56.10]""#, "Forwarded element 1 has a for= value in brackets that is not an IPv6 address"),
        (#"for="[2001:db8::17""#, "Forwarded element 1 has bad syntax or quoting"),
        (#"for="[2001:db8::17]x""#, "Forwarded element 1 has bad syntax or quoting"),
        (#"for="[2001:db8::17]:""#, "Forwarded element 1 has a for= value with an invalid port"),
        (#"for="[2001:db8::17]:65536""#, "Forwarded element 1 has a for= value with an invalid port"),
        (#"for="31.169.56.10:""#, "Forwarded element 1 has a for= value with an invalid port"),
        (#"for="31.169.56.10:123456""#, "Forwarded element 1 has a for= value with an invalid port"),
        (#"for="31.169.56.10:_""#, "Forwarded element 1 has a for= value with an invalid port"),
        (#"for="31.169.56.10:80:80""#, "Forwarded element 1 has a for= value with an invalid port"),
        (#"for="[fe80::1%eth0]""#, "Forwarded element 1 has a for= address with a zone id"),
        ("for=031.169.56.10", "Forwarded element 1 has a for= IPv4 octet with a leading zero"),
        (#"for="031.169.56.10:80""#, "Forwarded element 1 has a for= IPv4 octet with a leading zero"),
        ("for=garbage", "Forwarded element 1 has a for= value that is not an IP address"),
        ("for=127.1", "Forwarded element 1 has a for= value that is not an IP address"),
        (#"for="31.169.56.10"#, "Forwarded element 1 has bad syntax or quoting"),
        (#"for="31.169.56.10"x"#, "Forwarded element 1 has bad syntax or quoting"),
        (#"for=31.169"56"#, "Forwarded element 1 has bad syntax or quoting"),
        (#"for="31.169.56.10\"#, "Forwarded element 1 has bad syntax or quoting"),
        ("for=\"31.169.56.10\u{01}\"", "Forwarded element 1 has bad syntax or quoting"),
        ("for=", "Forwarded element 1 has bad syntax or quoting"),
        ("for=;proto=https", "Forwarded element 1 has bad syntax or quoting"),
        ("for = 31.169.56.10", "Forwarded element 1 has bad syntax or quoting"),
        ("for =31.169.56.10", "Forwarded element 1 has bad syntax or quoting"),
        ("=31.169.56.10", "Forwarded element 1 has bad syntax or quoting"),
        ("for=31.169.56.10 proto=https", "Forwarded element 1 has bad syntax or quoting"),
        (#"for=31.169.56.10;proto="https"#, "Forwarded element 1 has bad syntax or quoting"),
        ("31.169.56.10", "Forwarded element 1 has bad syntax or quoting"),
        ("for=6.6.6.6, garbage, for=31.169.56.10", "Forwarded element 2 has bad syntax or quoting"),
    ])
    func malformed(line: String, reason: String) {
        #expect(resolve([line]) == .malformed(reason))
    }

    @Test("a bad element left of the decision point still fails closed")
    func badElementLeftOfDecision() {
        #expect(resolve(["for=unknown, for=31.169.56.10"])
            == .malformed("Forwarded element 1 has for=unknown (no address)"))
    }

    @Test("32 elements are accepted and 33 are refused, counted over all lines")
    func elementCap() {
        let elements = Array(repeating: "for=31.169.56.10", count: 33)
        #expect(resolve([elements.dropLast().joined(separator: ", ")]) == resolved("31.169.56.10"))
        #expect(resolve(Array(elements.dropLast())) == resolved("31.169.56.10"))
        #expect(resolve([elements.joined(separator: ", ")])
            == .malformed("Forwarded element count exceeds the limit of 32"))
        #expect(resolve(elements) == .malformed("Forwarded element count exceeds the limit of 32"))
    }

    @Test("X-Forwarded-For syntax is not read in Forwarded mode, nor Forwarded syntax in XFF mode")
    func modesNeverMix() {
        #expect(resolve(["31.169.56.10"]) == .malformed("Forwarded element 1 has bad syntax or quoting"))
        let xff = TrustFixtures.resolver(.xForwardedFor)
        #expect(xff.resolve(peer: proxy, headerValues: ["for=31.169.56.10"])
            == .malformed("X-Forwarded-For entry 1 is not an IP address"))
    }
}
