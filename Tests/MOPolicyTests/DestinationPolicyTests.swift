import MOTestFixtures
import Testing
@testable import MOPolicy

/// The connect-time check. libcurl's open-socket callback passes canonical numeric text (`inet_ntop`), so these
/// tables use canonical forms; decimal, octal and hex spellings never get this far (`MediaURLPolicy` refuses them,
/// and the resolver would have turned them into canonical text anyway), but they are refused here too.
@Suite("Destination policy: the address actually connected to")
struct DestinationPolicyTests {
    let policy = DestinationPolicy()

    @Test("a public address on port 443 is allowed", arguments: [
        "93.184.216.34", "8.8.8.8", "1.1.1.1", "31.169.56.10", "1.0.0.0", "9.255.255.255", "11.0.0.0",
        "100.63.255.255", "100.128.0.0", "126.255.255.255", "128.0.0.0", "169.253.255.255", "169.255.0.0",
        "172.15.255.255", "172.32.0.0", "192.0.1.0", "192.0.3.0", "192.31.196.1", "192.88.98.255", "192.88.100.0",
        "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0", "198.51.99.255", "203.0.112.255",
        "223.255.255.255",
        "2606:2800:220:1:248:1893:25c8:1946", "2a03:2880:f12f:83:face:b00c:0:25de", "2001:4860:4860::8888",
        "2001:200::1", "2001:db9::1", "2003::1", "3ffe::1", "2000::",
        "::ffff:93.184.216.34", "::ffff:5db8:d822", "64:ff9b::808:808", "64:ff9b::8.8.8.8",
    ])
    func publicAllowed(address: String) {
        #expect(policy.decide(numericHost: address, port: 443) == .allowed)
    }

    static let refusedIPv4: [(String, String)] = [
        ("127.0.0.1", "127.0.0.1 is loopback (127.0.0.0/8)"),
        ("127.255.255.254", "127.255.255.254 is loopback (127.0.0.0/8)"),
        ("0.0.0.0", "0.0.0.0 is unspecified (0.0.0.0/32)"),
        ("0.1.2.3", "0.1.2.3 is 'this network' (0.0.0.0/8)"),
        ("10.0.0.1", "10.0.0.1 is private-use (10.0.0.0/8)"),
        ("10.255.255.255", "10.255.255.255 is private-use (10.0.0.0/8)"),
        ("172.16.0.1", "172.16.0.1 is private-use (172.16.0.0/12)"),
        ("172.31.255.255", "172.31.255.255 is private-use (172.16.0.0/12)"),
        ("192.168.1.1", "192.168.1.1 is private-use (192.168.0.0/16)"),
        ("100.64.0.1", "100.64.0.1 is shared address space (carrier-grade NAT) (100.64.0.0/10)"),
        ("100.127.255.255", "100.127.255.255 is shared address space (carrier-grade NAT) (100.64.0.0/10)"),
        ("100.100.100.200", "100.100.100.200 is shared address space (carrier-grade NAT) (cloud metadata)"),
        ("169.254.169.254", "169.254.169.254 is link-local (cloud metadata)"),
        ("169.254.170.2", "169.254.170.2 is link-local (cloud metadata)"),
        ("169.254.0.1", "169.254.0.1 is link-local (169.254.0.0/16)"),
        ("192.0.0.8", "192.0.0.8 is reserved for IETF protocol assignments (192.0.0.0/24)"),
        ("192.0.2.1", "192.0.2.1 is documentation-only (192.0.2.0/24)"),
        ("198.51.100.7", "198.51.100.7 is documentation-only (198.51.100.0/24)"),
        ("203.0.113.9", "203.0.113.9 is documentation-only (203.0.113.0/24)"),
        ("192.88.99.1", "192.88.99.1 is 6to4 relay anycast (deprecated) (192.88.99.0/24)"),
        ("198.18.0.1", "198.18.0.1 is benchmarking-only (198.18.0.0/15)"),
        ("198.19.255.255", "198.19.255.255 is benchmarking-only (198.18.0.0/15)"),
        ("224.0.0.1", "224.0.0.1 is multicast (224.0.0.0/4)"),
        ("239.255.255.250", "239.255.255.250 is multicast (224.0.0.0/4)"),
        ("240.0.0.1", "240.0.0.1 is reserved (240.0.0.0/4)"),
        ("255.255.255.254", "255.255.255.254 is reserved (240.0.0.0/4)"),
        ("255.255.255.255", "255.255.255.255 is broadcast (255.255.255.255/32)"),
    ]

