import JSON
import MOTestFixtures
import Testing

/// One input the parser must reject, and exactly how.
struct Rejection: Sendable, CustomTestStringConvertible {
    let label: String
    let input: [UInt8]
    let kind: JSONError.Kind
    let offset: Int

    init(_ label: String, _ input: [UInt8], _ kind: JSONError.Kind, at offset: Int) {
        self.label = label
        self.input = input
        self.kind = kind
        self.offset = offset
    }

    init(_ label: String, _ text: String, _ kind: JSONError.Kind, at offset: Int) {
        self.init(label, utf8(text), kind, at: offset)
    }

    var testDescription: String { label }
}

@Suite("JSONParser rejects everything outside strict JSON, at the right byte")
struct JSONParserRejectionTests {
    static let empty: [Rejection] = [
        Rejection("no bytes", [], .empty, at: 0),
        Rejection("only whitespace", " \r\n\t", .empty, at: 4),
        Rejection("only a byte order mark", [0xEF, 0xBB, 0xBF], .empty, at: 3),
    ]

    static let invalidUTF8: [Rejection] = [
        Rejection("overlong two-byte slash", bytes("\"a", .raw([0xC0, 0xAF]), "b\""), .invalidUTF8, at: 2),
        Rejection("overlong three-byte", bytes("\"", .raw([0xE0, 0x80, 0xAF]), "\""), .invalidUTF8, at: 1),
        Rejection("overlong four-byte", bytes("\"", .raw([0xF0, 0x8F, 0xBF, 0xBF]), "\""), .invalidUTF8, at: 1),
        Rejection("UTF-8 encoded high surrogate", bytes("\"", .raw([0xED, 0xA0, 0x80]), "\""), .invalidUTF8, at: 1),
        Rejection("UTF-8 encoded low surrogate", bytes("\"ok", .raw([0xED, 0xBF, 0xBF]), "\""), .invalidUTF8, at: 3),
        Rejection("above U+10FFFF", bytes("\"", .raw([0xF4, 0x90, 0x80, 0x80]), "\""), .invalidUTF8, at: 1),
        Rejection("F5 lead byte", bytes("\"", .raw([0xF5, 0x80, 0x80, 0x80]), "\""), .invalidUTF8, at: 1),
        Rejection("sequence cut by the closing quote", bytes("\"", .raw([0xE2, 0x82]), "\""), .invalidUTF8, at: 1),
        Rejection("sequence cut by the end of input", bytes("\"ab", .raw([0xE2, 0x82])), .invalidUTF8, at: 3),
        Rejection("stray continuation byte", bytes("\"", .raw([0x80]), "\""), .invalidUTF8, at: 1),
        Rejection("FF byte", bytes("\"", .raw([0xFF]), "\""), .invalidUTF8, at: 1),
        Rejection("bad byte where a value should be", bytes("[", .raw([0xFF]), "]"), .invalidUTF8, at: 1),
        Rejection("bad byte after the value", bytes("{} ", .raw([0xC3])), .invalidUTF8, at: 3),
        Rejection("partial byte order mark", bytes(.raw([0xEF, 0xBB]), "{}"), .invalidUTF8, at: 0),
        Rejection("bad byte in a key", bytes("{\"", .raw([0xC1, 0x81]), "\":1}"), .invalidUTF8, at: 2),
    ]

