/// Finds the client address of a request. Headers are believed only when the TCP peer is a trusted proxy.
///
/// A pure value type, usable from any thread: built once from config (`trust.trusted_proxies`,
/// `trust.client_ip_header`) and shared by every request thread. It holds no mutable state and allocates nothing
/// on the path of a well-formed header.
///
/// The chain is walked from the right: trusted proxies are skipped and the first untrusted entry is the client
/// (so a client cannot spoof by writing its own left-most entry). If every entry is trusted, the left-most one is
/// the client. Any bad entry anywhere in the chain, even left of the decision point, fails closed.
public struct ClientIPResolver: Sendable {
    public let trustedProxies: CIDRSet
    public let header: ClientIPHeader
    /// The most entries (XFF) or elements (`Forwarded`) accepted over all header lines together. A chain with more
    /// is malformed; 0 or less makes every non-empty chain malformed.
    public let maxEntries: Int

    public init(trustedProxies: CIDRSet, header: ClientIPHeader, maxEntries: Int = 32) {
        self.trustedProxies = trustedProxies
        self.header = header
        self.maxEntries = maxEntries
    }

    /// `headerValues`: every line of the configured header, in the order received (each line may itself be a
    /// comma list). If the header mode is `.none`, the peer is not trusted, or there are no lines, the result is
    /// the peer.
    public func resolve(peer: IPAddress, headerValues: [String]) -> ClientIPResolution {
        switch resolveClient(peer: peer, headerValues: headerValues) {
        case .success(let client): .resolved(client)
        case .failure(let failure): .malformed(failure.reason)
        }
    }

    /// Why a chain was refused, kept apart so `AccessPolicy` can phrase its own reason.
    struct Failure: Error, Equatable {
        let headerName: String
        /// Starts with the subject: `"entry 3 is not an IP address"`, `"entry count exceeds the limit of 32"`.
        let detail: String

        /// `"X-Forwarded-For entry 3 is not an IP address"`.
        var reason: String { "\(headerName) \(detail)" }
    }

    func resolveClient(peer: IPAddress, headerValues: [String]) -> Result<IPAddress, Failure> {
        guard header != .none, !headerValues.isEmpty, trustedProxies.contains(peer) else { return .success(peer) }
        var chain = HopChain(trustedProxies: trustedProxies)
        do {
            switch header {
            case .none: return .success(peer)
            case .xForwardedFor: try readXForwardedFor(headerValues, into: &chain)
            case .forwarded: try readForwarded(headerValues, into: &chain)
            }
        } catch {
            return .failure(error)
        }
        return .success(chain.client ?? peer)
    }

    func tooManyEntries(_ noun: String) -> Failure {
        Failure(headerName: header.headerName ?? "", detail: "\(noun) count exceeds the limit of \(max(maxEntries, 0))")
    }
}
