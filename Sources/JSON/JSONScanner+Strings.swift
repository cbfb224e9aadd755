import TextBytes

extension JSONScanner {
    /// A string starting at the opening quote at `index`; leaves `index` after the closing quote.
    ///
    /// Without escapes the text is taken straight from the input; the first backslash switches to
    /// building an unescaped copy.
    mutating func parseString() throws(JSONError) -> String {
        let quote = index
        index += 1
        let contentStart = index
        while true {
            guard index < bytes.count else { throw JSONError(kind: .unexpectedEnd, offset: index) }
            guard index - contentStart <= limits.maxStringBytes else {
                throw JSONError(kind: .stringTooLong, offset: quote)
            }
            let byte = bytes[index]
            if byte == ASCII.quote {
                let text = String(decoding: bytes[contentStart..<index], as: UTF8.self)
                index += 1
                return text
            }
            if byte == ASCII.backslash { break }
            index += try plainCharacterLength(byte)
        }
        var decoded = Array(bytes[contentStart..<index])
        while true {
            guard index < bytes.count else { throw JSONError(kind: .unexpectedEnd, offset: index) }
            guard decoded.count <= limits.maxStringBytes else {
                throw JSONError(kind: .stringTooLong, offset: quote)
            }
            let byte = bytes[index]
            if byte == ASCII.quote {
                index += 1
                return String(decoding: decoded, as: UTF8.self)
            }
            if byte == ASCII.backslash {
                try appendEscape(to: &decoded)
            } else {
                let length = try plainCharacterLength(byte)
                decoded.append(contentsOf: bytes[index..<index + length])
                index += length
            }
        }
    }

    /// The byte length of the unescaped character at `index` (first byte `byte`), validated.
    private func plainCharacterLength(_ byte: UInt8) throws(JSONError) -> Int {
        if byte < 0x20 { throw JSONError(kind: .controlCharacterInString, offset: index) }
        if byte < 0x80 { return 1 }
        guard let length = utf8SequenceLength(at: index) else {
            throw JSONError(kind: .invalidUTF8, offset: index)
        }
        return length
    }

    /// Decodes the escape at `index` (a backslash) into `decoded` as UTF-8.
    private mutating func appendEscape(to decoded: inout [UInt8]) throws(JSONError) {
        let escapeStart = index
        guard index + 1 < bytes.count else { throw JSONError(kind: .unexpectedEnd, offset: bytes.count) }
        let letter = bytes[index + 1]
        index += 2
        switch letter {
        case ASCII.quote, ASCII.backslash, ASCII.slash: decoded.append(letter)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(ASCII.lineFeed)
        case UInt8(ascii: "r"): decoded.append(ASCII.carriageReturn)
        case UInt8(ascii: "t"): decoded.append(ASCII.tab)
        case UInt8(ascii: "u"):
            let scalar = try unicodeEscape(startingAt: escapeStart)
            UTF8.encode(scalar) { decoded.append($0) }
        default:
            throw JSONError(kind: .invalidEscape, offset: escapeStart)
        }
    }

    /// The scalar of a `\uXXXX` escape (whose four digits start at `index`), pairing surrogates.
    private mutating func unicodeEscape(startingAt escapeStart: Int) throws(JSONError) -> Unicode.Scalar {
        var unit = try hexQuad(escapeStart: escapeStart)
        switch unit {
        case 0xDC00...0xDFFF:
            throw JSONError(kind: .invalidSurrogate, offset: escapeStart)
        case 0xD800...0xDBFF:
            guard index < bytes.count else { throw JSONError(kind: .unexpectedEnd, offset: index) }
            guard bytes[index] == ASCII.backslash else { throw JSONError(kind: .invalidSurrogate, offset: escapeStart) }
            guard index + 1 < bytes.count else { throw JSONError(kind: .unexpectedEnd, offset: bytes.count) }
            guard bytes[index + 1] == UInt8(ascii: "u") else {
                throw JSONError(kind: .invalidSurrogate, offset: escapeStart)
            }
            let lowStart = index
            index += 2
            let low = try hexQuad(escapeStart: lowStart)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw JSONError(kind: .invalidSurrogate, offset: escapeStart)
            }
            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        default:
            break
        }
        guard let scalar = Unicode.Scalar(unit) else {
            throw JSONError(kind: .invalidSurrogate, offset: escapeStart)
        }
        return scalar
    }

    /// Four hex digits at `index`, as a code unit.
    private mutating func hexQuad(escapeStart: Int) throws(JSONError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw JSONError(kind: .unexpectedEnd, offset: index) }
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case ASCII.zero...ASCII.nine: digit = byte - ASCII.zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONError(kind: .invalidEscape, offset: escapeStart)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
