extension String {
    /// This string with every U+0000 replaced by U+FFFD (PostgreSQL `text` cannot hold NUL).
    public var replacingNUL: String {
        guard utf8.contains(0) else { return self }
        var scalars = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            scalars.append(scalar == "\0" ? "\u{FFFD}" : scalar)
        }
        return String(scalars)
    }
}
