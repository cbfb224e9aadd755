/// Host-name syntax shared by the media URL parser and the allowlist entries (bytes, ASCII only).
enum MediaHostName {
    /// Why a host text is not a plain DNS name. Checked in this order, so the most specific reason wins.
    enum Problem: Error, Equatable {
        case empty
        /// `%` anywhere.
        case percentEncoded
        /// A byte ≥ 0x80, or a label starting with `xn--`.
        case internationalized
        /// Ends with `.`.
        case trailingDot
        /// Not letters, digits, hyphens and dots in labels of 1–63 bytes, ≤ 253 in all.
        case invalid
        /// The last label is all digits or `0x` + hex digits: resolvers read the whole text as an IPv4 address
        /// (`2130706433`, `0x7f.1`, `017700000001`, `127.1`, `1.2.3.4`).
        case numeric
    }

    /// The lowercase name when `bytes` is a valid, non-numeric DNS host name.
    static func validate(_ bytes: ArraySlice<UInt8>) -> Result<String, Problem> {
        guard !bytes.isEmpty else { return .failure(.empty) }
        if bytes.contains(ASCII.percent) { return .failure(.percentEncoded) }
        if bytes.contains(where: { $0 >= 0x80 }) { return .failure(.internationalized) }
        if bytes.last == ASCII.dot { return .failure(.trailingDot) }
        guard bytes.count <= 253 else { return .failure(.invalid) }

        let labels = bytes.split(separator: ASCII.dot, omittingEmptySubsequences: false)
        guard labels.allSatisfy(isValidLabel) else { return .failure(.invalid) }
        if labels.contains(where: isACELabel) { return .failure(.internationalized) }
        if isNumericLabel(labels[labels.count - 1]) { return .failure(.numeric) }
        return .success(String(decoding: bytes.map(lowercase), as: UTF8.self))
    }

    /// 1–63 letters, digits and hyphens, not starting or ending with a hyphen.
    static func isValidLabel(_ label: ArraySlice<UInt8>) -> Bool {
        guard (1...63).contains(label.count), label.first != hyphen, label.last != hyphen else { return false }
        return label.allSatisfy { ASCII.isAlpha($0) || ASCII.isDigit($0) || $0 == hyphen }
    }

    /// `xn--…` in any case: the ASCII form of an internationalized label.
    static func isACELabel(_ label: ArraySlice<UInt8>) -> Bool {
        label.count >= 4 && ASCII.equalsIgnoringCase(Substring(decoding: label.prefix(4), as: UTF8.self).utf8, "xn--")
    }

    /// All decimal digits, or `0x`/`0X` followed by hex digits only (possibly none), as the WHATWG URL standard's
    /// "ends in a number" check and `inet_aton` read it.
    static func isNumericLabel(_ label: ArraySlice<UInt8>) -> Bool {
        guard !label.isEmpty else { return false }
        if label.allSatisfy(ASCII.isDigit) { return true }
        let start = label.startIndex
        guard label.count >= 2, label[start] == UInt8(ascii: "0"), label[start + 1] | 0x20 == UInt8(ascii: "x") else {
            return false
        }
        return label.dropFirst(2).allSatisfy { ASCII.hexValue($0) != nil }
    }

    static func lowercase(_ byte: UInt8) -> UInt8 {
        ASCII.isAlpha(byte) ? byte | 0x20 : byte
    }

    static let hyphen = UInt8(ascii: "-")
}
