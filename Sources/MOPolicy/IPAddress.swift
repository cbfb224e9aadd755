/// An IPv4 or IPv6 address as integers.
///
/// A pure value type with no owner and no shared state: usable from any thread or task.
/// IPv4-mapped IPv6 text (`::ffff:a.b.c.d`, also written `::ffff:7f00:1`) always parses to `.v4`, so one client
/// never has two spellings. Values built directly from the `.v6` case are normalised wherever they are compared
/// (`CIDR.contains`).
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    case v4(UInt32)
    case v6(high: UInt64, low: UInt64)

    /// Strict parser, no allocation.
    ///
    /// IPv4: exactly four decimal octets `0...255` without leading zeros (`"031.1.1.1"`, `"01.2.3.4"` are refused,
    /// because `inet_aton` reads them as octal), no hex, octal or short forms (`"127.1"`).
    /// IPv6: the RFC 4291 text forms, including `"::"` and an embedded IPv4 tail, hex in either case.
    /// No zone id (`"%eth0"`), no brackets, no port, no surrounding whitespace. Anything else is `nil`.
    public init?(_ text: Substring) {
        guard let address = IPAddress.parse(text.utf8) else { return nil }
        self = address
    }

    /// Same as `init?(_: Substring)`.
    public init?(_ text: String) {
        self.init(Substring(text))
    }

    /// `true` for `.v4`.
    public var isIPv4: Bool {
        if case .v4 = self { return true }
        return false
    }

    /// The same address with an IPv4-mapped `.v6` value turned into `.v4`; other values are returned unchanged.
    public var normalized: IPAddress {
        if case .v6(high: 0, let low) = self, low >> 32 == 0xffff {
            return .v4(UInt32(truncatingIfNeeded: low))
        }
        return self
    }

    /// Canonical text: a dotted quad, or RFC 5952 for IPv6 (lowercase, no leading zeros, the longest run of two or
    /// more zero groups compressed, the first one on a tie). A `.v6` value holding an IPv4-mapped address prints
    /// as `::ffff:a.b.c.d` (RFC 5952 §5).
    public var description: String {
        switch self {
        case .v4(let value):
            return IPAddress.dottedQuad(value)
        case .v6(let high, let low):
            if high == 0, low >> 32 == 0xffff {
                return "::ffff:" + IPAddress.dottedQuad(UInt32(truncatingIfNeeded: low))
            }
            return IPAddress.rfc5952(high: high, low: low)
        }
    }
}
