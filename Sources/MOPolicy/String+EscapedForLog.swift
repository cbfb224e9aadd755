extension String {
    /// The text with control characters (C0, DEL, C1, line and paragraph separators) and backslashes escaped,
    /// so that a message quoting configuration or request text stays on one line.
    var escapedForLog: String {
        var result = ""
        result.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            switch scalar.value {
            case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x5C:
                result += scalar.escaped(asASCII: true)
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
