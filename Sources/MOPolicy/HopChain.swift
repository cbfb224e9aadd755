/// The decision over a forwarding chain, fed left to right: the right-most untrusted hop, or the left-most hop
/// when every hop is a trusted proxy. Feeding left to right and keeping the last untrusted hop gives the same
/// answer as walking from the right, without storing the chain.
struct HopChain {
    let trustedProxies: CIDRSet
    private var leftmost: IPAddress?
    private var rightmostUntrusted: IPAddress?

    init(trustedProxies: CIDRSet) {
        self.trustedProxies = trustedProxies
    }

    mutating func append(_ hop: IPAddress) {
        if leftmost == nil { leftmost = hop }
        if !trustedProxies.contains(hop) { rightmostUntrusted = hop }
    }

    /// nil when no hop was appended.
    var client: IPAddress? { rightmostUntrusted ?? leftmost }
}
