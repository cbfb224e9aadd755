import MOTestFixtures
import Testing
@testable import MOPolicy

@Suite("IPAddress parsing and printing")
struct IPAddressTests {
    @Test("a dotted quad parses to its 32-bit value", arguments: [
        ("0.0.0.0", UInt32(0)),
        ("255.255.255.255", UInt32.max),
        ("31.169.56.10", 0x1FA9_380A),
        ("1.2.3.4", 0x0102_0304),
        ("10.0.0.1", 0x0A00_0001),
        ("100.20.3.0", 0x6414_0300),
    ])
    func validIPv4(text: String, value: UInt32) {
        #expect(IPAddress(text) == .v4(value))
        #expect(IPAddress(text)?.description == text)
    }

    @Test("IPv4 text that is not exactly four plain decimal octets is refused", arguments: [
        "", "256.1.1.1", "1.256.1.1", "1.1.1.256", "999.1.1.1", "1.2.3", "1.2.3.4.5", "1..2.3", ".1.2.3", "1.2.3.",
        "031.169.56.10", "01.2.3.4", "1.2.3.00", "1.2.3.01", "00.0.0.0",
        "+1.2.3.4", "-1.2.3.4", " 1.2.3.4", "1.2.3.4 ", "1.2.3.4\n", "\t1.2.3.4",
        "0x7f.0.0.1", "0x7f000001", "127.1", "127.0.1", "2130706433", "017700000001",
        "1.2.3.4/32", "1.2.3.4:80", "1.2.3.a", "garbage", "١.٢.٣.٤", "1.2.3.4.", "1 .2.3.4",
    ])
    func invalidIPv4(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test("IPv6 text forms parse to their 128-bit value", arguments: [
        ("::", UInt64(0), UInt64(0)),
        ("::1", 0, 1),
        ("1::", 0x0001_0000_0000_0000, 0),
        ("2001:db8::1", 0x2001_0DB8_0000_0000, 1),
        ("2001:0db8:0000:0000:0000:0000:0000:0001", 0x2001_0DB8_0000_0000, 1),
        ("2001:DB8:85A3:8D3:1319:8A2E:370:7348", 0x2001_0DB8_85A3_08D3, 0x1319_8A2E_0370_7348),
        ("1:2:3:4:5:6:7:8", 0x0001_0002_0003_0004, 0x0005_0006_0007_0008),
        ("1:2:3:4:5:6:7::", 0x0001_0002_0003_0004, 0x0005_0006_0007_0000),
        ("::2:3:4:5:6:7:8", 0x0000_0002_0003_0004, 0x0005_0006_0007_0008),
        ("fe80::", 0xFE80_0000_0000_0000, 0),
        ("64:ff9b::1.2.3.4", 0x0064_FF9B_0000_0000, 0x0000_0000_0102_0304),
        ("::1.2.3.4", 0, 0x0102_0304),
        ("1:2:3:4:5:6:1.2.3.4", 0x0001_0002_0003_0004, 0x0005_0006_0102_0304),
        ("::ffff:0:1.2.3.4", 0, 0xFFFF_0000_0102_0304),
        ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", UInt64.max, UInt64.max),
    ])
    func validIPv6(text: String, high: UInt64, low: UInt64) {
        #expect(IPAddress(text) == .v6(high: high, low: low))
    }

    @Test("malformed IPv6 text is refused", arguments: [
        "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2::3", "::1::", ":::", ":", ":1::", "1:", "::1:", "1:2:3:4:5:6:7:8::",
        "::1:2:3:4:5:6:7:8", "12345::", "g::", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4.5", "::031.1.1.1", "1.2.3.4::",
        "::1.2.3", "::1.2.3.4:5", "::ffff:256.1.1.1", "fe80::1%eth0", "fe80::1%1", "[::1]", "[2001:db8::1]:80",
        " ::1", "::1 ", "2001:db8::1/64", "::-1", "1:2:3:4:5:6:7:8%eth0", "::ffff:1.2.3.04",
    ])
    func invalidIPv6(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test("IPv4-mapped IPv6 is IPv4, in both spellings", arguments: [
        ("::ffff:31.169.56.10", "31.169.56.10"),
        ("::ffff:1fa9:380a", "31.169.56.10"),
        ("::ffff:7f00:1", "127.0.0.1"),
        ("::FFFF:127.0.0.1", "127.0.0.1"),
        ("0:0:0:0:0:ffff:7f00:1", "127.0.0.1"),
        ("0000:0000:0000:0000:0000:FFFF:0.0.0.0", "0.0.0.0"),
        ("::ffff:255.255.255.255", "255.255.255.255"),
        ("0000:0000:0000:0000:0000:ffff:255.255.255.255", "255.255.255.255"),   // the longest valid text, 45 bytes
    ])
    func mappedIsIPv4(text: String, v4: String) {
        #expect(IPAddress(text) == IPAddress(v4))
        #expect(IPAddress(text)?.isIPv4 == true)
    }

    @Test("IPv4-compatible, NAT64 and IPv4-translated addresses stay IPv6", arguments: [
        "::1.2.3.4", "64:ff9b::1.2.3.4", "::ffff:0:1.2.3.4", "::fffe:1.2.3.4", "1::ffff:1.2.3.4",
    ])
    func otherEmbeddingsStayIPv6(text: String) {
        #expect(IPAddress(text)?.isIPv4 == false)
    }

    @Test("IPv6 prints in RFC 5952 form", arguments: [
        ("0:0:0:0:0:0:0:0", "::"),
        ("0:0:0:0:0:0:0:1", "::1"),
        ("1:0:0:0:0:0:0:0", "1::"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("2001:0db8:0000:0000:0001:0000:0000:0001", "2001:db8::1:0:0:1"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("2001:db8:0:0:1:0:0:0", "2001:db8:0:0:1::"),
        ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
        ("fe80:0:0:0:0:0:0:0", "fe80::"),
        ("64:ff9b::1.2.3.4", "64:ff9b::102:304"),
        ("::1.2.3.4", "::102:304"),
        ("ABCD:EF01:2345:6789:ABCD:EF01:2345:6789", "abcd:ef01:2345:6789:abcd:ef01:2345:6789"),
        ("1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0"),
        ("0:1:0:1:0:1:0:1", "0:1:0:1:0:1:0:1"),
        ("0:0:1:0:0:1:0:0", "::1:0:0:1:0:0"),
    ])
    func canonicalIPv6(text: String, canonical: String) {
        #expect(IPAddress(text)?.description == canonical)
        #expect(IPAddress(canonical) == IPAddress(text))
    }

    @Test("a .v6 value holding a mapped address prints as ::ffff:a.b.c.d and normalises to .v4")
    func mappedV6Value() {
        let mapped = IPAddress.v6(high: 0, low: 0x0000_FFFF_0102_0304)
        #expect(mapped.description == "::ffff:1.2.3.4")
        #expect(mapped.normalized == .v4(0x0102_0304))
        #expect(IPAddress.v6(high: 0, low: 1).normalized == .v6(high: 0, low: 1))
    }

    @Test("text longer than any address is refused without scanning it")
    func overlong() {
        #expect(IPAddress("0000:0000:0000:0000:0000:ffff:255.255.255.2555") == nil)
        #expect(IPAddress(String(repeating: "1", count: 100_000)) == nil)
        #expect(IPAddress(String(repeating: ":", count: 100_000)) == nil)
    }

    @Test("the Substring initialiser reads only its slice")
    func substringSlice() {
        let line = "xx31.169.56.10yy"
        let slice = line.dropFirst(2).dropLast(2)
        #expect(IPAddress(slice) == IPAddress("31.169.56.10"))
        #expect(IPAddress(line.dropFirst(2)) == nil)
    }

    @Test("random IPv6 values survive print and parse", arguments: [UInt64(1), 2, 3])
    func roundTrip(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<2_000 {
            // Sparse groups, so runs of zeros of every length occur.
            var high: UInt64 = 0, low: UInt64 = 0
            for shift in stride(from: 0, to: 64, by: 16) {
                if random.next() % 2 == 0 { high |= (random.next() & 0xFFFF) << shift }
                if random.next() % 2 == 0 { low |= (random.next() & 0xFFFF) << shift }
            }
            let address = IPAddress.v6(high: high, low: low).normalized
            #expect(IPAddress(address.description) == address, "\(address)")
        }
    }
}
