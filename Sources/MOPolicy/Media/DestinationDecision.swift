/// Whether the media downloader may connect to an address. A pure value usable from any thread.
public enum DestinationDecision: Hashable, Sendable, CustomStringConvertible {
    case allowed
    case refused(DestinationRefusal)

    /// `"allowed"`, or the refusal's one line.
    public var description: String {
        switch self {
        case .allowed: "allowed"
        case .refused(let refusal): refusal.description
        }
    }
}

/// Why a connection was refused: one line for the log and the media job's failure reason, e.g.
/// `"169.254.169.254 is link-local (cloud metadata)"`.
///
/// A pure value type usable from any thread. `address` is the canonical text of the address as given (an
/// IPv4-mapped address stays `::ffff:a.b.c.d` so the line shows what libcurl had), or a short escaped excerpt when
/// the text was not an address.
public struct DestinationRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    public let address: String
    public let port: Int
    public let reason: DestinationRefusalReason

    public var description: String {
        switch reason {
        case .notAnAddress:
            return "'\(address.escapedForLog)' is not a numeric IP address"
        case .portNotAllowed:
            return "port \(port) of \(address) is not an allowed media port"
        case .notGlobalUnicast:
            return "\(address) is not global unicast IPv6 (outside 2000::/3)"
        case .inRange(let range):
            return "\(address) is \(range)"
        case .embeds(let embedding, let inner, let range):
            return "\(address) is \(embedding) \(inner), which is \(range)"
        }
    }
}

/// The rule a refused destination broke. A pure value usable anywhere.
public enum DestinationRefusalReason: Hashable, Sendable {
    /// The text is not a strict numeric IPv4 or IPv6 address (libcurl always passes one; refused to fail closed).
    case notAnAddress
    /// The port is not in `DestinationPolicy.Settings.allowedPorts`.
    case portNotAllowed
    /// IPv6 outside 2000::/3 that no other rule names.
    case notGlobalUnicast
    /// The address is in a refused network.
    case inRange(DestinationRange)
    /// The address carries an IPv4 address that is in a refused network.
    case embeds(DestinationEmbedding, IPAddress, DestinationRange)
}

/// How an IPv6 address carries an IPv4 one. A pure value usable anywhere.
public enum DestinationEmbedding: String, Hashable, Sendable, CustomStringConvertible {
    /// `::ffff:a.b.c.d` (RFC 4291 §2.5.5.2): the IPv4 address itself, as a dual-stack socket sees it.
    case ipv4Mapped
    /// `64:ff9b::a.b.c.d` (RFC 6052 well-known prefix): a NAT64 gateway connects to the IPv4 address.
    case nat64
    /// `2002:AABB:CCDD::/48` (RFC 3056): the IPv4 address in bits 16–47.
    case sixToFour
    /// `2001:0:SSSS:SSSS:…:CCCC:CCCC` (RFC 4380): the server address in bits 32–63, the client address inverted in
    /// the last 32 bits.
    case teredo

    /// `"IPv4-mapped"`, `"NAT64 for"`, `"6to4 for"`, `"Teredo with"`.
    public var description: String {
        switch self {
        case .ipv4Mapped: "IPv4-mapped"
        case .nat64: "NAT64 for"
        case .sixToFour: "6to4 for"
        case .teredo: "Teredo with"
        }
    }
}
