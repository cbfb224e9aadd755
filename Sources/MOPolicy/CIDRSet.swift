/// A set of networks, such as `trust.allowed_sources` or `trust.trusted_proxies`.
///
/// A pure value type with no owner and no shared state: usable from any thread or task. Membership is a linear
/// scan of integer masks, which is the fastest choice for the handful of networks a config holds.
public struct CIDRSet: Sendable, Equatable, CustomStringConvertible {
    /// The networks in the order given.
    public let networks: [CIDR]

    public init(_ networks: [CIDR]) {
        self.networks = networks
    }

    /// `true` when any network contains `address`.
    public func contains(_ address: IPAddress) -> Bool {
        let address = address.normalized
        for network in networks where network.contains(address) {
            return true
        }
        return false
    }

    /// `true` when the set has no networks (nothing is contained).
    public var isEmpty: Bool { networks.isEmpty }

    /// `"31.169.56.0/21, 85.119.48.0/21"`.
    public var description: String {
        networks.map(\.description).joined(separator: ", ")
    }

    /// CM.com's documented webhook source ranges: 31.169.56.0/21, 85.119.48.0/21, 188.94.184.0/22.
    public static let cmSources = CIDRSet([
        CIDR(uncheckedNetwork: .v4(0x1FA9_3800), prefixLength: 21),   // 31.169.56.0/21
        CIDR(uncheckedNetwork: .v4(0x5577_3000), prefixLength: 21),   // 85.119.48.0/21
        CIDR(uncheckedNetwork: .v4(0xBC5E_B800), prefixLength: 22),   // 188.94.184.0/22
    ])
}
