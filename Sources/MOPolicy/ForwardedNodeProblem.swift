/// Why a `Forwarded` `for=` value carries no usable address. Each case says it in words that follow
/// "Forwarded element N …"; the value itself is never quoted.
enum ForwardedNodeProblem: Error, Equatable {
    case unknown
    case obfuscated
    case zoneID
    case bracketsWithoutIPv6
    case unbracketedIPv6
    case leadingZero
    case notAnAddress
    case invalidPort
    case badSyntax

    var detail: String {
        switch self {
        case .unknown: "has for=unknown (no address)"
        case .obfuscated: "has an obfuscated for= identifier (no address)"
        case .zoneID: "has a for= address with a zone id"
        case .bracketsWithoutIPv6: "has a for= value in brackets that is not an IPv6 address"
        case .unbracketedIPv6: "has a for= IPv6 address without brackets"
        case .leadingZero: "has a for= IPv4 octet with a leading zero"
        case .notAnAddress: "has a for= value that is not an IP address"
        case .invalidPort: "has a for= value with an invalid port"
        case .badSyntax: "has bad syntax or quoting"
        }
    }
}
