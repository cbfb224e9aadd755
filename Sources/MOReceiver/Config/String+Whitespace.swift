extension StringProtocol {
    /// Without leading and trailing spaces and tabs: Unicode's space separators (General Category Zs), U+0009 and
    /// U+200B ZERO WIDTH SPACE, the set Foundation calls `whitespaces`. Trimmed scalar by scalar, as Foundation trims.
    func trimmingWhitespace() -> String {
        trimmingScalars { $0.value == 0x09 || $0.value == 0x200B || $0.properties.generalCategory == .spaceSeparator }
    }

    /// Without leading and trailing whitespace and line breaks: Unicode's White_Space property and U+200B ZERO
    /// WIDTH SPACE, the set Foundation calls `whitespacesAndNewlines`. Trimmed scalar by scalar, as Foundation trims.
    func trimmingWhitespaceAndNewlines() -> String {
        trimmingScalars { $0.value == 0x200B || $0.properties.isWhitespace }
    }

    private func trimmingScalars(where isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, isTrimmed(first) { scalars.removeFirst() }
        while let last = scalars.last, isTrimmed(last) { scalars.removeLast() }
        return String(scalars)
    }
}
