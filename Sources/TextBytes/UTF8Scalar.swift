/// Strict UTF-8 decoding shared by the JSON and XML scanners. Pure; safe from any thread.
package enum UTF8Scalar {
    /// The scalar value and length of the well-formed UTF-8 sequence at `offset`, or `nil` when it is ill-formed
    /// (Unicode Table 3-7: no overlongs, no encoded surrogates, nothing above U+10FFFF, no truncation).
    package static func decode(_ bytes: [UInt8], at offset: Int) -> (scalar: UInt32, length: Int)? {
        let lead = bytes[offset]
        let length: Int
        let second: ClosedRange<UInt8>
        switch lead {
        case 0x00...0x7F: return (UInt32(lead), 1)
        case 0xC2...0xDF: length = 2; second = 0x80...0xBF
        case 0xE0: length = 3; second = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3; second = 0x80...0xBF
        case 0xED: length = 3; second = 0x80...0x9F
        case 0xF0: length = 4; second = 0x90...0xBF
        case 0xF1...0xF3: length = 4; second = 0x80...0xBF
        case 0xF4: length = 4; second = 0x80...0x8F
        default: return nil
        }
        guard offset + length <= bytes.count, second.contains(bytes[offset + 1]) else { return nil }
        var scalar = UInt32(lead) & (0xFF >> (length + 1))
        for continuation in bytes[(offset + 1)..<(offset + length)] {
            guard continuation & 0xC0 == 0x80 else { return nil }
            scalar = scalar << 6 | UInt32(continuation & 0x3F)
        }
        return (scalar, length)
    }
}
