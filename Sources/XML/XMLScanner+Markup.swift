import TextBytes

extension XMLScanner {
    /// A start tag at `index` (a `<` before a name start). Pushes the element and returns `nil`, or returns it
    /// finished when it is an empty-element tag (`<a/>`). Depth and element count are checked before any
    /// attribute is read.
    mutating func parseStartTag() throws(XMLError) -> XMLTreeElement? {
        let start = index
        index += 1
        let nameRange = try parseName()
        elementCount += 1
        guard elementCount <= limits.maxElements else {
            throw XMLError(kind: .tooManyElements(limit: limits.maxElements), offset: start)
        }
        guard open.count < limits.maxDepth else { throw XMLError(kind: .tooDeep(limit: limits.maxDepth), offset: start) }
        let name = String(decoding: bytes[nameRange], as: UTF8.self)
        var attributes: [XMLTreeElement.Attribute] = []
        while true {
            let spaced = skipWhitespace()
            guard index < bytes.count else { throw XMLError(kind: .unexpectedEnd, offset: index) }
            switch bytes[index] {
            case ASCII.greaterThan:
                index += 1
                open.append(OpenElement(start: start, nameRange: nameRange, name: name, attributes: attributes))
                return nil
            case ASCII.slash:
                index += 1
                try expectLiteral(">")
                return XMLTreeElement(name: name, attributes: attributes)
            default:
                guard spaced else { throw failure(.unexpectedCharacter, at: index) }
                attributes.append(try parseAttribute(after: attributes))
            }
        }
    }

    /// `name = "value"` at `index`, checked against the element's earlier attributes and the limit.
    private mutating func parseAttribute(after earlier: [XMLTreeElement.Attribute]) throws(XMLError) -> XMLTreeElement.Attribute {
        let nameStart = index
        let nameRange = try parseName()
        guard earlier.count < limits.maxAttributes else {
            throw XMLError(kind: .tooManyAttributes(limit: limits.maxAttributes), offset: nameStart)
        }
        for attribute in earlier where attribute.name.utf8.elementsEqual(bytes[nameRange]) {
            throw XMLError(kind: .duplicateAttribute, offset: nameStart)
        }
        skipWhitespace()
        try expectLiteral("=")
        skipWhitespace()
        let value = try parseAttributeValue()
        return XMLTreeElement.Attribute(name: String(decoding: bytes[nameRange], as: UTF8.self), value: value)
    }

    /// A quoted attribute value at `index`, references resolved and literal whitespace normalised to spaces.
    private mutating func parseAttributeValue() throws(XMLError) -> String {
        guard index < bytes.count else { throw XMLError(kind: .unexpectedEnd, offset: index) }
        let quote = bytes[index]
        guard quote == ASCII.quote || quote == ASCII.apostrophe else { throw failure(.unexpectedCharacter, at: index) }
        index += 1
        var value: [UInt8] = []
        var runStart = index
        while true {
            guard index < bytes.count else { throw XMLError(kind: .unexpectedEnd, offset: index) }
            let byte = bytes[index]
            switch byte {
            case quote:
                value.append(contentsOf: bytes[runStart..<index])
                index += 1
                return String(decoding: value, as: UTF8.self)
            case ASCII.lessThan:
                throw XMLError(kind: .lessThanInAttributeValue, offset: index)
            case ASCII.ampersand:
                value.append(contentsOf: bytes[runStart..<index])
                let scalar = try parseReference()
                UTF8.encode(scalar) { value.append($0) }
                runStart = index
            case ASCII.tab, ASCII.lineFeed, ASCII.carriageReturn:
                value.append(contentsOf: bytes[runStart..<index])
                value.append(ASCII.space)
                index += 1
                if byte == ASCII.carriageReturn, index < bytes.count, bytes[index] == ASCII.lineFeed { index += 1 }
                runStart = index
            default:
                index += try characterLength(at: index)
            }
        }
    }

    /// An end tag at `index` (`</`); pops the open element it must close. Returns the root when it closes.
    mutating func parseEndTag() throws(XMLError) -> XMLTreeElement? {
        let start = index
        index += 2
        let nameRange = try parseName()
        skipWhitespace()
        try expectLiteral(">")
        let element = open.removeLast()
        guard bytes[nameRange].elementsEqual(bytes[element.nameRange]) else {
            throw XMLError(kind: .mismatchedEndTag, offset: start)
        }
        return attach(element.finished)
    }

    /// A `Name` (production [5]) at `index`; leaves `index` after it.
    mutating func parseName() throws(XMLError) -> Range<Int> {
        let start = index
        guard index < bytes.count else { throw XMLError(kind: .unexpectedEnd, offset: index) }
        guard startsName(at: index) else { throw failure(.unexpectedCharacter, at: index) }
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                guard Self.isASCIINameCharacter(byte) else { break }
                index += 1
            } else {
                guard let (scalar, length) = decodeScalar(at: index) else {
                    throw XMLError(kind: .invalidUTF8, offset: index)
                }
                guard Self.isNameCharacter(scalar) else { break }
                index += length
            }
        }
        return start..<index
    }

    /// Whether a `NameStartChar` is at `offset`.
    func startsName(at offset: Int) -> Bool {
        guard offset < bytes.count else { return false }
        guard let (scalar, _) = decodeScalar(at: offset) else { return false }
        return Self.isNameStartCharacter(scalar)
    }
}
