import CMWebhook
import JSON
import MOTestFixtures
import Testing

@Suite("A large custom object keeps its exact raw text from parser to InboundMessage")
struct InboundMessageCustomTests {
    @Test("a 1 MB custom object parses and its raw text is exact")
    func megabyteCustom() throws {
        var custom = "{"
        var index = 0
        while custom.utf8.count < 1_000_000 {
            if index > 0 { custom += ",\n  " }
            custom += #""field\#(index)": {"text": "line \#(index) \u00e9\n", "n": \#(index).5e3, "ok": true, "list": [1, 2, null]}"#
            index += 1
        }
        custom += "}"
        let body = #"{"from":{"number":"+31600000000"},"message":{"text":"","custom":"# + custom + "}}"
        let document = try JSONParser.parse(utf8(body))
        let parsed = try #require(document.root["message"]?["custom"])
        #expect(document.rawText(of: parsed) == custom)
        guard case .object(let members, _) = parsed else {
            Issue.record("custom is not an object")
            return
        }
        #expect(members.count == index)
        #expect(members.last?.value["text"]?.stringValue == "line \(index - 1) é\n")
        let message = try InboundMessage(json: utf8(body))
        #expect(message.customJSON == custom)
    }
}
