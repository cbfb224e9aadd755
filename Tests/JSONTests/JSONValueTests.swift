import JSON
import MOTestFixtures
import Testing

@Suite("JSONValue accessors")
struct JSONValueTests {
    @Test("typeName names each JSON type", arguments: [
        ("null", "null"), ("true", "boolean"), ("1", "number"), ("\"s\"", "string"), ("[]", "array"), ("{}", "object"),
    ])
    func typeNames(text: String, expected: String) throws {
        #expect(try JSONParser.parse(utf8(text)).root.typeName == expected)
    }

    @Test("the subscript finds members and is nil for missing keys and non-objects")
    func subscriptLookup() throws {
        let root = try JSONParser.parse(utf8(#"{"a":{"b":"c"},"n":null}"#)).root
        #expect(root["a"]?["b"]?.stringValue == "c")
        #expect(root["missing"] == nil)
        #expect(root["n"]?.isNull == true)
        #expect(root["a"]?["b"]?["c"] == nil)
        #expect(try JSONParser.parse(utf8("[1]")).root["0"] == nil)
    }

    @Test("stringValue is only for strings and isNull only for null")
    func scalarAccessors() {
        #expect(JSONValue.number("1", span: 0..<1).stringValue == nil)
        #expect(JSONValue.string("1", span: 0..<3).stringValue == "1")
        #expect(JSONValue.null(span: 0..<4).isNull)
        #expect(!JSONValue.string("null", span: 0..<6).isNull)
    }

    @Test("span reports each case's range")
    func spans() {
        #expect(JSONValue.null(span: 1..<5).span == 1..<5)
        #expect(JSONValue.bool(true, span: 2..<6).span == 2..<6)
        #expect(JSONValue.object([], span: 0..<2).span == 0..<2)
    }

    @Test("equality compares values, spans, member order and exact scalars")
    func equality() {
        let object = JSONValue.object([(key: "a", value: .number("1", span: 5..<6))], span: 0..<7)
        #expect(object == .object([(key: "a", value: .number("1", span: 5..<6))], span: 0..<7))
        #expect(object != .object([(key: "a", value: .number("1", span: 5..<6))], span: 0..<8))
        #expect(object != .object([(key: "b", value: .number("1", span: 5..<6))], span: 0..<7))
        #expect(object != .object([], span: 0..<7))
        #expect(JSONValue.number("1.0", span: 0..<3) != .number("1.00", span: 0..<3))
        #expect(JSONValue.string("\u{E9}", span: 0..<3) != .string("e\u{301}", span: 0..<3))
        #expect(JSONValue.null(span: 0..<4) != .bool(false, span: 0..<4))
        let ab = JSONValue.object([
            (key: "a", value: .null(span: 0..<1)), (key: "b", value: .null(span: 1..<2)),
        ], span: 0..<2)
        let ba = JSONValue.object([
            (key: "b", value: .null(span: 1..<2)), (key: "a", value: .null(span: 0..<1)),
        ], span: 0..<2)
        #expect(ab != ba)
    }
}
