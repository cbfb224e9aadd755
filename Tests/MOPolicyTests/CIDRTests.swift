import Testing
@testable import MOPolicy

@Suite("CIDR parsing and membership")
struct CIDRTests {
    @Test("a valid network parses to its address and prefix", arguments: [
        ("31.169.56.0/21", "31.169.56.0", 21, "31.169.56.0/21"),
        ("188.94.184.0/22", "188.94.184.0", 22, "188.94.184.0/22"),
        ("10.0.0.0/8", "10.0.0.0", 8, "10.0.0.0/8"),
        ("0.0.0.0/1", "0.0.0.0", 1, "0.0.0.0/1"),
        ("128.0.0.0/1", "128.0.0.0", 1, "128.0.0.0/1"),
        ("127.0.0.1/32", "127.0.0.1", 32, "127.0.0.1/32"),
        ("2001:db8::/32", "2001:db8::", 32, "2001:db8::/32"),
        ("2001:DB8:0:0::/64", "2001:db8::", 64, "2001:db8::/64"),
        ("::1/128", "::1", 128, "::1/128"),
        ("fe80::/10", "fe80::", 10, "fe80::/10"),
        ("8000::/1", "8000::", 1, "8000::/1"),
    ])
    func validNetwork(text: String, network: String, prefix: Int, description: String) throws {
        let cidr = try CIDR(parsing: text)
        #expect(cidr.network == IPAddress(network))
        #expect(cidr.prefixLength == prefix)
        #expect(cidr.description == description)
    }

    @Test("a bare address is a single-host network", arguments: [
        ("1.2.3.4", "1.2.3.4/32"), ("0.0.0.0", "0.0.0.0/32"), ("::1", "::1/128"), ("::", "::/128"),
        ("2001:db8::17", "2001:db8::17/128"), ("::ffff:1.2.3.4", "1.2.3.4/32"),
    ])
    func bareAddress(text: String, description: String) throws {
        #expect(try CIDR(parsing: text).description == description)
    }

    @Test("IPv4-mapped IPv6 networks of /96 and longer become IPv4 networks", arguments: [
        ("::ffff:31.169.56.0/117", "31.169.56.0/21"),
        ("::ffff:1fa9:3800/117", "31.169.56.0/21"),
        ("::ffff:127.0.0.1/128", "127.0.0.1/32"),
        ("::ffff:10.0.0.0/104", "10.0.0.0/8"),
        ("::ffff:0.0.0.0/97", "0.0.0.0/1"),
    ])
    func mappedNetworks(text: String, description: String) throws {
        let cidr = try CIDR(parsing: text)
        #expect(cidr.description == description)
        #expect(cidr.network.isIPv4)
    }

    @Test("an address that is not strict IPv4 or IPv6 is invalidAddress, keeping the text as given", arguments: [
        "", "abc/21", "/21", "031.169.56.0/21", "31.169.56/21", " 31.169.56.0/21", "31.169.56.0 /21",
        "[::1]/128", "fe80::1%eth0/64", "2001:db8:::/32", "0x1f.169.56.0/21", "31.169.56.0:80/21",
    ])
    func invalidAddress(text: String) {
        #expect(throws: CIDRError.invalidAddress(text)) { try CIDR(parsing: text) }
    }

    @Test("a prefix that is not plain decimal in range is invalidPrefix", arguments: [
        "31.169.56.0/", "31.169.56.0/33", "31.169.56.0/021", "31.169.56.0/+21", "31.169.56.0/-1", "31.169.56.0/21/",
        "31.169.56.0/2 1", "31.169.56.0/ 21", "31.169.56.0/21 ", "31.169.56.0/1000", "31.169.56.0/0x15",
        "31.169.56.0/00", "2001:db8::/129", "2001:db8::/0128", "::/99999999999999999999999", "1.2.3.4/３２",
    ])
    func invalidPrefix(text: String) {
        #expect(throws: CIDRError.invalidPrefix(text)) { try CIDR(parsing: text) }
    }

    @Test("/0 is refused because it would allow every address", arguments: [
        "0.0.0.0/0", "1.2.3.4/0", "::/0", "2001:db8::/0", "::ffff:0:0/96", "::ffff:1.2.3.4/96",
    ])
    func zeroPrefix(text: String) {
        #expect(throws: CIDRError.zeroPrefix(text)) { try CIDR(parsing: text) }
    }

    @Test("host bits are refused and the error names the network meant", arguments: [
        ("31.169.57.0/21", "31.169.56.0/21"),
        ("31.169.63.255/21", "31.169.56.0/21"),
        ("188.94.187.1/22", "188.94.184.0/22"),
        ("10.0.0.1/8", "10.0.0.0/8"),
        ("1.2.3.5/31", "1.2.3.4/31"),
        ("2001:db8::1/32", "2001:db8::/32"),
        ("2001:db8:0:0:8000::/64", "2001:db8::/64"),
        ("2001:db8:0:0:4000::/65", "2001:db8::/65"),
        ("2001:db8::1/127", "2001:db8::/127"),
        ("::ffff:31.169.57.0/117", "31.169.56.0/21"),
        ("::ffff:0:0/95", "::fffe:0:0/95"),
        ("::ffff:0:0/80", "::/80"),
    ])
    func hostBitsSet(text: String, network: String) {
        #expect(throws: CIDRError.hostBitsSet(text, network: network)) { try CIDR(parsing: text) }
        #expect((try? CIDR(parsing: network)) != nil, "the suggested network must itself parse")
    }