    @Test("a special-purpose IPv4 address is refused, naming its range", arguments: refusedIPv4)
    func ipv4Refused(address: String, reason: String) {
        #expect(policy.decide(numericHost: address, port: 443).description == reason)
    }

    static let refusedIPv6: [(String, String)] = [
        ("::", ":: is unspecified (::/128)"),
        ("::1", "::1 is loopback (::1/128)"),
        ("0:0:0:0:0:0:0:1", "::1 is loopback (::1/128)"),
        ("fc00::1", "fc00::1 is unique local (fc00::/7)"),
        ("fd12:3456::1", "fd12:3456::1 is unique local (fc00::/7)"),
        ("fd00:ec2::254", "fd00:ec2::254 is unique local (cloud metadata)"),
        ("fe80::1", "fe80::1 is link-local (fe80::/10)"),
        ("febf:ffff::1", "febf:ffff::1 is link-local (fe80::/10)"),
        ("fec0::1", "fec0::1 is site-local (deprecated) (fec0::/10)"),
        ("ff02::1", "ff02::1 is multicast (ff00::/8)"),
        ("ff05::1:3", "ff05::1:3 is multicast (ff00::/8)"),
        ("2001:db8::1", "2001:db8::1 is documentation-only (2001:db8::/32)"),
        ("3fff::1", "3fff::1 is documentation-only (3fff::/20)"),
        ("100::1", "100::1 is discard-only (100::/64)"),
        ("64:ff9b:1::a", "64:ff9b:1::a is local-use NAT64 (64:ff9b:1::/48)"),
        ("::8.8.8.8", "::808:808 is IPv4-compatible IPv6 (deprecated) (::/96)"),
        ("::127.0.0.1", "::7f00:1 is IPv4-compatible IPv6 (deprecated) (::/96)"),
        ("::2", "::2 is IPv4-compatible IPv6 (deprecated) (::/96)"),
        ("2001:2::1", "2001:2::1 is reserved for IETF protocol assignments (2001::/23)"),
        ("2001:1ff::1", "2001:1ff::1 is reserved for IETF protocol assignments (2001::/23)"),
        ("5f00::1", "5f00::1 is not global unicast IPv6 (outside 2000::/3)"),
        ("4000::1", "4000::1 is not global unicast IPv6 (outside 2000::/3)"),
        ("1fff:ffff::1", "1fff:ffff::1 is not global unicast IPv6 (outside 2000::/3)"),
        ("::ffff:0:0:1", "::ffff:0:0:1 is not global unicast IPv6 (outside 2000::/3)"),
        ("64:ff9b::1:0:0:1", "64:ff9b::1:0:0:1 is not global unicast IPv6 (outside 2000::/3)"),
    ]

    @Test("a special-purpose IPv6 address is refused, naming its range", arguments: refusedIPv6)
    func ipv6Refused(address: String, reason: String) {
        #expect(policy.decide(numericHost: address, port: 443).description == reason)
    }

