import CMWebhook
import Testing

@Suite("BodyForm: the body's first significant byte picks the parser")
struct BodyFormTests {
    @Test("BOM and leading whitespace are skipped; other bytes are not", arguments: [
        ("<x/>", UInt8(ascii: "<")), ("  \t\r\n{", UInt8(ascii: "{")), ("\u{FEFF}[1]", UInt8(ascii: "[")),
        ("\u{FEFF} \n<MO>", UInt8(ascii: "<")), ("\u{0B}{", 0x0B), ("\u{A0}{", 0xC2), ("a=1", UInt8(ascii: "a")),
    ])
    func firstByte(body: String, expected: UInt8) {
        #expect(BodyForm.firstSignificantByte(Array(body.utf8)) == expected)
    }

    @Test("blank bodies have no first byte and are neither XML nor JSON", arguments: ["", " ", "\u{FEFF}", "\u{FEFF} \r\n\t"])
    func blank(body: String) {
        let bytes = Array(body.utf8)
        #expect(BodyForm.firstSignificantByte(bytes) == nil)
        #expect(!BodyForm.isXML(bytes) && !BodyForm.isJSON(bytes))
    }

    @Test("XML starts with <, JSON with { or [; a BOM alone (without the rest of its bytes) is not skipped")
    func forms() {
        #expect(BodyForm.isXML(Array(" <?xml version=\"1.0\"?><MESSAGES/>".utf8)))
        #expect(BodyForm.isJSON(Array("{\"a\":1}".utf8)) && BodyForm.isJSON(Array("\n[]".utf8)))
        #expect(!BodyForm.isJSON(Array("<a/>".utf8)) && !BodyForm.isXML(Array("{}".utf8)))
        #expect(BodyForm.firstSignificantByte([0xEF, 0xBB, UInt8(ascii: "<")]) == 0xEF)
    }
}