    static let unexpectedCharacter: [Rejection] = [
        Rejection("missing colon", #"{"a" 1}"#, .unexpectedCharacter, at: 5),
        Rejection("missing comma", "[1 2]", .unexpectedCharacter, at: 3),
        Rejection("trailing comma in array", "[1,]", .unexpectedCharacter, at: 3),
        Rejection("trailing comma in object", #"{"a":1,}"#, .unexpectedCharacter, at: 7),
        Rejection("unquoted key", "{a:1}", .unexpectedCharacter, at: 1),
        Rejection("single-quoted string", "['a']", .unexpectedCharacter, at: 1),
        Rejection("misspelt literal", "nulx", .unexpectedCharacter, at: 3),
        Rejection("capitalised literal", "True", .unexpectedCharacter, at: 0),
        Rejection("NaN", "NaN", .unexpectedCharacter, at: 0),
        Rejection("Infinity", "[Infinity]", .unexpectedCharacter, at: 1),
        Rejection("valid non-ASCII outside a string", "[é]", .unexpectedCharacter, at: 1),
        Rejection("byte order mark not at the start", bytes(" ", .raw([0xEF, 0xBB, 0xBF]), "{}"), .unexpectedCharacter, at: 1),
        Rejection("NUL byte between tokens", bytes("[", .raw([0x00]), "]"), .unexpectedCharacter, at: 1),
        Rejection("comment", "[1 /* no */]", .unexpectedCharacter, at: 3),
        Rejection("mismatched bracket", #"{"a":[1}"#, .unexpectedCharacter, at: 7),
        Rejection("non-breaking space as whitespace", "[\u{A0}1]", .unexpectedCharacter, at: 1),
    ]

    static let unexpectedEnd: [Rejection] = [
        Rejection("open object", "{", .unexpectedEnd, at: 1),
        Rejection("key without value", #"{"a":"#, .unexpectedEnd, at: 5),
        Rejection("key without colon", #"{"a""#, .unexpectedEnd, at: 4),
        Rejection("array after comma", "[1,", .unexpectedEnd, at: 3),
        Rejection("array after value", "[1", .unexpectedEnd, at: 2),
        Rejection("unterminated string", #""abc"#, .unexpectedEnd, at: 4),
        Rejection("backslash at the end", #""\"#, .unexpectedEnd, at: 2),
        Rejection("short unicode escape at the end", #""\u12"#, .unexpectedEnd, at: 5),
        Rejection("high surrogate at the end", #""\uD83D"#, .unexpectedEnd, at: 7),
        Rejection("truncated literal", "tru", .unexpectedEnd, at: 3),
    ]

    static let invalidEscape: [Rejection] = [
        Rejection("unknown escape letter", #""\x41""#, .invalidEscape, at: 1),
        Rejection("single-quote escape", #""\'""#, .invalidEscape, at: 1),
        Rejection("upper-case U", #""a\U0041""#, .invalidEscape, at: 2),
        Rejection("non-hex digit", #""\u12G4""#, .invalidEscape, at: 1),
        Rejection("too few hex digits", #""\u12""#, .invalidEscape, at: 1),
        Rejection("bad digit in the low half of a pair", #""\uD83D\uDEZ0""#, .invalidEscape, at: 7),
        Rejection("escaped raw newline", "\"\\\n\"", .invalidEscape, at: 1),
    ]

    static let invalidSurrogate: [Rejection] = [
        Rejection("lone high surrogate", #""\uD800""#, .invalidSurrogate, at: 1),
        Rejection("lone low surrogate", #""\uDC00""#, .invalidSurrogate, at: 1),
        Rejection("high surrogate then a BMP escape", #""\uD800\u0041""#, .invalidSurrogate, at: 1),
        Rejection("two high surrogates", #""x\uD800\uD800""#, .invalidSurrogate, at: 2),
        Rejection("high surrogate then a plain character", #""\uD800x""#, .invalidSurrogate, at: 1),
        Rejection("high surrogate then another escape", #""\uD800\n""#, .invalidSurrogate, at: 1),
        Rejection("high surrogate then a private-use escape", #""\uDBFF\uE000""#, .invalidSurrogate, at: 1),
        Rejection("reversed pair", #""\uDE00\uD83D""#, .invalidSurrogate, at: 1),
        Rejection("lone surrogate in a key", #"{"\uDFFF":1}"#, .invalidSurrogate, at: 2),
    ]

    static let controlCharacter: [Rejection] = [
        Rejection("raw tab", "\"a\tb\"", .controlCharacterInString, at: 2),
        Rejection("raw NUL", bytes("\"", .raw([0x00]), "\""), .controlCharacterInString, at: 1),
        Rejection("raw 0x1F", bytes("\"", .raw([0x1F]), "\""), .controlCharacterInString, at: 1),
        Rejection("raw newline after an escape", "\"\\n\n\"", .controlCharacterInString, at: 3),
        Rejection("raw carriage return in a key", "{\"a\rb\":1}", .controlCharacterInString, at: 3),
    ]

    static let invalidNumber: [Rejection] = [
        Rejection("leading zero", "01", .invalidNumber, at: 1),
        Rejection("double zero", "00", .invalidNumber, at: 1),
        Rejection("negative leading zero", "-01", .invalidNumber, at: 2),
        Rejection("leading zero in an array", "[01]", .invalidNumber, at: 2),
        Rejection("plus sign", "+1", .invalidNumber, at: 0),
        Rejection("leading dot", ".5", .invalidNumber, at: 0),
        Rejection("trailing dot", "1.", .invalidNumber, at: 2),
        Rejection("dot before exponent", "1.e5", .invalidNumber, at: 2),
        Rejection("empty exponent", "1e", .invalidNumber, at: 2),
        Rejection("signed empty exponent", "1e+", .invalidNumber, at: 3),
        Rejection("lone minus", "-", .invalidNumber, at: 1),
        Rejection("minus in an array", "[-]", .invalidNumber, at: 2),
        Rejection("minus Infinity", "-Infinity", .invalidNumber, at: 1),
        Rejection("double minus", "--1", .invalidNumber, at: 1),
    ]

    static let trailingContent: [Rejection] = [
        Rejection("a letter after an object", "{}x", .trailingContent, at: 2),
        Rejection("two numbers", "1 2", .trailingContent, at: 2),
        Rejection("two objects", "{} {}", .trailingContent, at: 3),
        Rejection("two strings", #""a""b""#, .trailingContent, at: 3),
        Rejection("a literal run on", "truex", .trailingContent, at: 4),
        Rejection("hexadecimal", "0x10", .trailingContent, at: 1),
        Rejection("a closing bracket too many", "[]]", .trailingContent, at: 2),
        Rejection("valid non-ASCII after the value", "{} é", .trailingContent, at: 3),
    ]

    static let duplicateKeys: [Rejection] = [
        Rejection("same key twice", #"{"a":1,"a":2}"#, .duplicateKey("a"), at: 7),
        Rejection("same key, one escaped", #"{"a":1, "\u0061":2}"#, .duplicateKey("a"), at: 8),
        Rejection("duplicate in a nested object", #"{"x":{"from":1,"to":2,"from":3}}"#, .duplicateKey("from"), at: 22),
        Rejection("duplicate empty key", #"{"":1,"":2}"#, .duplicateKey(""), at: 6),
    ]

    @Test("no value at all is rejected as empty", arguments: empty)
    func rejectsEmpty(_ rejection: Rejection) { expectRejection(rejection) }

    @Test("invalid UTF-8 is rejected wherever it appears", arguments: invalidUTF8)
    func rejectsInvalidUTF8(_ rejection: Rejection) { expectRejection(rejection) }

    @Test("a byte that cannot continue the grammar is rejected", arguments: unexpectedCharacter)
    func rejectsUnexpectedCharacter(_ rejection: Rejection) { expectRejection(rejection) }

    @Test("input ending inside a value is rejected", arguments: unexpectedEnd)
    func rejectsUnexpectedEnd(_ rejection: Rejection) { expectRejection(rejection) }

    @Test("escapes JSON does not define are rejected at the backslash", arguments: invalidEscape)
    func rejectsInvalidEscape(_ rejection: Rejection) { expectRejection(rejection) }

    @Test("lone or mis-paired surrogate escapes are rejected", arguments: invalidSurrogate)
    func rejectsInvalidSurrogate(_ rejection: Rejection) { expectRejection(rejection) }

    @Test("raw control characters inside strings are rejected", arguments: controlCharacter)
    func rejectsControlCharacter(_ rejection: Rejection) { expectRejection(rejection) }

    @Test("numbers outside RFC 8259's grammar are rejected", arguments: invalidNumber)
    func rejectsInvalidNumber(_ rejection: Rejection) { expectRejection(rejection) }

    @Test("anything but whitespace after the value is rejected", arguments: trailingContent)
    func rejectsTrailingContent(_ rejection: Rejection) { expectRejection(rejection) }

    @Test("a key repeated within one object is rejected at the second key", arguments: duplicateKeys)
    func rejectsDuplicateKey(_ rejection: Rejection) { expectRejection(rejection) }

    @Test("nesting one level deeper than maxDepth is rejected at that bracket")
    func rejectsTooDeep() {
        let depth = JSONLimits().maxDepth + 1
        let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        expectRejection(Rejection("arrays", arrays, .tooDeep, at: depth - 1))
        let objectPrefix = #"{"k":"#
        let objects = String(repeating: objectPrefix, count: depth - 1) + "{}" + String(repeating: "}", count: depth - 1)
        expectRejection(Rejection("objects", objects, .tooDeep, at: (depth - 1) * objectPrefix.utf8.count))
    }

    @Test("a hostile 100 000-deep nesting is rejected without exhausting the stack")
    func rejectsVeryDeep() {
        let arrays = String(repeating: "[", count: 100_000)
        expectRejection(Rejection("100 000 arrays", arrays, .tooDeep, at: JSONLimits().maxDepth))
    }

    @Test("a custom maxDepth is enforced")
    func rejectsCustomDepth() {
        var limits = JSONLimits()
        limits.maxDepth = 2
        expectRejection(Rejection("[[[]]] at depth 2", "[[[]]]", .tooDeep, at: 2), limits: limits)
        limits.maxDepth = 0
        expectRejection(Rejection("{} at depth 0", "{}", .tooDeep, at: 0), limits: limits)
    }

    @Test("a string or key longer than maxStringBytes is rejected at its opening quote")
    func rejectsLongStrings() {
        var limits = JSONLimits()
        limits.maxStringBytes = 4
        expectRejection(Rejection("plain", #"["abcde"]"#, .stringTooLong, at: 1), limits: limits)
        expectRejection(Rejection("key", #"{"abcde":1}"#, .stringTooLong, at: 1), limits: limits)
        expectRejection(Rejection("escaped", #"[1,"\u00e9\u00e9\u00e9"]"#, .stringTooLong, at: 3), limits: limits)
        expectRejection(Rejection("unterminated", #""abcdefgh"#, .stringTooLong, at: 0), limits: limits)
        let over = String(repeating: "x", count: (1 << 20) + 1)
        expectRejection(Rejection("default limit + 1", "\"\(over)\"", .stringTooLong, at: 0))
    }

    private func expectRejection(
        _ rejection: Rejection,
        limits: JSONLimits = JSONLimits(),
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            throws: JSONError(kind: rejection.kind, offset: rejection.offset),
            "\(rejection.label)",
            sourceLocation: sourceLocation
        ) {
            try JSONParser.parse(rejection.input, limits: limits)
        }
    }

    @Test("a duplicate name is found however many members come before it, and wherever the first one was",
          arguments: [(3, 0), (15, 0), (15, 14), (16, 0), (16, 15), (40, 1), (40, 39), (400, 200)])
    func duplicateInWideObject(members: Int, duplicating: Int) throws {
        // Small objects are checked member by member and large ones through a set: both must agree.
        let names = (0..<members).map { "k\($0)" }
        let prefix = "{" + names.map { "\"\($0)\":1," }.joined()
        let body = utf8(prefix + "\"\(names[duplicating])\":2}")
        #expect(throws: JSONError(kind: .duplicateKey(names[duplicating]), offset: prefix.utf8.count)) {
            try JSONParser.parse(body)
        }
        let distinct = utf8(prefix + "\"other\":2}")
        let document = try JSONParser.parse(distinct)
        guard case .number("2", _) = document.root["other"] else { Issue.record("other"); return }
        guard case .number("1", _) = document.root[names[duplicating]] else { Issue.record("first"); return }
    }
}