    static let embedded: [(String, String)] = [
        ("::ffff:127.0.0.1", "::ffff:127.0.0.1 is IPv4-mapped 127.0.0.1, which is loopback (127.0.0.0/8)"),
        ("::ffff:7f00:1", "::ffff:127.0.0.1 is IPv4-mapped 127.0.0.1, which is loopback (127.0.0.0/8)"),
        ("0:0:0:0:0:ffff:127.0.0.1", "::ffff:127.0.0.1 is IPv4-mapped 127.0.0.1, which is loopback (127.0.0.0/8)"),
        ("::FFFF:A9FE:A9FE", "::ffff:169.254.169.254 is IPv4-mapped 169.254.169.254, which is link-local (cloud metadata)"),
        ("::ffff:10.0.0.1", "::ffff:10.0.0.1 is IPv4-mapped 10.0.0.1, which is private-use (10.0.0.0/8)"),
        ("::ffff:0.0.0.0", "::ffff:0.0.0.0 is IPv4-mapped 0.0.0.0, which is unspecified (0.0.0.0/32)"),
        ("64:ff9b::7f00:1", "64:ff9b::7f00:1 is NAT64 for 127.0.0.1, which is loopback (127.0.0.0/8)"),
        ("64:ff9b::169.254.169.254",
         "64:ff9b::a9fe:a9fe is NAT64 for 169.254.169.254, which is link-local (cloud metadata)"),
        ("64:ff9b::192.168.0.1", "64:ff9b::c0a8:1 is NAT64 for 192.168.0.1, which is private-use (192.168.0.0/16)"),
        ("2002:7f00:1::", "2002:7f00:1:: is 6to4 for 127.0.0.1, which is loopback (127.0.0.0/8)"),
        ("2002:a9fe:a9fe::1", "2002:a9fe:a9fe::1 is 6to4 for 169.254.169.254, which is link-local (cloud metadata)"),
        ("2002:c0a8:101:1::1", "2002:c0a8:101:1::1 is 6to4 for 192.168.1.1, which is private-use (192.168.0.0/16)"),
        ("2002:808:808::1", "2002:808:808::1 is 6to4 (deprecated) (2002::/16)"),
        ("2001:0:7f00:1::", "2001:0:7f00:1:: is Teredo with 127.0.0.1, which is loopback (127.0.0.0/8)"),
        ("2001:0:808:808::f5ff:fffe", "2001:0:808:808::f5ff:fffe is Teredo with 10.0.0.1, which is private-use (10.0.0.0/8)"),
        ("2001:0:808:808::5601:5601",
         "2001:0:808:808::5601:5601 is Teredo with 169.254.169.254, which is link-local (cloud metadata)"),
        ("2001:0:808:808:0:0:fefd:fcfb", "2001:0:808:808::fefd:fcfb is Teredo (2001::/32)"),
    ]

    @Test("an IPv4 address inside IPv6 (mapped, NAT64, 6to4, Teredo) is unwrapped and named", arguments: embedded)
    func embeddedRefused(address: String, reason: String) {
        #expect(policy.decide(numericHost: address, port: 443).description == reason)
    }

    @Test("the refusal carries the rule as a value, not only as text")
    func structuredReason() throws {
        guard case .refused(let refusal) = policy.decide(numericHost: "64:ff9b::a9fe:a9fe", port: 443) else {
            Issue.record("allowed")
            return
        }
        #expect(refusal.address == "64:ff9b::a9fe:a9fe")
        #expect(refusal.port == 443)
        guard case .embeds(.nat64, let inner, let range) = refusal.reason else {
            Issue.record("\(refusal.reason)")
            return
        }
        #expect(inner == IPAddress("169.254.169.254"))
        #expect(range.category == .linkLocal)
        #expect(range.isCloudMetadata)
        #expect(range.network == (try CIDR(parsing: "169.254.169.254/32")))
    }

    @Test("text that is not a strict numeric address is refused (fail closed)", arguments: [
        "localhost", "127.1", "0x7f000001", "2130706433", "017700000001", "0177.0.0.1", "1.2.3.04", "[::1]",
        "fe80::1%eth0", "", " 127.0.0.1", "127.0.0.1 ", "127.0.0.1:443", "::ffff:127.0.0.1:443", "1.2.3.4.5",
        "cdn-1.messaging.cm.com",
    ])
    func notAnAddress(text: String) {
        guard case .refused(let refusal) = policy.decide(numericHost: text, port: 443) else {
            Issue.record("allowed \(text)")
            return
        }
        #expect(refusal.reason == .notAnAddress)
        #expect(refusal.description.hasSuffix("is not a numeric IP address"))
    }

