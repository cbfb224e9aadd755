/// The trust boundary: client-IP resolution, then the allowlist (ARCHITECTURE.md, contract 5).
///
/// A pure value type, usable from any thread: built once from config and shared by every request thread.
public struct AccessPolicy: Sendable {
    /// `trust.allowed_sources`, by default `CIDRSet.cmSources`.
    public let allowedSources: CIDRSet
    public let resolver: ClientIPResolver

    public init(allowedSources: CIDRSet, resolver: ClientIPResolver) {
        self.allowedSources = allowedSources
        self.resolver = resolver
    }

    /// `peer`: the TCP peer. `headerValues`: every line of the configured header (`resolver.header.headerName`)
    /// in the order received; an empty array when the request has none.
    public func decide(peer: IPAddress, headerValues: [String]) -> AccessDecision {
        switch resolver.resolveClient(peer: peer, headerValues: headerValues) {
        case .failure(let failure):
            return .deny(client: nil, reason: "\(failure.headerName) is malformed: \(failure.detail)")
        case .success(let client):
            guard allowedSources.contains(client) else {
                return .deny(client: client, reason: "source \(client) is not in trust.allowed_sources")
            }
            return .allow(client: client)
        }
    }
}
