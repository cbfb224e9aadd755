@testable import MOPolicy

/// Shared setup for the trust tests: the proxy on loopback, CM's ranges as the allowlist.
enum TrustFixtures {
    static func ip(_ text: String) -> IPAddress {
        guard let address = IPAddress(text) else { fatalError("test fixture '\(text)' is not an address") }
        return address
    }

    static func networks(_ texts: String...) -> CIDRSet {
        CIDRSet(texts.map { text in
            do {
                return try CIDR(parsing: text)
            } catch {
                fatalError("test fixture '\(text)': \(error)")
            }
        })
    }

    static let loopbackProxy = networks("127.0.0.1/32", "::1/128")
    /// Loopback plus an internal proxy tier in 10/8.
    static let proxyTiers = networks("127.0.0.1/32", "::1/128", "10.0.0.0/8")

    static func resolver(_ header: ClientIPHeader, trusted: CIDRSet = loopbackProxy, maxEntries: Int = 32)
        -> ClientIPResolver {
        ClientIPResolver(trustedProxies: trusted, header: header, maxEntries: maxEntries)
    }

    static func policy(_ header: ClientIPHeader, trusted: CIDRSet = loopbackProxy) -> AccessPolicy {
        AccessPolicy(allowedSources: .cmSources, resolver: resolver(header, trusted: trusted))
    }
}
