import Testing
@testable import MOPolicy

@Suite("Client IP from X-Forwarded-For")
struct XForwardedForTests {
    let resolver = TrustFixtures.resolver(.xForwardedFor)
    let tiers = TrustFixtures.resolver(.xForwardedFor, trusted: TrustFixtures.proxyTiers)
    let proxy = TrustFixtures.ip("127.0.0.1")

    func resolve(_ lines: [String], with resolver: ClientIPResolver? = nil) -> ClientIPResolution {
        (resolver ?? self.resolver).resolve(peer: proxy, headerValues: lines)
    }

    func resolved(_ text: String) -> ClientIPResolution { .resolved(TrustFixtures.ip(text)) }

    @Test("an untrusted peer is the client and its headers are ignored, even malformed ones", arguments: [
        ["31.169.56.10"], ["garbage"], [""], ["1.2.3.4:80"],
    ])
    func untrustedPeer(lines: [String]) {
        let peer = TrustFixtures.ip("203.0.113.9")
        #expect(resolver.resolve(peer: peer, headerValues: lines) == .resolved(peer))
    }

    @Test("header mode none ignores the headers even from a trusted peer", arguments: [
        ["31.169.56.10"], ["garbage"], [""],
    ])
    func modeNone(lines: [String]) {
        let none = TrustFixtures.resolver(.none)
        #expect(none.resolve(peer: proxy, headerValues: lines) == .resolved(proxy))
    }

    @Test("a trusted peer without the header is the client")
    func noHeader() {
        #expect(resolve([]) == .resolved(proxy))
    }

    @Test("the right-most untrusted entry is the client; a client-written left entry is ignored")
    func rightMostUntrusted() {
        #expect(resolve(["31.169.56.10, 6.6.6.6"]) == resolved("6.6.6.6"))
        #expect(resolve(["6.6.6.6, 31.169.56.10"]) == resolved("31.169.56.10"))
        #expect(resolve(["31.169.56.10, 6.6.6.6, 127.0.0.1"]) == resolved("6.6.6.6"))
    }

    @Test("trusted proxy hops on the right are skipped")
    func skipsTrustedHops() {
        #expect(resolve(["6.6.6.6, 31.169.56.10, 10.0.0.2, 10.0.0.3"], with: tiers) == resolved("31.169.56.10"))
        #expect(resolve(["31.169.56.10, 10.1.2.3, 127.0.0.1"], with: tiers) == resolved("31.169.56.10"))
    }

    @Test("when every entry is a trusted proxy the left-most entry is the client")
    func allTrusted() {
        #expect(resolve(["10.0.0.5, 10.0.0.6, 127.0.0.1"], with: tiers) == resolved("10.0.0.5"))
        #expect(resolve(["127.0.0.1"]) == resolved("127.0.0.1"))
    }

    @Test("two header lines are joined in order, so the later line is further right")
    func twoLinesBothOrders() {
        #expect(resolve(["6.6.6.6", "31.169.56.10"]) == resolved("31.169.56.10"))
        #expect(resolve(["31.169.56.10", "6.6.6.6"]) == resolved("6.6.6.6"))
        #expect(resolve(["31.169.56.10, 10.0.0.1", "10.0.0.2"], with: tiers) == resolved("31.169.56.10"))
    }

    @Test("spaces and tabs around entries are trimmed")
    func whitespaceTrimmed() {
        #expect(resolve([" \t31.169.56.10 \t"]) == resolved("31.169.56.10"))
        #expect(resolve(["6.6.6.6 ,\t31.169.56.10"]) == resolved("31.169.56.10"))
    }

    @Test("IPv4-mapped entries are IPv4, and IPv6 entries and peers work")
    func families() {
        #expect(resolve(["::ffff:31.169.56.10"]) == resolved("31.169.56.10"))
        #expect(resolve(["::FFFF:1fa9:380a"]) == resolved("31.169.56.10"))
        let v6Peer = TrustFixtures.ip("::1")
        #expect(resolver.resolve(peer: v6Peer, headerValues: ["2001:db8::1"]) == resolved("2001:db8::1"))
        let mappedPeer = IPAddress.v6(high: 0, low: 0x0000_FFFF_7F00_0001)   // 127.0.0.1 from a dual-stack socket
        #expect(resolver.resolve(peer: mappedPeer, headerValues: ["31.169.56.10"]) == resolved("31.169.56.10"))
    }

