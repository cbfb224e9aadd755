import TextBytes

/// The recursive-descent state behind ``JSONParser``: the input and a read index.
///
/// Lives on the caller's stack for the duration of one `parse` call.
struct JSONScanner {
    let bytes: [UInt8]
    let limits: JSONLimits
    var index = 0

    init(bytes: [UInt8], limits: JSONLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// BOM, whitespace, one value, whitespace, end.
    mutating func parseDocument() throws(JSONError) -> JSONValue {
        guard !bytes.isEmpty else { throw JSONError(kind: .empty, offset: 0) }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            index = 3
        }
        skipWhitespace()
        guard index < bytes.count else { throw JSONError(kind: .empty, offset: index) }
        let root = try parseValue(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw failure(.trailingContent, at: index) }
        return root
    }

    /// One value starting at `index`; `depth` is the nesting level of the container holding it.
    mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
        guard index < bytes.count else { throw JSONError(kind: .unexpectedEnd, offset: index) }
        let start = index
        switch bytes[index] {
        case ASCII.openBrace:
            return try parseObject(depth: depth + 1)
        case ASCII.openBracket:
            return try parseArray(depth: depth + 1)
        case ASCII.quote:
            let text = try parseString()
            return .string(text, span: start..<index)
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true, span: start..<index)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false, span: start..<index)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null(span: start..<index)
        case ASCII.minus, ASCII.zero...ASCII.nine:
            return try parseNumber()
        case ASCII.plus, ASCII.dot:
            throw JSONError(kind: .invalidNumber, offset: index)
        default:
            throw failure(.unexpectedCharacter, at: index)
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONError) -> JSONValue {
        let start = index
        guard depth <= limits.maxDepth else { throw JSONError(kind: .tooDeep, offset: start) }
        index += 1
        skipWhitespace()
        var elements: [JSONValue] = []
        if index < bytes.count, bytes[index] == ASCII.closeBracket {
            index += 1
            return .array(elements, span: start..<index)
        }
        while true {
            elements.append(try parseValue(depth: depth))
            if try endsContainer(closing: ASCII.closeBracket) { return .array(elements, span: start..<index) }
        }
    }

    /// Up to this many members an object checks a new name against the earlier ones one by one.
    static let linearDuplicateCheckLimit = 16

    private mutating func parseObject(depth: Int) throws(JSONError) -> JSONValue {
        let start = index
        guard depth <= limits.maxDepth else { throw JSONError(kind: .tooDeep, offset: start) }
        index += 1
        skipWhitespace()
        var members: [(key: String, value: JSONValue)] = []
        if index < bytes.count, bytes[index] == ASCII.closeBrace {
            index += 1
            return .object(members, span: start..<index)
        }
        // Duplicate names: a linear scan while the object is small (CM's objects have a handful of members), a set
        // once it is large, so a hostile object with many members stays linear.
        var seenKeys = Set<[UInt8]>()
        while true {
            guard index < bytes.count else { throw JSONError(kind: .unexpectedEnd, offset: index) }
            guard bytes[index] == ASCII.quote else { throw failure(.unexpectedCharacter, at: index) }
            let keyStart = index
            let key = try parseString()
            if members.count < Self.linearDuplicateCheckLimit {
                guard !members.contains(where: { $0.key.hasSameUTF8(as: key) }) else {
                    throw JSONError(kind: .duplicateKey(key), offset: keyStart)
                }
            } else {
                if seenKeys.isEmpty { seenKeys = Set(members.map { Array($0.key.utf8) }) }
                guard seenKeys.insert(Array(key.utf8)).inserted else {
                    throw JSONError(kind: .duplicateKey(key), offset: keyStart)
                }
            }
            skipWhitespace()
            guard index < bytes.count else { throw JSONError(kind: .unexpectedEnd, offset: index) }
            guard bytes[index] == ASCII.colon else { throw failure(.unexpectedCharacter, at: index) }
            index += 1
            skipWhitespace()
            members.append((key: key, value: try parseValue(depth: depth)))
            if try endsContainer(closing: ASCII.closeBrace) { return .object(members, span: start..<index) }
        }
    }

    private mutating func expectLiteral(_ literal: String) throws(JSONError) {
        for byte in literal.utf8 {
            guard index < bytes.count else { throw JSONError(kind: .unexpectedEnd, offset: index) }
            guard bytes[index] == byte else { throw failure(.unexpectedCharacter, at: index) }
            index += 1
        }
    }

    /// After an array element or an object member: a comma (consumed, with the whitespace after it) means more
    /// follow; `close` (consumed) ends the container; anything else is an error.
    private mutating func endsContainer(closing close: UInt8) throws(JSONError) -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw JSONError(kind: .unexpectedEnd, offset: index) }
        switch bytes[index] {
        case ASCII.comma:
            index += 1
            skipWhitespace()
            return false
        case close:
            index += 1
            return true
        default:
            throw failure(.unexpectedCharacter, at: index)
        }
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case ASCII.space, ASCII.tab, ASCII.lineFeed, ASCII.carriageReturn:
                index += 1
            default:
                return
            }
        }
    }

    /// `kind` at `offset`, unless the input ends there (unexpected end) or holds invalid UTF-8 there.
    func failure(_ kind: JSONError.Kind, at offset: Int) -> JSONError {
        guard offset < bytes.count else { return JSONError(kind: .unexpectedEnd, offset: offset) }
        if bytes[offset] >= 0x80, utf8SequenceLength(at: offset) == nil {
            return JSONError(kind: .invalidUTF8, offset: offset)
        }
        return JSONError(kind: kind, offset: offset)
    }
}

extension JSONScanner {
    /// The length of the well-formed UTF-8 sequence starting at `offset`, or `nil` when it is ill-formed.
    func utf8SequenceLength(at offset: Int) -> Int? {
        UTF8Scalar.decode(bytes, at: offset)?.length
    }
}
