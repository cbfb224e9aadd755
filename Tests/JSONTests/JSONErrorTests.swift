import JSON
import MOTestFixtures
import Testing

@Suite("JSONError descriptions are one line and leak no payload")
struct JSONErrorTests {
    @Test("each kind has a fixed one-line description with the offset", arguments: [
        (JSONError.Kind.empty, "invalid JSON at byte 3: empty input"),
        (.invalidUTF8, "invalid JSON at byte 3: invalid UTF-8"),
        (.unexpectedCharacter, "invalid JSON at byte 3: unexpected character"),
        (.unexpectedEnd, "invalid JSON at byte 3: unexpected end of input"),
        (.invalidEscape, "invalid JSON at byte 3: invalid escape sequence"),
        (.invalidSurrogate, "invalid JSON at byte 3: unpaired UTF-16 surrogate escape"),
        (.controlCharacterInString, "invalid JSON at byte 3: unescaped control character in string"),
        (.invalidNumber, "invalid JSON at byte 3: invalid number"),
        (.trailingContent, "invalid JSON at byte 3: trailing content after the value"),
        (.tooDeep, "invalid JSON at byte 3: nesting too deep"),
        (.stringTooLong, "invalid JSON at byte 3: string too long"),
        (.duplicateKey("from"), "invalid JSON at byte 3: duplicate key \"from\""),
    ])
    func descriptions(kind: JSONError.Kind, expected: String) {
        #expect(JSONError(kind: kind, offset: 3).description == expected)
    }

    @Test("the duplicate key example from the API reads as documented")
    func duplicateKeyExample() throws {
        let input = utf8(#"{"from":1, "x":2, "from":3}"#)
        #expect(throws: JSONError(kind: .duplicateKey("from"), offset: 18)) { try JSONParser.parse(input) }
        #expect(JSONError(kind: .duplicateKey("from"), offset: 17).description
            == #"invalid JSON at byte 17: duplicate key "from""#)
    }

    @Test("a long duplicate key is cut to 40 scalars")
    func longKeyTruncated() {
        let key = String(repeating: "k", count: 39) + "LXYZ-secret-tail"
        let description = JSONError(kind: .duplicateKey(key), offset: 0).description
        #expect(description == "invalid JSON at byte 0: duplicate key \"" + String(repeating: "k", count: 39) + "L…\"")
        #expect(!description.contains("secret"))
    }

    @Test("quotes, backslashes, line breaks and format characters in a key are escaped")
    func keyEscaped() {
        let key = "a\"b\\c\nd\u{0}e\u{202E}f\u{2028}g"
        let description = JSONError(kind: .duplicateKey(key), offset: 0).description
        #expect(description == #"invalid JSON at byte 0: duplicate key "a\"b\\c\u{A}d\u{0}e\u{202E}f\u{2028}g""#)
        #expect(!description.contains("\n"))
    }

    @Test("errors compare by kind and offset")
    func equality() {
        #expect(JSONError(kind: .invalidNumber, offset: 1) == JSONError(kind: .invalidNumber, offset: 1))
        #expect(JSONError(kind: .invalidNumber, offset: 1) != JSONError(kind: .invalidNumber, offset: 2))
        #expect(JSONError(kind: .duplicateKey("a"), offset: 1) != JSONError(kind: .duplicateKey("b"), offset: 1))
    }
}
