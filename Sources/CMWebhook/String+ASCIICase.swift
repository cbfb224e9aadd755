extension String {
    /// This string with A–Z mapped to a–z and every other character unchanged.
    ///
    /// No Unicode case mapping: "K" (U+212A KELVIN SIGN) and "ſ" stay as they are, so a name can only
    /// match one of ours by ASCII letters.
    var asciiLowercased: String {
        guard utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return self }
        return String(decoding: utf8.map(Self.asciiLowercase), as: UTF8.self)
    }

    /// Whether the two strings are equal once ASCII letters A–Z are folded to a–z (nothing else is folded).
    func equalsIgnoringASCIICase(_ other: String) -> Bool {
        utf8.count == other.utf8.count
            && utf8.elementsEqual(other.utf8) { Self.asciiLowercase($0) == Self.asciiLowercase($1) }
    }

    private static func asciiLowercase(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }
}
