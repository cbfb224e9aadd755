import MOTestFixtures
import Testing
@testable import MOPolicy

/// `contains` against a naive reference that compares the first `prefix` bits one by one.
@Suite("CIDR membership matches a bit-by-bit reference")
struct CIDRPropertyTests {
    @Test("10,000 random IPv4 addresses against random networks", arguments: [UInt64(0x5EED), 42])
    func ipv4(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var inside = 0
        for _ in 0..<10_000 {
            let prefix = Int.random(in: 1...32, using: &random)
            let mask: UInt32 = prefix == 32 ? .max : ~(UInt32.max >> prefix)
            let network = UInt32.random(in: .min ... .max, using: &random) & mask
            // Half the addresses share the network bits, so both answers occur often.
            let address = Bool.random(using: &random)
                ? network | (UInt32.random(in: .min ... .max, using: &random) & ~mask)
                : UInt32.random(in: .min ... .max, using: &random)

            let cidr = try CIDR(parsing: "\(IPAddress.v4(network))/\(prefix)")
            #expect(cidr.network == .v4(network))
            let expected = (0..<prefix).allSatisfy { bit in
                (address >> (31 - bit)) & 1 == (network >> (31 - bit)) & 1
            }
            if cidr.contains(.v4(address)) != expected {
                Issue.record("\(IPAddress.v4(address)) in \(cidr): expected \(expected)")
            }
            if expected { inside += 1 }
        }
        #expect(inside > 4_000)
    }

    @Test("10,000 random IPv6 addresses against random networks", arguments: [UInt64(0x5EED), 42])
    func ipv6(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var inside = 0
        for _ in 0..<10_000 {
            let prefix = Int.random(in: 1...128, using: &random)
            let mask: UInt128 = prefix == 128 ? .max : ~(UInt128.max >> prefix)
            var network = UInt128(random.next()) << 64 | UInt128(random.next())
            network &= mask
            if network >> 32 == 0xFFFF { network ^= 1 << 127 }   // keep clear of the mapped range
            let randomBits = UInt128(random.next()) << 64 | UInt128(random.next())
            let address = Bool.random(using: &random) ? network | (randomBits & ~mask) : randomBits
            let networkIP = IPAddress.v6(high: UInt64(network >> 64), low: UInt64(truncatingIfNeeded: network))
            let addressIP = IPAddress.v6(high: UInt64(address >> 64), low: UInt64(truncatingIfNeeded: address))
                .normalized

            let cidr = try CIDR(parsing: "\(networkIP)/\(prefix)")
            #expect(cidr.network == networkIP)
            let expected = !addressIP.isIPv4 && (0..<prefix).allSatisfy { bit in
                (address >> (127 - bit)) & 1 == (network >> (127 - bit)) & 1
            }
            if cidr.contains(addressIP) != expected {
                Issue.record("\(addressIP) in \(cidr): expected \(expected)")
            }
            if expected { inside += 1 }
        }
        #expect(inside > 4_000)
    }

    @Test("random IPv4 networks with host bits set name the masked network", arguments: [UInt64(7)])
    func hostBitsSuggestion(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<2_000 {
            let prefix = Int.random(in: 1...31, using: &random)
            let mask = ~(UInt32.max >> prefix)
            let hostBits = UInt32.random(in: 1...(~mask), using: &random)
            let network = UInt32.random(in: .min ... .max, using: &random) & mask
            let text = "\(IPAddress.v4(network | hostBits))/\(prefix)"
            #expect(throws: CIDRError.hostBitsSet(text, network: "\(IPAddress.v4(network))/\(prefix)")) {
                try CIDR(parsing: text)
            }
        }
    }
}
