/// A network in CIDR notation, e.g. `31.169.56.0/21`.
///
/// A pure value type with no owner and no shared state: usable from any thread or task. Built once from
/// configuration; `contains` is a mask and a compare on integers.
public struct CIDR: Hashable, Sendable, CustomStringConvertible {
    /// The network address (host bits are always zero).
    public let network: IPAddress
    /// `1...32` for IPv4, `1...128` for IPv6.
    public let prefixLength: Int

    /// Parses `"a.b.c.d/n"` or `"v6/n"`; a bare address means `/32` or `/128`.
    ///
    /// The text must be exact: no whitespace, the address as strict as `IPAddress`, the prefix plain decimal
    /// without sign or leading zeros. `/0` is refused (it would allow the whole internet), and so are host bits
    /// (`31.169.57.0/21`); that error names the network meant. IPv4-mapped IPv6 networks (`::ffff:0:0/96` and
    /// longer) become the IPv4 network, so `::ffff:31.169.56.0/117` is `31.169.56.0/21` and `::ffff:0:0/96` is
    /// refused as `/0`.
    public init(parsing text: String) throws(CIDRError) {
        let bytes = Substring(text).utf8
        let slash = bytes.firstIndex(of: ASCII.slash)
        let addressText = bytes[bytes.startIndex..<(slash ?? bytes.endIndex)]
        guard let parsed = IPAddress.parseUnnormalized(addressText) else { throw .invalidAddress(text) }

        let width = parsed.isIPv4 ? 32 : 128
        var prefix = width
        if let slash {
            guard let value = CIDR.parsePrefix(bytes[bytes.index(after: slash)...], maximum: width) else {
                throw .invalidPrefix(text)
            }
            prefix = value
        }
        var address = parsed
        if prefix >= 96, case .v6(high: 0, let low) = parsed, low >> 32 == 0xffff {
            address = .v4(UInt32(truncatingIfNeeded: low))
            prefix -= 96
        }
        guard prefix > 0 else { throw .zeroPrefix(text) }
        let network = address.masked(toPrefix: prefix)
        guard network == address else { throw .hostBitsSet(text, network: "\(network)/\(prefix)") }
        self.init(uncheckedNetwork: network, prefixLength: prefix)
    }

    /// For constants whose network and prefix are known to be valid.
    init(uncheckedNetwork network: IPAddress, prefixLength: Int) {
        self.network = network
        self.prefixLength = prefixLength
    }

    /// `true` when `address` is inside this network. An IPv4 address is never inside an IPv6 network and vice
    /// versa; an IPv4-mapped `.v6` value counts as IPv4.
    public func contains(_ address: IPAddress) -> Bool {
        address.normalized.masked(toPrefix: prefixLength) == network
    }

    /// `"31.169.56.0/21"`.
    public var description: String { "\(network)/\(prefixLength)" }

    /// Decimal digits only, no sign, no leading zero, `0...maximum`.
    private static func parsePrefix(_ bytes: Substring.UTF8View, maximum: Int) -> Int? {
        guard let first = bytes.first, bytes.count <= 3 else { return nil }
        if first == UInt8(ascii: "0") && bytes.count > 1 { return nil }
        var value = 0
        for byte in bytes {
            guard let digit = ASCII.decimalValue(byte) else { return nil }
            value = value * 10 + Int(digit)
        }
        return value <= maximum ? value : nil
    }
}