    @Test("a bad entry anywhere fails closed with a reason naming the entry", arguments: [
        ([""], "X-Forwarded-For entry 1 is empty"),
        (["  \t "], "X-Forwarded-For entry 1 is empty"),
        (["31.169.56.10,"], "X-Forwarded-For entry 2 is empty"),
        (["31.169.56.10, "], "X-Forwarded-For entry 2 is empty"),
        (["6.6.6.6,,31.169.56.10"], "X-Forwarded-For entry 2 is empty"),
        ([",31.169.56.10"], "X-Forwarded-For entry 1 is empty"),
        (["garbage"], "X-Forwarded-For entry 1 is not an IP address"),
        (["unknown"], "X-Forwarded-For entry 1 is not an IP address"),
        (["\"31.169.56.10\""], "X-Forwarded-For entry 1 is not an IP address"),
        (["31.169.56.10 6.6.6.6"], "X-Forwarded-For entry 1 is not an IP address"),
        (["0x1f.169.56.10"], "X-Forwarded-For entry 1 is not an IP address"),
        (["127.1"], "X-Forwarded-For entry 1 is not an IP address"),
        (["31.169.56.10:443"], "X-Forwarded-For entry 1 has a port (X-Forwarded-For takes bare addresses)"),
        (["[2001:db8::1]"], "X-Forwarded-For entry 1 has brackets (X-Forwarded-For takes bare addresses)"),
        (["[2001:db8::1]:80"], "X-Forwarded-For entry 1 has brackets (X-Forwarded-For takes bare addresses)"),
        (["fe80::1%eth0"], "X-Forwarded-For entry 1 has a zone id"),
        (["031.169.56.10"], "X-Forwarded-For entry 1 has an IPv4 octet with a leading zero"),
        (["31.169.056.10"], "X-Forwarded-For entry 1 has an IPv4 octet with a leading zero"),
        (["garbage, 31.169.56.10"], "X-Forwarded-For entry 1 is not an IP address"),
        (["1.2.3.4, 5.6.7.8", "9.9.9.9, bad"], "X-Forwarded-For entry 4 is not an IP address"),
        (["31.169.56.10", ""], "X-Forwarded-For entry 2 is empty"),
        (["for=31.169.56.10"], "X-Forwarded-For entry 1 is not an IP address"),
    ])
    func malformed(lines: [String], reason: String) {
        #expect(resolve(lines) == .malformed(reason))
    }

    @Test("a bad entry left of the decision point still fails closed")
    func badEntryLeftOfDecision() {
        #expect(resolve(["bad, 31.169.56.10, 10.0.0.1"], with: tiers)
            == .malformed("X-Forwarded-For entry 1 is not an IP address"))
    }

    @Test("32 entries are accepted and 33 are refused, counted over all lines")
    func entryCap() {
        let entries = Array(repeating: "31.169.56.10", count: 33)
        #expect(resolve([entries.dropLast().joined(separator: ",")]) == resolved("31.169.56.10"))
        #expect(resolve([entries.joined(separator: ",")])
            == .malformed("X-Forwarded-For entry count exceeds the limit of 32"))
        #expect(resolve([entries[0..<20].joined(separator: ","), entries[20...].joined(separator: ",")])
            == .malformed("X-Forwarded-For entry count exceeds the limit of 32"))
        #expect(resolve(Array(repeating: "31.169.56.10", count: 33))
            == .malformed("X-Forwarded-For entry count exceeds the limit of 32"))
    }

    @Test("the entry cap is configurable")
    func customCap() {
        let two = TrustFixtures.resolver(.xForwardedFor, maxEntries: 2)
        #expect(resolve(["6.6.6.6, 31.169.56.10"], with: two) == resolved("31.169.56.10"))
        #expect(resolve(["6.6.6.6", "31.169.56.10", "1.2.3.4"], with: two)
            == .malformed("X-Forwarded-For entry count exceeds the limit of 2"))
        let zero = TrustFixtures.resolver(.xForwardedFor, maxEntries: 0)
        #expect(resolve(["31.169.56.10"], with: zero)
            == .malformed("X-Forwarded-For entry count exceeds the limit of 0"))
        #expect(resolve([], with: zero) == .resolved(proxy))
    }

    @Test("a huge header stops at the cap")
    func hugeHeader() {
        let line = String(repeating: "1.2.3.4,", count: 100_000)
        #expect(resolve([line]) == .malformed("X-Forwarded-For entry count exceeds the limit of 32"))
    }

    @Test("a reason never quotes header text")
    func reasonLeaksNothing() {
        guard case .malformed(let reason) = resolve(["31.169.56.10\nInjected: line, +31612345678"]) else {
            Issue.record("expected malformed")
            return
        }
        #expect(!reason.contains("Injected") && !reason.contains("612345678") && !reason.contains { $0.isNewline })
    }
}
