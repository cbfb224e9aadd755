extension Sequence where Element == UInt8 {
    /// The bytes as lowercase hexadecimal, two digits per byte and nothing in between: `[0x0f, 0xa0]` is `"0fa0"`.
    /// This is how `sha256sum` prints digests and how webhook signatures are sent.
    public var hexString: String {
        var digits: [UInt8] = []
        digits.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            digits.append(hexDigit(byte >> 4))
            digits.append(hexDigit(byte & 0x0f))
        }
        return String(decoding: digits, as: UTF8.self)
    }
}

/// The ASCII code of the lowercase hexadecimal digit for `nibble` (0...15).
@inline(__always)
private func hexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
}
