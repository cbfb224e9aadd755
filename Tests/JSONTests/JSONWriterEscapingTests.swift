import JSON
import Testing

@Suite("JSONWriter escapes strings per RFC 8259 and for JavaScript")
struct JSONWriterEscapingTests {
    /// The JSON text of `text` written as a top-level string.
    private func quoted(_ text: String) -> String {
        var writer = JSONWriter()
        writer.value(text)
        return writer.string
    }

    @Test("quoted(_:) is the string literal the writer writes", arguments: [
        "", "plain", "\"\\\u{0}\u{1F}\n", "caf\u{E9} \u{2028}\u{2029} \u{1F600}",
    ])
    func quotedIsTheWritersLiteral(text: String) {
        #expect(JSONWriter.quoted(text) == quoted(text))
    }

    @Test("quote, backslash and the five short control escapes", arguments: [
        ("\"", #""\"""#), ("\\", #""\\""#), ("\u{08}", #""\b""#), ("\u{0C}", #""\f""#), ("\n", #""\n""#),
        ("\r", #""\r""#), ("\t", #""\t""#),
    ])
    func shortEscapes(text: String, json: String) {
        #expect(quoted(text) == json)
    }

    /// The escape JSONWriter must write for control character `value` (U+0000–U+001F).
    static func controlEscape(_ value: UInt8) -> String {
        switch value {
        case 0x08: #"\b"#
        case 0x09: #"\t"#
        case 0x0A: #"\n"#
        case 0x0C: #"\f"#
        case 0x0D: #"\r"#
        default: #"\u00"# + String(value >> 4, radix: 16) + String(value & 0xF, radix: 16)
        }
    }

    @Test("every control character U+0000–U+001F is escaped, with lowercase hex", arguments: UInt8(0)...UInt8(0x1F))
    func controlCharacters(value: UInt8) throws {
        let text = "a" + String(UnicodeScalar(value)) + "b"
        let json = quoted(text)
        #expect(json == "\"a" + Self.controlEscape(value) + "b\"")
        #expect(!json.utf8.contains { $0 < 0x20 })
        #expect(try JSONParser.parse(Array(json.utf8)).root.stringValue?.unicodeScalars.elementsEqual(text.unicodeScalars) == true)
    }

    @Test("the control escapes are the expected spellings", arguments: [
        (UInt8(0x00), #"\u0000"#), (0x01, #"\u0001"#), (0x07, #"\u0007"#), (0x0B, #"\u000b"#), (0x0E, #"\u000e"#),
        (0x10, #"\u0010"#), (0x1A, #"\u001a"#), (0x1B, #"\u001b"#), (0x1F, #"\u001f"#),
    ])
    func controlSpellings(value: UInt8, escape: String) {
        #expect(quoted(String(UnicodeScalar(value))) == "\"" + escape + "\"")
    }

    @Test("NUL is written as \\u0000 wherever it occurs")
    func nul() {
        #expect(quoted("\u{0}") == #""\u0000""#)
        #expect(quoted("a\u{0}b") == #""a\u0000b""#)
        #expect(quoted("\u{0}\u{0}") == #""\u0000\u0000""#)
        #expect(quoted("x\u{0}") == #""x\u0000""#)
    }

    @Test("U+2028 and U+2029 are escaped; their neighbours are not", arguments: [
        ("\u{2028}", #""\u2028""#), ("\u{2029}", #""\u2029""#), ("a\u{2028}b\u{2029}c", #""a\u2028b\u2029c""#),
        ("\u{2027}", "\"\u{2027}\""), ("\u{202A}", "\"\u{202A}\""), ("\u{2020}", "\"\u{2020}\""),
        ("\u{2000}", "\"\u{2000}\""), ("\u{2828}", "\"\u{2828}\""), ("\u{2028}\u{2028}", #""\u2028\u2028""#),
    ])
    func lineAndParagraphSeparators(text: String, json: String) {
        #expect(quoted(text) == json)
    }

    @Test("everything else is raw UTF-8, non-ASCII and emoji included", arguments: [
        "é", "日本語", "Привет", "مرحبا", "🙂", "👨‍👩‍👧‍👦", "🇳🇱", "e\u{301}", "\u{7F}", "\u{80}", "\u{85}", "\u{A0}",
        "\u{FEFF}", "\u{FFFD}", "\u{FFFF}", "\u{10000}", "\u{10FFFF}", "/", "'", "<script>", "&", "`", "~",
    ])
    func rawUTF8(text: String) {
        #expect(quoted(text) == "\"" + text + "\"")
        #expect(Array(quoted(text).utf8) == [0x22] + Array(text.utf8) + [0x22])
    }

    @Test("a string that starts with U+FEFF keeps it raw, and JSONParser reads it back")
    func leadingByteOrderMark() throws {
        let json = quoted("\u{FEFF}x")
        #expect(Array(json.utf8) == [0x22, 0xEF, 0xBB, 0xBF, 0x78, 0x22])
        let read = try JSONParser.parse(Array(json.utf8)).root.stringValue
        #expect(read?.unicodeScalars.map(\.value) == [0xFEFF, 0x78])
    }

    @Test("escapes at the start, the end, side by side and around multi-byte characters")
    func escapePositions() {
        #expect(quoted("\"start") == #""\"start""#)
        #expect(quoted("end\\") == #""end\\""#)
        #expect(quoted("\"\\\n\t\u{0}\u{2028}") == #""\"\\\n\t\u0000\u2028""#)
        #expect(quoted("é\n🙂\t日") == "\"é\\n🙂\\t日\"")
        #expect(quoted("") == #""""#)
    }

    @Test("object keys are escaped like any string")
    func keys() {
        var writer = JSONWriter()
        writer.object { o in
            o.field("a\"b", 1)
            o.field("\n", 2)
            o.field("\u{2028}", 3)
            o.field("é🙂", 4)
            o.field("", 5)
        }
        #expect(writer.string == #"{"a\"b":1,"\n":2,"\u2028":3,"é🙂":4,"":5}"#)
    }

    /// The escaping rule spelled one scalar at a time, to check the byte-run fast path against.
    static func referenceQuoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: result += #"\""#
            case 0x5C: result += #"\\"#
            case 0x00...0x1F: result += controlEscape(UInt8(scalar.value))
            case 0x2028: result += #"\u2028"#
            case 0x2029: result += #"\u2029"#
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    @Test("random strings are escaped exactly as the one-scalar-at-a-time rule says", arguments: [UInt64(7), 2024])
    func randomStrings(seed: UInt64) throws {
        var random = WriterTestRandom(seed: seed)
        for _ in 0..<2_000 {
            let text = random.string(maxLength: 40)
            let json = quoted(text)
            #expect(json == Self.referenceQuoted(text))
            let parsed = try JSONParser.parse(Array(json.utf8)).root.stringValue
            #expect(parsed?.unicodeScalars.elementsEqual(text.unicodeScalars) == true)
        }
    }

    @Test("a long string with rare escapes is copied intact")
    func longString() {
        let chunk = String(repeating: "lorem ipsum é 🙂 ", count: 1_000)
        let text = chunk + "\n" + chunk + "\"" + chunk
        #expect(quoted(text) == "\"" + chunk + "\\n" + chunk + "\\\"" + chunk + "\"")
    }
}
