import TextBytes

/// The extra ASCII bytes the XML grammar is built from, and ASCII-only case folding.
extension ASCII {
    package static let ampersand = UInt8(ascii: "&")
    package static let apostrophe = UInt8(ascii: "'")
    package static let equals = UInt8(ascii: "=")
    package static let exclamation = UInt8(ascii: "!")
    package static let greaterThan = UInt8(ascii: ">")
    package static let hash = UInt8(ascii: "#")
    package static let lessThan = UInt8(ascii: "<")
    package static let questionMark = UInt8(ascii: "?")
    package static let semicolon = UInt8(ascii: ";")
    package static let lowerX = UInt8(ascii: "x")

    /// XML's `S` production: space, tab, CR, LF (and nothing else, not even NBSP).
    package static func isXMLWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab || byte == lineFeed || byte == carriageReturn
    }

    /// `byte` with A–Z mapped to a–z; every other byte unchanged.
    package static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }

    /// Whether two byte sequences are equal when only ASCII letters are compared case-insensitively.
    /// Non-ASCII bytes must match exactly, so no Unicode case folding sneaks in (the Kelvin sign is not `k`).
    package static func equalIgnoringCase<A: Sequence<UInt8>, B: Sequence<UInt8>>(_ a: A, _ b: B) -> Bool {
        a.elementsEqual(b) { lowercased($0) == lowercased($1) }
    }
}
