import TextBytes

extension XMLScanner {
    /// Character data at `index` up to the next `<` or `&`, appended to the innermost open element.
    mutating func appendCharacterData() throws(XMLError) {
        let start = index
        var sawCarriageReturn = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ASCII.lessThan || byte == ASCII.ampersand { break }
            if byte == ASCII.closeBracket, hasPrefix("]]>") { throw XMLError(kind: .cdataEndInText, offset: index) }
            if byte == ASCII.carriageReturn { sawCarriageReturn = true }
            index += try characterLength(at: index)
        }
        appendText(start..<index, normalizingLineEnds: sawCarriageReturn)
    }

    /// A CDATA section at `index` (`<![CDATA[`), its content appended as text.
    mutating func appendCDATA() throws(XMLError) {
        try expectLiteral("<![CDATA[")
        let start = index
        var sawCarriageReturn = false
        while true {
            guard index < bytes.count else { throw XMLError(kind: .unexpectedEnd, offset: index) }
            let byte = bytes[index]
            if byte == ASCII.closeBracket, hasPrefix("]]>") { break }
            if byte == ASCII.carriageReturn { sawCarriageReturn = true }
            index += try characterLength(at: index)
        }
        appendText(start..<index, normalizingLineEnds: sawCarriageReturn)
        index += 3
    }

    /// Appends already validated input to the innermost open element's text, turning CR LF and lone CR into LF
    /// (XML 1.0 §2.11) when there is a CR at all.
    private mutating func appendText(_ range: Range<Int>, normalizingLineEnds: Bool) {
        let last = open.count - 1
        guard normalizingLineEnds else {
            open[last].text.append(contentsOf: bytes[range])
            return
        }
        var offset = range.lowerBound
        while offset < range.upperBound {
            let byte = bytes[offset]
            if byte == ASCII.carriageReturn {
                open[last].text.append(ASCII.lineFeed)
                if offset + 1 < range.upperBound, bytes[offset + 1] == ASCII.lineFeed { offset += 1 }
            } else {
                open[last].text.append(byte)
            }
            offset += 1
        }
    }

    /// The character a reference at `index` (an `&`) stands for: one of the five predefined entities or a
    /// character reference. Leaves `index` after the `;`.
    mutating func parseReference() throws(XMLError) -> Unicode.Scalar {
        let start = index
        index += 1
        guard index < bytes.count else { throw XMLError(kind: .unexpectedEnd, offset: index) }
        if bytes[index] == ASCII.hash { return try parseCharacterReference(start: start) }
        guard startsName(at: index) else { throw XMLError(kind: .invalidReference, offset: start) }
        let name = bytes[try parseName()]
        guard index < bytes.count else { throw XMLError(kind: .unexpectedEnd, offset: index) }
        guard bytes[index] == ASCII.semicolon else { throw XMLError(kind: .invalidReference, offset: start) }
        index += 1
        if name.elementsEqual("lt".utf8) { return "<" }
        if name.elementsEqual("gt".utf8) { return ">" }
        if name.elementsEqual("amp".utf8) { return "&" }
        if name.elementsEqual("apos".utf8) { return "'" }
        if name.elementsEqual("quot".utf8) { return "\"" }
        throw XMLError(kind: .undefinedEntity, offset: start)
    }

    /// `&#123;` or `&#x7B;` (lower-case `x` only), `index` at the `#`.
    private mutating func parseCharacterReference(start: Int) throws(XMLError) -> Unicode.Scalar {
        index += 1
        let hex = index < bytes.count && bytes[index] == ASCII.lowerX
        if hex { index += 1 }
        var value: UInt32 = 0
        var digitCount = 0
        while index < bytes.count, let digit = Self.digitValue(bytes[index], hex: hex) {
            if value <= 0x10FFFF { value = value * (hex ? 16 : 10) + digit }  // saturates above the Unicode range
            digitCount += 1
            index += 1
        }
        guard index < bytes.count else { throw XMLError(kind: .unexpectedEnd, offset: index) }
        guard digitCount > 0, bytes[index] == ASCII.semicolon else { throw XMLError(kind: .invalidReference, offset: start) }
        index += 1
        guard Self.isXMLCharacter(value), let scalar = Unicode.Scalar(value) else {
            throw XMLError(kind: .invalidCharacterReference, offset: start)
        }
        return scalar
    }

    private static func digitValue(_ byte: UInt8, hex: Bool) -> UInt32? {
        switch byte {
        case ASCII.zero...ASCII.nine: UInt32(byte - ASCII.zero)
        case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// A comment at `index` (`<!--`), skipped. `--` may only appear as part of the closing `-->`.
    mutating func skipComment() throws(XMLError) {
        try expectLiteral("<!--")
        while true {
            guard index < bytes.count else { throw XMLError(kind: .unexpectedEnd, offset: index) }
            if bytes[index] == ASCII.minus, index + 1 < bytes.count, bytes[index + 1] == ASCII.minus {
                guard index + 2 < bytes.count else { throw XMLError(kind: .unexpectedEnd, offset: bytes.count) }
                guard bytes[index + 2] == ASCII.greaterThan else { throw XMLError(kind: .invalidComment, offset: index) }
                index += 3
                return
            }
            index += try characterLength(at: index)
        }
    }

    /// A processing instruction at `index` (`<?`), skipped. Its target is required; `xml` in any case is
    /// reserved for the declaration at the very start.
    mutating func skipProcessingInstruction() throws(XMLError) {
        let start = index
        index += 2
        let target = bytes[try parseName()]
        guard !ASCII.equalIgnoringCase(target, "xml".utf8) else {
            throw XMLError(kind: .misplacedDeclaration, offset: start)
        }
        if hasPrefix("?>") {
            index += 2
            return
        }
        guard index < bytes.count, ASCII.isXMLWhitespace(bytes[index]) else {
            throw failure(.unexpectedCharacter, at: index)
        }
        while true {
            guard index < bytes.count else { throw XMLError(kind: .unexpectedEnd, offset: index) }
            if bytes[index] == ASCII.questionMark, hasPrefix("?>") {
                index += 2
                return
            }
            index += try characterLength(at: index)
        }
    }
}
