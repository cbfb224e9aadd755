import CMWebhook
import Testing

@Suite("WebhookProbe: a request without content is CM's test call, not a malformed payload")
struct WebhookProbeTests {
    @Test("blank bodies, empty JSON containers, null and XML roots without MSG are probes", arguments: [
        "", " ", "\r\n", "\t \n", "\u{FEFF}", "\u{FEFF}  \n",
        "{}", "{ }", " {\n} ", "[]", "[ ]", "\u{FEFF}[]", "null", " null\n",
        "<MESSAGES/>", "<MESSAGES></MESSAGES>", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<MESSAGES/>",
        "<MESSAGES SENT=\"2009-06-15T13:45:30\"></MESSAGES>", "<messages>\n</messages>", "<test/>",
        "<MESSAGES><OTHER/></MESSAGES>",
    ])
    func probe(body: String) {
        #expect(WebhookProbe.isProbe(Array(body.utf8)))
    }

    @Test("anything with content, or not well-formed, is not a probe", arguments: [
        "{\"messages\":{}}", "{\"a\":null}", "[{}]", "[null]", "nul", "nulls", "null null", "{", "{}}", "[]x",
        "true", "0", "\"\"", "a=1", "reference=x", "hello",
        "<MESSAGES><MSG/></MESSAGES>", "<MESSAGES><msg></msg></MESSAGES>", "<MESSAGES>", "<MESSAGES/><x/>",
        "<!DOCTYPE x><x/>", "\u{0B}", "\u{A0}",
    ])
    func notProbe(body: String) {
        #expect(!WebhookProbe.isProbe(Array(body.utf8)))
    }

    @Test("a body of bytes that are not UTF-8 is not a probe")
    func invalidUTF8() {
        #expect(!WebhookProbe.isProbe([0xFF, 0xFE]))
        #expect(!WebhookProbe.isProbe([UInt8(ascii: "{"), 0xC3, UInt8(ascii: "}")]))
    }
}