    @Test("each error says in one line what is wrong", arguments: [
        (CIDRError.invalidAddress("abc/21"),
         "'abc/21' is not a network: the address is not a valid IPv4 or IPv6 address"),
        (.invalidPrefix("31.169.56.0/33"),
         "'31.169.56.0/33' has an invalid prefix length (use /1 to /32 for IPv4, /1 to /128 for IPv6)"),
        (.zeroPrefix("0.0.0.0/0"), "'0.0.0.0/0' has prefix length 0, which would allow every address"),
        (.hostBitsSet("31.169.57.0/21", network: "31.169.56.0/21"),
         "'31.169.57.0/21' has host bits set (did you mean 31.169.56.0/21?)"),
    ])
    func errorDescriptions(error: CIDRError, description: String) {
        #expect(error.description == description)
    }

    @Test("an error quoting text with control characters stays on one line")
    func errorDescriptionIsOneLine() {
        let text = "31.169.56.0/21\nfake: line\u{2028}\r"
        #expect(throws: CIDRError.invalidPrefix(text)) { try CIDR(parsing: text) }
        let description = CIDRError.invalidPrefix(text).description
        #expect(!description.contains { $0.isNewline })
        #expect(description.hasPrefix("'31.169.56.0/21\\nfake: line\\u{2028}\\r'"))
    }

    @Test("membership at the edges of the CM ranges", arguments: [
        ("31.169.56.0/21", "31.169.56.0", true),
        ("31.169.56.0/21", "31.169.63.255", true),
        ("31.169.56.0/21", "31.169.64.0", false),
        ("31.169.56.0/21", "31.169.55.255", false),
        ("85.119.48.0/21", "85.119.48.0", true),
        ("85.119.48.0/21", "85.119.55.255", true),
        ("85.119.48.0/21", "85.119.47.255", false),
        ("85.119.48.0/21", "85.119.56.0", false),
        ("188.94.184.0/22", "188.94.184.0", true),
        ("188.94.184.0/22", "188.94.187.255", true),
        ("188.94.184.0/22", "188.94.188.0", false),
        ("188.94.184.0/22", "188.94.183.255", false),
    ])
    func edges(network: String, address: String, inside: Bool) throws {
        let cidr = try CIDR(parsing: network)
        let ip = try #require(IPAddress(address))
        #expect(cidr.contains(ip) == inside)
    }

    @Test("a /32 and a /128 contain exactly one address")
    func singleHost() throws {
        let v4 = try CIDR(parsing: "203.0.113.9/32")
        #expect(v4.contains(.v4(0xCB00_7109)))
        #expect(!v4.contains(.v4(0xCB00_7108)))
        #expect(!v4.contains(.v4(0xCB00_710A)))
        let v6 = try CIDR(parsing: "2001:db8::17/128")
        #expect(v6.contains(try #require(IPAddress("2001:db8::17"))))
        #expect(!v6.contains(try #require(IPAddress("2001:db8::16"))))
        #expect(!v6.contains(try #require(IPAddress("2001:db8::18"))))
        #expect(!v6.contains(try #require(IPAddress("2001:db8:0:1::17"))))
    }

    @Test("IPv6 networks at prefixes around the 64-bit boundary", arguments: [
        ("2001:db8::/63", "2001:db8:0:1:ffff:ffff:ffff:ffff", true),
        ("2001:db8::/63", "2001:db8:0:2::", false),
        ("2001:db8::/64", "2001:db8::ffff:ffff:ffff:ffff", true),
        ("2001:db8::/64", "2001:db8:0:1::", false),
        ("2001:db8::/65", "2001:db8::7fff:ffff:ffff:ffff", true),
        ("2001:db8::/65", "2001:db8::8000:0:0:0", false),
        ("8000::/1", "ffff::", true),
        ("8000::/1", "7fff::", false),
        ("::/1", "::1", true),
    ])
    func v6Prefixes(network: String, address: String, inside: Bool) throws {
        let cidr = try CIDR(parsing: network)
        #expect(cidr.contains(try #require(IPAddress(address))) == inside)
    }

    @Test("an IPv4 address is never inside an IPv6 network, nor the reverse")
    func familiesNeverMix() throws {
        let v4Address = try #require(IPAddress("0.0.0.1"))
        let v6Address = try #require(IPAddress("::1"))
        #expect(!(try CIDR(parsing: "::/1")).contains(v4Address))
        #expect(!(try CIDR(parsing: "::/96")).contains(v4Address))
        #expect(!(try CIDR(parsing: "0.0.0.0/1")).contains(v6Address))
        #expect(!(try CIDR(parsing: "0.0.0.0/31")).contains(v6Address))
    }

    @Test("a mapped .v6 value is matched as the IPv4 address it holds")
    func mappedValueMatchesIPv4Network() throws {
        let cidr = try CIDR(parsing: "31.169.56.0/21")
        #expect(cidr.contains(.v6(high: 0, low: 0x0000_FFFF_1FA9_380A)))
        #expect(CIDRSet([cidr]).contains(.v6(high: 0, low: 0x0000_FFFF_1FA9_380A)))
    }
}
