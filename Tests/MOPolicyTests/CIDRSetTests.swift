import Testing
@testable import MOPolicy

@Suite("CIDRSet")
struct CIDRSetTests {
    @Test("cmSources is CM's three documented ranges")
    func cmSources() throws {
        let parsed = CIDRSet(try ["31.169.56.0/21", "85.119.48.0/21", "188.94.184.0/22"].map { try CIDR(parsing: $0) })
        #expect(CIDRSet.cmSources == parsed)
        #expect(CIDRSet.cmSources.description == "31.169.56.0/21, 85.119.48.0/21, 188.94.184.0/22")
    }

    @Test("cmSources contains each range's first and last address and nothing beside them", arguments: [
        ("31.169.56.0", true), ("31.169.63.255", true), ("31.169.55.255", false), ("31.169.64.0", false),
        ("85.119.48.0", true), ("85.119.55.255", true), ("85.119.47.255", false), ("85.119.56.0", false),
        ("188.94.184.0", true), ("188.94.187.255", true), ("188.94.183.255", false), ("188.94.188.0", false),
        ("6.6.6.6", false), ("127.0.0.1", false), ("::ffff:31.169.56.10", true), ("2001:db8::1", false),
    ])
    func cmSourcesMembership(address: String, inside: Bool) throws {
        #expect(CIDRSet.cmSources.contains(try #require(IPAddress(address))) == inside)
    }

    @Test("an empty set contains nothing")
    func emptySet() throws {
        let empty = CIDRSet([])
        #expect(empty.isEmpty)
        #expect(!empty.contains(.v4(0)))
        #expect(!empty.contains(try #require(IPAddress("::1"))))
    }

    @Test("a mixed IPv4 and IPv6 set matches each family against its own networks")
    func mixedFamilies() throws {
        let set = CIDRSet(try ["127.0.0.1/32", "::1/128", "10.0.0.0/8"].map { try CIDR(parsing: $0) })
        #expect(set.contains(try #require(IPAddress("127.0.0.1"))))
        #expect(set.contains(try #require(IPAddress("::ffff:127.0.0.1"))))
        #expect(set.contains(try #require(IPAddress("::1"))))
        #expect(set.contains(try #require(IPAddress("10.255.0.1"))))
        #expect(!set.contains(try #require(IPAddress("::2"))))
        #expect(!set.contains(try #require(IPAddress("11.0.0.0"))))
    }
}
