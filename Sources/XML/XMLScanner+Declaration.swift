import TextBytes

extension XMLScanner {
    /// Refuses UTF-16 and UTF-32 input (byte order mark, or the `<` pattern XML 1.0 Appendix F uses to detect
    /// them without one) and skips a UTF-8 byte order mark.
    mutating func skipEncodingSignature() throws(XMLError) {
        let signatures: [(prefix: [UInt8], encoding: String)] = [
            ([0x00, 0x00, 0xFE, 0xFF], "UTF-32BE"), ([0xFF, 0xFE, 0x00, 0x00], "UTF-32LE"),
            ([0xFE, 0xFF], "UTF-16BE"), ([0xFF, 0xFE], "UTF-16LE"),
            ([0x00, 0x00, 0x00, 0x3C], "UTF-32BE"), ([0x3C, 0x00, 0x00, 0x00], "UTF-32LE"),
            ([0x00, 0x3C], "UTF-16BE"), ([0x3C, 0x00], "UTF-16LE"),
        ]
        for signature in signatures where bytes.starts(with: signature.prefix) {
            throw XMLError(kind: .unsupportedEncoding(signature.encoding), offset: 0)
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    /// The XML declaration (production [23]) if the document starts with one: `<?xml` followed by whitespace,
    /// `?` or the end. (`<?xml-stylesheet …?>` there is an ordinary processing instruction.)
    mutating func parseDeclarationIfPresent() throws(XMLError) {
        guard hasPrefix("<?xml") else { return }
        let after = index + 5
        guard after >= bytes.count || ASCII.isXMLWhitespace(bytes[after]) || bytes[after] == ASCII.questionMark else {
            return
        }
        index = after
        try expectDeclaration("version", afterWhitespace: true)
        let version = try parseDeclarationValue()
        guard version.count >= 3, bytes[version].starts(with: "1.".utf8),
              bytes[version].dropFirst(2).allSatisfy(ASCII.isDigit)
        else { throw XMLError(kind: .invalidDeclaration, offset: version.lowerBound) }

        var spaced = skipWhitespace()
        if spaced, hasPrefix("encoding") {
            try expectDeclaration("encoding", afterWhitespace: false)
            try checkEncoding(try parseDeclarationValue())
            spaced = skipWhitespace()
        }
        if spaced, hasPrefix("standalone") {
            try expectDeclaration("standalone", afterWhitespace: false)
            let standalone = try parseDeclarationValue()
            guard bytes[standalone].elementsEqual("yes".utf8) || bytes[standalone].elementsEqual("no".utf8) else {
                throw XMLError(kind: .invalidDeclaration, offset: standalone.lowerBound)
            }
            skipWhitespace()
        }
        guard hasPrefix("?>") else { throw declarationFailure(at: index) }
        index += 2
    }

    /// `S? keyword S? = S?` (the leading whitespace required when `afterWhitespace`).
    private mutating func expectDeclaration(_ keyword: String, afterWhitespace: Bool) throws(XMLError) {
        if afterWhitespace, !skipWhitespace() { throw declarationFailure(at: index) }
        guard hasPrefix(keyword) else { throw declarationFailure(at: index) }
        index += keyword.utf8.count
        skipWhitespace()
        guard index < bytes.count, bytes[index] == ASCII.equals else { throw declarationFailure(at: index) }
        index += 1
        skipWhitespace()
    }

    /// A quoted pseudo-attribute value made of `[A-Za-z0-9._-]`; the range of its content.
    private mutating func parseDeclarationValue() throws(XMLError) -> Range<Int> {
        guard index < bytes.count, bytes[index] == ASCII.quote || bytes[index] == ASCII.apostrophe else {
            throw declarationFailure(at: index)
        }
        let quote = bytes[index]
        index += 1
        let start = index
        while index < bytes.count, Self.isDeclarationValueByte(bytes[index]) { index += 1 }
        guard index < bytes.count, bytes[index] == quote else { throw declarationFailure(at: index) }
        index += 1
        return start..<(index - 1)
    }

    /// Accepts UTF-8 and US-ASCII (`ASCII` too), any case. For US-ASCII, every byte of the input must be ASCII.
    private func checkEncoding(_ name: Range<Int>) throws(XMLError) {
        guard let first = bytes[name].first, ASCII.lowercased(first) >= UInt8(ascii: "a"),
              ASCII.lowercased(first) <= UInt8(ascii: "z")
        else { throw XMLError(kind: .invalidDeclaration, offset: name.lowerBound) }
        let declared = String(decoding: bytes[name], as: UTF8.self).uppercased()
        switch declared {
        case "UTF-8":
            return
        case "US-ASCII", "ASCII":
            if let offset = bytes.firstIndex(where: { $0 >= 0x80 }) { throw XMLError(kind: .nonASCIIByte, offset: offset) }
        default:
            throw XMLError(kind: .unsupportedEncoding(XMLEncodingName.canonical(declared)), offset: name.lowerBound)
        }
    }

    private func declarationFailure(at offset: Int) -> XMLError {
        offset < bytes.count ? XMLError(kind: .invalidDeclaration, offset: offset) : XMLError(kind: .unexpectedEnd, offset: offset)
    }

    private static func isDeclarationValueByte(_ byte: UInt8) -> Bool {
        byte == ASCII.dot || byte == ASCII.minus || byte == UInt8(ascii: "_") || ASCII.isDigit(byte)
            || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(ASCII.lowercased(byte))
    }
}
