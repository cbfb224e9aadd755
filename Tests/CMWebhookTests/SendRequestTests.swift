import CMWebhook
import JSON
import Testing

/// A typical auto-reply: one WhatsApp recipient, our reference and grouping.
private let typical = CMSendMessage(
    from: "0031850000000", to: ["0031612345678"], content: "Thanks, we got your message",
    reference: "mr7Hq2Xv9KpL0aZ3bN5cW1", allowedChannels: ["WhatsApp"], customGrouping3: "mo-receiver"
)

@Suite("CMSendRequest builds CM's send API body")
struct SendRequestTests {
    @Test("a typical message is exact bytes, with no authentication member when the token goes in the header")
    func typicalBody() {
        #expect(String(decoding: typical.requestBody(), as: UTF8.self) ==
            #"{"messages":{"msg":[{"from":"0031850000000","to":[{"number":"0031612345678"}],"#
            + #""body":{"type":"auto","content":"Thanks, we got your message"},"reference":"mr7Hq2Xv9KpL0aZ3bN5cW1","#
            + #""allowedChannels":["WhatsApp"],"customGrouping3":"mo-receiver"}]}}"#)
    }

    @Test("with the token in the body, authentication.productToken comes first inside messages")
    func tokenInBody() {
        let body = typical.requestBody(productTokenInBody: "00000000-0000-0000-0000-000000000000")
        #expect(String(decoding: body, as: UTF8.self) ==
            #"{"messages":{"authentication":{"productToken":"00000000-0000-0000-0000-000000000000"},"#
            + #""msg":[{"from":"0031850000000","to":[{"number":"0031612345678"}],"#
            + #""body":{"type":"auto","content":"Thanks, we got your message"},"reference":"mr7Hq2Xv9KpL0aZ3bN5cW1","#
            + #""allowedChannels":["WhatsApp"],"customGrouping3":"mo-receiver"}]}}"#)
    }

    @Test("seed 000's example request comes out byte for byte, compacted")
    func seedExample() {
        let message = CMSendMessage(from: "Sender", to: ["00447911123456"], content: "My first CM.com message",
                                    reference: "my_reference_123")
        #expect(String(decoding: message.requestBody(productTokenInBody: "<YOUR PRODUCT TOKEN>"), as: UTF8.self) ==
            #"{"messages":{"authentication":{"productToken":"<YOUR PRODUCT TOKEN>"},"msg":[{"from":"Sender","#
            + #""to":[{"number":"00447911123456"}],"body":{"type":"auto","content":"My first CM.com message"},"#
            + #""reference":"my_reference_123"}]}}"#)
    }

    @Test("empty allowedChannels, nil customGrouping3 and an empty reference are left out")
    func optionalMembersOmitted() {
        let message = CMSendMessage(from: "Shop", to: ["0031612345678"], content: "Hi", reference: "")
        #expect(String(decoding: message.requestBody(), as: UTF8.self) ==
            #"{"messages":{"msg":[{"from":"Shop","to":[{"number":"0031612345678"}],"#
            + #""body":{"type":"auto","content":"Hi"}}]}}"#)
    }

    @Test("several recipients, channels and messages keep their order")
    func severalMessages() {
        let first = CMSendMessage(from: "A", to: ["001", "002"], content: "x", reference: "r1",
                                  allowedChannels: ["WhatsApp", "SMS"])
        let second = CMSendMessage(from: "B", to: ["003"], content: "y", reference: "r2", customGrouping3: "g")
        #expect(String(decoding: CMSendRequest.body(for: [first, second]), as: UTF8.self) ==
            #"{"messages":{"msg":[{"from":"A","to":[{"number":"001"},{"number":"002"}],"#
            + #""body":{"type":"auto","content":"x"},"reference":"r1","allowedChannels":["WhatsApp","SMS"]},"#
            + #"{"from":"B","to":[{"number":"003"}],"body":{"type":"auto","content":"y"},"reference":"r2","#
            + #""customGrouping3":"g"}]}}"#)
    }