    @Test("a port other than the allowed ones is refused, also for public addresses", arguments: [
        ("93.184.216.34", 80), ("93.184.216.34", 22), ("93.184.216.34", 8443), ("93.184.216.34", 0),
        ("93.184.216.34", 65536), ("2606:2800:220:1:248:1893:25c8:1946", 6379),
    ])
    func portRefused(address: String, port: Int) {
        #expect(policy.decide(numericHost: address, port: port).description
            == "port \(port) of \(address) is not an allowed media port")
    }

    @Test("allowLoopback admits loopback (also IPv4-mapped) and nothing else", arguments: [
        ("127.0.0.1", true), ("127.0.0.2", true), ("::1", true), ("::ffff:127.0.0.1", true),
        ("169.254.169.254", false), ("10.0.0.1", false), ("0.0.0.0", false), ("::", false),
        ("64:ff9b::7f00:1", false), ("2002:7f00:1::", false), ("2001:0:7f00:1::", false), ("::127.0.0.1", false),
        ("fe80::1", false), ("93.184.216.34", true),
    ])
    func loopbackForTests(address: String, allowed: Bool) {
        let testing = DestinationPolicy(settings: .init(allowLoopback: true, allowedPorts: [8443]))
        #expect((testing.decide(numericHost: address, port: 8443) == .allowed) == allowed)
        #expect(testing.decide(numericHost: address, port: 9000) != .allowed)
    }

    @Test("addresses taken straight from a sockaddr decide like their text")
    func fromSockaddr() {
        #expect(policy.decide(address: .v4(0x5DB8_D822), port: 443) == .allowed)
        #expect(policy.decide(address: .v4(0xA9FE_A9FE), port: 443).description
            == "169.254.169.254 is link-local (cloud metadata)")
        #expect(policy.decide(address: .v6(high: 0, low: 0xFFFF_7F00_0001), port: 443).description
            == "::ffff:127.0.0.1 is IPv4-mapped 127.0.0.1, which is loopback (127.0.0.0/8)")
        #expect(policy.decide(address: .v6(high: 0, low: 1), port: 443).description == "::1 is loopback (::1/128)")
    }

    @Test("every table entry refuses its first and last address")
    func tableEntriesRefuse() {
        for range in DestinationRange.ipv4 + DestinationRange.ipv6 {
            let first = range.network.network
            let last: IPAddress
            switch first {
            case .v4(let value):
                last = .v4(value | (range.network.prefixLength == 32 ? 0 : UInt32.max >> range.network.prefixLength))
            case .v6(let high, let low):
                let prefix = range.network.prefixLength
                let hostHigh: UInt64 = prefix >= 64 ? 0 : UInt64.max >> prefix
                let hostLow: UInt64 = prefix >= 128 ? 0 : prefix <= 64 ? .max : UInt64.max >> (prefix - 64)
                last = .v6(high: high | hostHigh, low: low | hostLow)
            }
            for address in [first, last] where policy.refusalReason(address) == nil {
                Issue.record("\(address) in \(range.network) is allowed")
            }
        }
    }

    @Test("an IPv4 address decides the same when IPv4-mapped or behind NAT64; 6to4 and Teredo are always refused",
          arguments: [UInt64(0x5EED), 7])
    func embeddingProperty(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var allowed = 0
        for _ in 0..<10_000 {
            let value = UInt32.random(in: .min ... .max, using: &random)
            let plain = policy.decide(address: .v4(value), port: 443) == .allowed
            let mapped = policy.decide(address: .v6(high: 0, low: 0xFFFF_0000_0000 | UInt64(value)), port: 443)
            let nat64 = policy.decide(address: .v6(high: 0x0064_FF9B_0000_0000, low: UInt64(value)), port: 443)
            let sixToFour = policy.decide(address: .v6(high: 0x2002_0000_0000_0000 | UInt64(value) << 16, low: 1),
                                          port: 443)
            let teredo = policy.decide(address: .v6(high: 0x2001_0000_0000_0000 | UInt64(value),
                                                    low: UInt64(~value)), port: 443)
            if (mapped == .allowed) != plain || (nat64 == .allowed) != plain || sixToFour == .allowed
                || teredo == .allowed {
                Issue.record("\(IPAddress.v4(value)): plain \(plain), mapped \(mapped), NAT64 \(nat64)")
            }
            if plain { allowed += 1 }
        }
        #expect(allowed > 8_000)   // about 86% of IPv4 is ordinary public space
    }

    @Test("IPv6 outside 2000::/3 is always refused", arguments: [UInt64(0x5EED), 7])
    func outsideGlobalUnicast(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<10_000 {
            var high = random.next()
            if high >> 61 == 0b001 { high ^= 1 << 63 }   // move it out of 2000::/3
            let address = IPAddress.v6(high: high, low: random.next())
            if policy.decide(address: address, port: 443) == .allowed {
                Issue.record("\(address) is allowed")
            }
        }
    }
}
