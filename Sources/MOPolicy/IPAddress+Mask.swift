extension IPAddress {
    /// The address with every bit after the first `prefix` bits cleared (`prefix` is clamped to the width).
    func masked(toPrefix prefix: Int) -> IPAddress {
        switch self {
        case .v4(let value):
            return .v4(value & IPAddress.mask(ones: prefix))
        case .v6(let high, let low):
            return .v6(high: high & IPAddress.mask(ones: prefix), low: low & IPAddress.mask(ones: prefix - 64))
        }
    }

    /// `ones` leading one bits; 0 or less → all zeros, the width or more → all ones. Spelled out because a
    /// negative smart shift would shift the other way.
    private static func mask<Word: FixedWidthInteger & UnsignedInteger>(ones: Int) -> Word {
        if ones <= 0 { return 0 }
        if ones >= Word.bitWidth { return .max }
        return Word.max << (Word.bitWidth - ones)
    }
}
