/// What kind of special-purpose address a refused destination is (IANA IPv4/IPv6 Special-Purpose Address
/// Registries, RFC 6890 and successors). A pure value, usable anywhere.
public enum DestinationCategory: String, Hashable, Sendable, CustomStringConvertible {
    case unspecified
    case thisNetwork
    case loopback
    case privateUse
    case sharedAddressSpace
    case linkLocal
    case ietfProtocolAssignments
    case documentation
    case benchmarking
    case sixToFourRelayAnycast
    case multicast
    case broadcast
    case reserved
    case ipv4Compatible
    case localUseNAT64
    case discardOnly
    case teredo
    case sixToFour
    case uniqueLocal
    case siteLocal

    /// The phrase after "is": `"link-local"`, `"private-use"`.
    public var description: String {
        switch self {
        case .unspecified: "unspecified"
        case .thisNetwork: "'this network'"
        case .loopback: "loopback"
        case .privateUse: "private-use"
        case .sharedAddressSpace: "shared address space (carrier-grade NAT)"
        case .linkLocal: "link-local"
        case .ietfProtocolAssignments: "reserved for IETF protocol assignments"
        case .documentation: "documentation-only"
        case .benchmarking: "benchmarking-only"
        case .sixToFourRelayAnycast: "6to4 relay anycast (deprecated)"
        case .multicast: "multicast"
        case .broadcast: "broadcast"
        case .reserved: "reserved"
        case .ipv4Compatible: "IPv4-compatible IPv6 (deprecated)"
        case .localUseNAT64: "local-use NAT64"
        case .discardOnly: "discard-only"
        case .teredo: "Teredo"
        case .sixToFour: "6to4 (deprecated)"
        case .uniqueLocal: "unique local"
        case .siteLocal: "site-local (deprecated)"
        }
    }
}

/// A refused network and why. A pure value, usable anywhere.
public struct DestinationRange: Hashable, Sendable, CustomStringConvertible {
    public let network: CIDR
    public let category: DestinationCategory
    /// A cloud provider's instance metadata service (169.254.169.254 and friends), the classic SSRF target.
    public let isCloudMetadata: Bool

    init(_ network: String, _ category: DestinationCategory, cloudMetadata: Bool = false) {
        do {
            self.network = try CIDR(parsing: network)
        } catch {
            preconditionFailure("DestinationRange table entry \(network): \(error)")
        }
        self.category = category
        self.isCloudMetadata = cloudMetadata
    }

    /// `"link-local (cloud metadata)"` or `"private-use (10.0.0.0/8)"`.
    public var description: String {
        isCloudMetadata ? "\(category) (cloud metadata)" : "\(category) (\(network))"
    }
}

extension DestinationRange {
    /// Refused IPv4 networks, first match wins (so single addresses come before their networks). Everything in
    /// the IANA IPv4 Special-Purpose Address Registry that is not globally reachable, plus 192.88.99.0/24 and the
    /// multicast and class E space. 192.31.196.0/24, 192.52.193.0/24 and 192.175.48.0/24 are globally reachable
    /// (AS112, AMT) and stay allowed.
    static let ipv4: [DestinationRange] = [
        DestinationRange("169.254.169.254", .linkLocal, cloudMetadata: true),   // AWS, GCP, Azure, OpenStack, …
        DestinationRange("169.254.170.2", .linkLocal, cloudMetadata: true),     // AWS ECS task metadata
        DestinationRange("100.100.100.200", .sharedAddressSpace, cloudMetadata: true),   // Alibaba Cloud
        DestinationRange("0.0.0.0/32", .unspecified),
        DestinationRange("0.0.0.0/8", .thisNetwork),
        DestinationRange("10.0.0.0/8", .privateUse),
        DestinationRange("100.64.0.0/10", .sharedAddressSpace),
        DestinationRange("127.0.0.0/8", .loopback),
        DestinationRange("169.254.0.0/16", .linkLocal),
        DestinationRange("172.16.0.0/12", .privateUse),
        DestinationRange("192.0.0.0/24", .ietfProtocolAssignments),
        DestinationRange("192.0.2.0/24", .documentation),
        DestinationRange("192.88.99.0/24", .sixToFourRelayAnycast),
        DestinationRange("192.168.0.0/16", .privateUse),
        DestinationRange("198.18.0.0/15", .benchmarking),
        DestinationRange("198.51.100.0/24", .documentation),
        DestinationRange("203.0.113.0/24", .documentation),
        DestinationRange("224.0.0.0/4", .multicast),
        DestinationRange("255.255.255.255/32", .broadcast),
        DestinationRange("240.0.0.0/4", .reserved),
    ]

    /// Refused IPv6 networks inside or next to global unicast, first match wins. `::ffff:0:0/96` (IPv4-mapped) and
    /// `64:ff9b::/96` (NAT64) are not here: `DestinationPolicy` unwraps them and checks the IPv4 address. 2002::/16
    /// and 2001::/32 are refused whole, but `DestinationPolicy` names a refused IPv4 address they embed. Anything
    /// outside 2000::/3 that is not listed is refused as not global unicast.
    static let ipv6: [DestinationRange] = [
        DestinationRange("fd00:ec2::254/128", .uniqueLocal, cloudMetadata: true),   // AWS instance metadata (IPv6)
        DestinationRange("::/128", .unspecified),
        DestinationRange("::1/128", .loopback),
        DestinationRange("::/96", .ipv4Compatible),
        DestinationRange("64:ff9b:1::/48", .localUseNAT64),
        DestinationRange("100::/64", .discardOnly),
        DestinationRange("2001::/32", .teredo),
        DestinationRange("2001:db8::/32", .documentation),
        DestinationRange("2001::/23", .ietfProtocolAssignments),
        DestinationRange("2002::/16", .sixToFour),
        DestinationRange("3fff::/20", .documentation),
        DestinationRange("fc00::/7", .uniqueLocal),
        DestinationRange("fe80::/10", .linkLocal),
        DestinationRange("fec0::/10", .siteLocal),
        DestinationRange("ff00::/8", .multicast),
    ]

    /// Global unicast (RFC 4291 §2.4): the only IPv6 space IANA allocates to the public internet.
    static let ipv6GlobalUnicast = DestinationRange("2000::/3", .reserved)
}
