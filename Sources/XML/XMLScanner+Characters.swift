import TextBytes

extension XMLScanner {
    /// The length of the character at `offset`, which must be one XML 1.0 allows (production [2]: tab, LF, CR,
    /// U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF) encoded as well-formed UTF-8.
    func characterLength(at offset: Int) throws(XMLError) -> Int {
        let byte = bytes[offset]
        if byte < 0x80 {
            guard byte >= 0x20 || ASCII.isXMLWhitespace(byte) else {
                throw XMLError(kind: .invalidCharacter, offset: offset)
            }
            return 1
        }
        guard let (scalar, length) = decodeScalar(at: offset) else { throw XMLError(kind: .invalidUTF8, offset: offset) }
        guard scalar != 0xFFFE, scalar != 0xFFFF else { throw XMLError(kind: .invalidCharacter, offset: offset) }
        return length
    }

    /// The scalar value and length of the well-formed UTF-8 sequence at `offset`, or `nil` when it is ill-formed.
    func decodeScalar(at offset: Int) -> (scalar: UInt32, length: Int)? {
        UTF8Scalar.decode(bytes, at: offset)
    }

    /// Production [2] `Char`.
    static func isXMLCharacter(_ value: UInt32) -> Bool {
        switch value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// Production [4] `NameStartChar`.
    static func isNameStartCharacter(_ value: UInt32) -> Bool {
        switch value {
        case 0x3A, 0x41...0x5A, 0x5F, 0x61...0x7A, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2FF, 0x370...0x37D,
             0x37F...0x1FFF, 0x200C...0x200D, 0x2070...0x218F, 0x2C00...0x2FEF, 0x3001...0xD7FF,
             0xF900...0xFDCF, 0xFDF0...0xFFFD, 0x10000...0xEFFFF:
            true
        default:
            false
        }
    }

    /// Production [4a] `NameChar`.
    static func isNameCharacter(_ value: UInt32) -> Bool {
        switch value {
        case 0x2D, 0x2E, 0x30...0x39, 0xB7, 0x300...0x36F, 0x203F...0x2040: true
        default: isNameStartCharacter(value)
        }
    }

    /// `NameChar` for an ASCII byte: letters, digits, `:`, `_`, `-`, `.`.
    static func isASCIINameCharacter(_ byte: UInt8) -> Bool {
        isNameCharacter(UInt32(byte))
    }
}
