import JSON
import MOTestFixtures
import Testing

@Suite("JSONParser accepts strict RFC 8259 JSON")
struct JSONParserAcceptanceTests {
    @Test("an empty object and an empty array parse with their spans")
    func emptyContainers() throws {
        #expect(try JSONParser.parse(utf8("{}")).root == .object([], span: 0..<2))
        #expect(try JSONParser.parse(utf8("[]")).root == .array([], span: 0..<2))
        #expect(try JSONParser.parse(utf8("{ \n }")).root == .object([], span: 0..<5))
        #expect(try JSONParser.parse(utf8("[\t]")).root == .array([], span: 0..<3))
    }

    @Test("scalars are valid top-level values", arguments: [
        ("true", JSONValue.bool(true, span: 0..<4)),
        ("false", .bool(false, span: 0..<5)),
        ("null", .null(span: 0..<4)),
        ("\"x\"", .string("x", span: 0..<3)),
        ("0", .number("0", span: 0..<1)),
        ("-0", .number("-0", span: 0..<2)),
        ("-0.0e-0", .number("-0.0e-0", span: 0..<7)),
        ("12.5E+3", .number("12.5E+3", span: 0..<7)),
    ])
    func scalarRoots(text: String, expected: JSONValue) throws {
        #expect(try JSONParser.parse(utf8(text)).root == expected)
    }

    @Test("numbers are kept exactly as written, however large")
    func numbersKeptAsText() throws {
        let document = try JSONParser.parse(utf8("[1e999999, 123456789012345678901234567890, -0, 0.000000000000000000001]"))
        #expect(document.root == .array([
            .number("1e999999", span: 1..<9),
            .number("123456789012345678901234567890", span: 11..<41),
            .number("-0", span: 43..<45),
            .number("0.000000000000000000001", span: 47..<70),
        ], span: 0..<71))
    }

    @Test("a leading UTF-8 byte order mark is skipped; spans still index the original bytes")
    func byteOrderMark() throws {
        let input = bytes(.raw([0xEF, 0xBB, 0xBF]), "{\"a\":1}")
        let document = try JSONParser.parse(input)
        #expect(document.bytes == input)
        #expect(document.root == .object([(key: "a", value: .number("1", span: 8..<9))], span: 3..<10))
        #expect(document.rawText(of: document.root) == "{\"a\":1}")
    }

    @Test("\\u0000 is a valid escape and decodes to U+0000")
    func nulEscape() throws {
        let document = try JSONParser.parse(utf8(#""a\u0000b""#))
        #expect(document.root.stringValue == "a\u{0}b")
        #expect(document.root.stringValue?.unicodeScalars.count == 3)
    }

    @Test("a surrogate pair escape decodes to one scalar")
    func surrogatePair() throws {
        let document = try JSONParser.parse(utf8(#""\uD83D\uDE00 \udbff\udfff""#))
        let scalars = Array(document.root.stringValue?.unicodeScalars ?? "".unicodeScalars)
        #expect(scalars.map(\.value) == [0x1F600, 0x20, 0x10FFFF])
    }

    @Test("every simple escape decodes")
    func simpleEscapes() throws {
        let document = try JSONParser.parse(utf8(#""\"\\\/\b\f\n\r\t\u00e9\u20AC""#))
        #expect(document.root.stringValue == "\"\\/\u{8}\u{C}\n\r\t\u{E9}\u{20AC}")
    }

    @Test("raw multi-byte UTF-8 and DEL are accepted inside strings")
    func rawUnicode() throws {
        let document = try JSONParser.parse(utf8("[\"héllo € 😀 \u{7F}\", \"\u{10FFFF}\"]"))
        guard case .array(let items, _) = document.root else {
            Issue.record("expected an array")
            return
        }
        #expect(items.map(\.stringValue) == ["héllo € 😀 \u{7F}", "\u{10FFFF}"])
    }

    @Test("whitespace is allowed around every token")
    func whitespaceEverywhere() throws {
        let document = try JSONParser.parse(utf8(" \t\r\n{ \"a\" \n:\r [ 1 \t, true ,null ] ,\"b\"\t:{ } } \n\t\r "))
        #expect(document.root == .object([
            (key: "a", value: .array([
                .number("1", span: 16..<17),
                .bool(true, span: 21..<25),
                .null(span: 27..<31),
            ], span: 14..<33)),
            (key: "b", value: .object([], span: 40..<43)),
        ], span: 4..<45))
    }

    @Test("object members keep document order")
    func memberOrder() throws {
        let document = try JSONParser.parse(utf8(#"{"z":1,"a":2,"m":3}"#))
        guard case .object(let members, _) = document.root else {
            Issue.record("expected an object")
            return
        }
        #expect(members.map(\.key) == ["z", "a", "m"])
    }

    @Test("nesting exactly at maxDepth is accepted")
    func nestingAtLimit() throws {
        let depth = JSONLimits().maxDepth
        let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(throws: Never.self) { try JSONParser.parse(utf8(arrays)) }
        let objects = String(repeating: "{\"k\":", count: depth - 1) + "{}" + String(repeating: "}", count: depth - 1)
        #expect(throws: Never.self) { try JSONParser.parse(utf8(objects)) }
    }

    @Test("a custom maxDepth is honoured, and scalars need no depth")
    func customDepth() throws {
        var limits = JSONLimits()
        limits.maxDepth = 0
        #expect(try JSONParser.parse(utf8("7"), limits: limits).root == .number("7", span: 0..<1))
        limits.maxDepth = 2
        #expect(throws: Never.self) { try JSONParser.parse(utf8("[{}]"), limits: limits) }
    }

    @Test("keys equal only under Unicode normalisation are distinct")
    func canonicallyEquivalentKeys() throws {
        let document = try JSONParser.parse(utf8(#"{"\u00e9":1,"e\u0301":2}"#))
        #expect(document.root["\u{E9}"] == .number("1", span: 10..<11))
        #expect(document.root["e\u{301}"] == .number("2", span: 22..<23))
    }

    @Test("the same key in different objects is not a duplicate")
    func sameKeyInSiblings() throws {
        #expect(throws: Never.self) { try JSONParser.parse(utf8(#"{"a":{"a":1},"b":{"a":2}}"#)) }
    }

    @Test("a string of exactly maxStringBytes is accepted, counted after unescaping")
    func stringAtLimit() throws {
        var limits = JSONLimits()
        limits.maxStringBytes = 4
        #expect(try JSONParser.parse(utf8(#""abcd""#), limits: limits).root.stringValue == "abcd")
        #expect(try JSONParser.parse(utf8(#""\u00e9\u00e9""#), limits: limits).root.stringValue == "éé")
        #expect(try JSONParser.parse(utf8(#""😀""#), limits: limits).root.stringValue == "😀")
    }

    @Test("a 1 MiB string is accepted at the default limit")
    func megabyteString() throws {
        let text = String(repeating: "x", count: 1 << 20)
        let document = try JSONParser.parse(utf8("\"\(text)\""))
        #expect(document.root.stringValue?.utf8.count == 1 << 20)
    }
}
