import Testing
@testable import MOPolicy

@Suite("AccessPolicy decisions")
struct AccessPolicyTests {
    let proxy = TrustFixtures.ip("127.0.0.1")

    @Test("a client inside the allowlist is allowed")
    func allow() {
        let policy = TrustFixtures.policy(.xForwardedFor)
        #expect(policy.decide(peer: proxy, headerValues: ["31.169.56.10"])
            == .allow(client: TrustFixtures.ip("31.169.56.10")))
    }

    @Test("a client outside the allowlist is denied with the client named")
    func denyOutside() {
        let policy = TrustFixtures.policy(.xForwardedFor)
        #expect(policy.decide(peer: proxy, headerValues: ["31.169.56.10, 6.6.6.6"])
            == .deny(client: TrustFixtures.ip("6.6.6.6"), reason: "source 6.6.6.6 is not in trust.allowed_sources"))
    }

    @Test("a malformed X-Forwarded-For is denied without a client")
    func denyMalformedXFF() {
        let policy = TrustFixtures.policy(.xForwardedFor)
        #expect(policy.decide(peer: proxy, headerValues: ["31.169.56.10, nope"])
            == .deny(client: nil, reason: "X-Forwarded-For is malformed: entry 2 is not an IP address"))
        #expect(policy.decide(peer: proxy, headerValues: [String](repeating: "31.169.56.10", count: 33))
            == .deny(client: nil, reason: "X-Forwarded-For is malformed: entry count exceeds the limit of 32"))
    }

    @Test("a malformed Forwarded is denied without a client")
    func denyMalformedForwarded() {
        let policy = TrustFixtures.policy(.forwarded)
        #expect(policy.decide(peer: proxy, headerValues: ["for=unknown"])
            == .deny(client: nil, reason: "Forwarded is malformed: element 1 has for=unknown (no address)"))
    }

    @Test("the resolver's own reason names the header and the entry")
    func resolverReason() {
        let resolver = TrustFixtures.resolver(.xForwardedFor)
        #expect(resolver.resolve(peer: proxy, headerValues: ["1.2.3.4, 5.6.7.8, x"])
            == .malformed("X-Forwarded-For entry 3 is not an IP address"))
    }

    @Test("without a proxy the TCP peer itself is checked", arguments: [
        ("31.169.56.10", true), ("85.119.55.255", true), ("188.94.184.0", true), ("::ffff:188.94.184.1", true),
        ("6.6.6.6", false), ("127.0.0.1", false), ("2001:db8::1", false),
    ])
    func direct(peer: String, allowed: Bool) {
        let policy = AccessPolicy(allowedSources: .cmSources,
                                  resolver: ClientIPResolver(trustedProxies: CIDRSet([]), header: .none))
        let address = TrustFixtures.ip(peer)
        let decision = policy.decide(peer: address, headerValues: ["31.169.56.10"])
        if allowed {
            #expect(decision == .allow(client: address))
        } else {
            #expect(decision == .deny(client: address, reason: "source \(address) is not in trust.allowed_sources"))
        }
    }

    @Test("a trusted proxy sending no header is judged as itself")
    func proxyWithoutHeader() {
        let policy = TrustFixtures.policy(.xForwardedFor)
        #expect(policy.decide(peer: proxy, headerValues: [])
            == .deny(client: proxy, reason: "source 127.0.0.1 is not in trust.allowed_sources"))
    }

    @Test("an IPv6 client is named in RFC 5952 form in the reason")
    func ipv6Reason() {
        let policy = TrustFixtures.policy(.forwarded)
        #expect(policy.decide(peer: proxy, headerValues: [#"for="[2001:0DB8:0:0::1]:80""#])
            == .deny(client: TrustFixtures.ip("2001:db8::1"),
                     reason: "source 2001:db8::1 is not in trust.allowed_sources"))
    }
}

@Suite("ClientIPHeader")
struct ClientIPHeaderTests {
    @Test("config spellings and header names", arguments: [
        (ClientIPHeader.none, "none", String?.none),
        (.xForwardedFor, "x-forwarded-for", "X-Forwarded-For"),
        (.forwarded, "forwarded", "Forwarded"),
    ])
    func names(header: ClientIPHeader, raw: String, name: String?) {
        #expect(header.rawValue == raw)
        #expect(ClientIPHeader(rawValue: raw) == header)
        #expect(header.headerName == name)
    }

    @Test("there are exactly three modes")
    func allCases() {
        #expect(ClientIPHeader.allCases == [.none, .xForwardedFor, .forwarded])
    }
}
