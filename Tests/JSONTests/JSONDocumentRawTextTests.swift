import JSON
import MOTestFixtures
import Testing

@Suite("JSONDocument.rawText(of:) returns the exact original bytes")
struct JSONDocumentRawTextTests {
    static let text = "\u{FEFF} { \"a\" :\t[ 1 ,\n  {\"b\" : \"x\\\"y\\u00e9\\/\" }\r\n ] , \"c\":  -0.5e+10 ,\"d\":{ } }  \n"

    @Test("nested values come back byte for byte, odd whitespace and escapes included")
    func nestedValues() throws {
        let document = try JSONParser.parse(utf8(Self.text))
        let root = document.root
        #expect(document.rawText(of: root) == "{ \"a\" :\t[ 1 ,\n  {\"b\" : \"x\\\"y\\u00e9\\/\" }\r\n ] , \"c\":  -0.5e+10 ,\"d\":{ } }")
        let a = try #require(root["a"])
        #expect(document.rawText(of: a) == "[ 1 ,\n  {\"b\" : \"x\\\"y\\u00e9\\/\" }\r\n ]")
        guard case .array(let items, _) = a else {
            Issue.record("a is not an array")
            return
        }
        #expect(document.rawText(of: items[0]) == "1")
        #expect(document.rawText(of: items[1]) == "{\"b\" : \"x\\\"y\\u00e9\\/\" }")
        let b = try #require(items[1]["b"])
        #expect(document.rawText(of: b) == "\"x\\\"y\\u00e9\\/\"")
        #expect(b.stringValue == "x\"yé/")
        #expect(document.rawText(of: try #require(root["c"])) == "-0.5e+10")
        #expect(document.rawText(of: try #require(root["d"])) == "{ }")
    }

    @Test("raw text equals the UTF-8 slice of the input at the value's span")
    func sliceOfBytes() throws {
        let input = utf8(#"{"k":{"deep":[true,false,null,"🙂",{"\u0000":0}]}}"#)
        let document = try JSONParser.parse(input)
        let value = try #require(document.root["k"])
        #expect(Array(document.rawText(of: value).utf8) == Array(input[value.span]))
        #expect(document.rawText(of: value) == #"{"deep":[true,false,null,"🙂",{"\u0000":0}]}"#)
    }

    @Test("a value from another document is clamped instead of trapping")
    func foreignSpanIsClamped() throws {
        let small = try JSONParser.parse(utf8("1"))
        let big = try JSONParser.parse(utf8(#"{"aaaa":"bbbb"}"#))
        #expect(small.rawText(of: big.root) == "1")
    }
}
