/// Why a CIDR text was refused. Each case keeps the text as given.
///
/// A pure value type usable from any thread. `description` is one line an operator can act on; control
/// characters from the input are escaped so the line stays one line.
public enum CIDRError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The part before `/` is not a strict IPv4 or IPv6 address.
    case invalidAddress(String)
    /// The part after `/` is not a decimal number in `0...32` (IPv4) or `0...128` (IPv6).
    case invalidPrefix(String)
    /// The network is `/0`, which would allow every address.
    case zeroPrefix(String)
    /// Bits after the prefix are set; `network` is the corrected CIDR text.
    case hostBitsSet(String, network: String)

    public var description: String {
        switch self {
        case .invalidAddress(let text):
            "'\(text.escapedForLog)' is not a network: the address is not a valid IPv4 or IPv6 address"
        case .invalidPrefix(let text):
            "'\(text.escapedForLog)' has an invalid prefix length (use /1 to /32 for IPv4, /1 to /128 for IPv6)"
        case .zeroPrefix(let text):
            "'\(text.escapedForLog)' has prefix length 0, which would allow every address"
        case .hostBitsSet(let text, let network):
            "'\(text.escapedForLog)' has host bits set (did you mean \(network.escapedForLog)?)"
        }
    }
}