    @Test("content, names and the token are JSON-escaped", arguments: [
        ("say \"hi\"", #"say \"hi\""#),
        ("line one\nline two", #"line one\nline two"#),
        ("back\\slash", #"back\\slash"#),
        ("tab\there", #"tab\there"#),
        ("nul\u{0}", #"nul\u0000"#),
        ("sep\u{2028}", #"sep\u2028"#),
        ("émoji 👍 日本", "émoji 👍 日本"),
        ("</script>", "</script>"),
    ])
    func escaping(content: String, escaped: String) {
        let message = CMSendMessage(from: "A", to: ["1"], content: content, reference: "r")
        let text = String(decoding: message.requestBody(productTokenInBody: content), as: UTF8.self)
        #expect(text.contains(#""content":""# + escaped + #"""#))
        #expect(text.contains(#""productToken":""# + escaped + #"""#))
    }

    @Test("the body reads back with the project's own JSON parser, member for member")
    func readsBack() throws {
        let body = typical.requestBody(productTokenInBody: "token")
        let root = try JSONParser.parse(body).root
        let msg = try #require(root["messages"]?["msg"])
        guard case .array(let entries, _) = msg, let entry = entries.first else {
            Issue.record("msg is not a one-element array")
            return
        }
        #expect(root["messages"]?["authentication"]?["productToken"]?.stringValue == "token")
        #expect(entry["from"]?.stringValue == typical.from)
        #expect(entry["body"]?["type"]?.stringValue == "auto")
        #expect(entry["body"]?["content"]?.stringValue == typical.content)
        #expect(entry["reference"]?.stringValue == typical.reference)
        #expect(entry["customGrouping3"]?.stringValue == "mo-receiver")
    }

    @Test("the header name and media type are CM's")
    func headerNames() {
        #expect(CMSendRequest.productTokenHeader == "X-CM-PRODUCTTOKEN")
        #expect(CMSendRequest.contentType == "application/json; charset=utf-8")
    }

    @Test("a typical message passes validation")
    func validMessage() throws {
        try typical.validate()
        var longest = typical
        longest.reference = String(repeating: "Z", count: 32)
        longest.customGrouping3 = String(repeating: "é", count: 100)
        try longest.validate()
    }

    @Test("validation names the field CM would reject", arguments: [
        ("from", "", CMSendMessageError.emptyField("from")),
        ("content", "", .emptyField("body.content")),
        ("reference", "", .emptyField("reference")),
        ("reference", "has_underscore", .invalidReference),
        ("reference", "with space", .invalidReference),
        ("reference", "ÄÖÜ", .invalidReference),
        ("reference", String(repeating: "a", count: 33), .invalidReference),
    ])
    func invalidFields(field: String, value: String, error: CMSendMessageError) {
        var message = typical
        switch field {
        case "from": message.from = value
        case "content": message.content = value
        default: message.reference = value
        }
        #expect(throws: error) { try message.validate() }
    }

    @Test("validation refuses no recipient, an empty recipient or channel, and a long grouping")
    func invalidLists() {
        var message = typical
        message.to = []
        #expect(throws: CMSendMessageError.emptyField("to")) { try message.validate() }
        message.to = ["0031612345678", ""]
        #expect(throws: CMSendMessageError.emptyField("to[1].number")) { try message.validate() }
        message = typical
        message.allowedChannels = ["WhatsApp", ""]
        #expect(throws: CMSendMessageError.emptyField("allowedChannels[1]")) { try message.validate() }
        message = typical
        message.customGrouping3 = String(repeating: "x", count: 101)
        #expect(throws: CMSendMessageError.customGroupingTooLong(101)) { try message.validate() }
    }

    @Test("validation errors are one line and never quote the value")
    func errorDescriptions() {
        var message = typical
        message.reference = "secret value\n"
        do {
            try message.validate()
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains("secret"))
            #expect(!error.description.contains("\n"))
            #expect(error.description == "send message reference must be 1 to 32 ASCII letters and digits")
        }
    }
}
