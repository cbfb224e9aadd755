import CMWebhook
import MOTestFixtures
import Testing

@Suite("InboundMessage reads the legacy Gateway flat MO JSON")
struct InboundMessageLegacyTests {
    static let fixtures: [GoodFixture] = [
        GoodFixture(name: "legacy-flat.json", expected: InboundMessage(
            channel: "SMS", fromNumber: "+31612345678", fromName: nil, toNumber: "8850", text: "hello", media: [],
            reference: "apptReminder20240301n42", groupings: ["a", "b", "c"], timeUtc: nil, timeUtcRaw: nil,
            localTimeRaw: nil, messageContext: nil, customJSON: nil, form: .legacyJSON
        )),
        GoodFixture(name: "legacy-flat-null-optionals.json", expected: InboundMessage(
            channel: "SMS", fromNumber: "0031612345678", fromName: nil, toNumber: nil, text: "", media: [],
            reference: nil, groupings: [], timeUtc: nil, timeUtcRaw: nil,
            localTimeRaw: nil, messageContext: nil, customJSON: nil, form: .legacyJSON
        )),
    ]

    @Test("a legacy fixture decodes to exactly the expected message", arguments: fixtures)
    func decodes(_ fixture: GoodFixture) throws {
        #expect(try InboundMessage(json: MOTestFixtures.fixture(fixture.name)) == fixture.expected)
    }

    @Test("today's envelope keeps form json; only a string from means legacy", arguments: [
        (#"{"from":{"number":"+31"}}"#, InboundMessage.Form.json),
        (#"{"from":{"number":"+31"},"body":"x","reference":"r"}"#, .json),
        (#"{"from":"+31","message":{"text":"ignored"},"channel":"WhatsApp"}"#, .legacyJSON),
    ])
    func detection(json: String, form: InboundMessage.Form) throws {
        #expect(try InboundMessage(json: utf8(json)).form == form)
    }

    @Test("legacy fields the flat form does not have are ignored, not read", arguments: [
        #"{"from":"+31","message":{"text":"x"},"timeUtc":"2024-03-01T11:05:42","time":"t","channel":"WhatsApp","messageContext":{}}"#,
        #"{"from":"+31","message":7,"timeUtc":7,"channel":7,"name":7}"#,
    ])
    func envelopeFieldsIgnored(json: String) throws {
        let message = try InboundMessage(json: utf8(json))
        #expect(message == InboundMessage(
            channel: "SMS", fromNumber: "+31", fromName: nil, toNumber: nil, text: "", media: [], reference: nil,
            groupings: [], timeUtc: nil, timeUtcRaw: nil, localTimeRaw: nil, messageContext: nil, customJSON: nil,
            form: .legacyJSON
        ))
    }

    @Test("an empty legacy sender is missingField(from)")
    func emptySender() {
        let error = PayloadError.missingField("from")
        #expect(throws: error) { try InboundMessage(json: utf8(#"{"from":"","to":"8850","body":"hello"}"#)) }
        #expect(error.description == "MO payload has no from")
    }

    @Test("legacy wrong types name the flat field", arguments: [
        (#"{"from":"+31","to":8850}"#, "to", "string", "number"),
        (#"{"from":"+31","to":{"number":"8850"}}"#, "to", "string", "object"),
        (#"{"from":"+31","body":["hi"]}"#, "body", "string", "array"),
        (#"{"from":"+31","reference":1}"#, "reference", "string", "number"),
        (#"{"from":"+31","groupings":"a,b,c"}"#, "groupings", "array", "string"),
        (#"{"from":"+31","groupings":["a",false]}"#, "groupings[1]", "string", "boolean"),
    ])
    func wrongTypes(json: String, field: String, expected: String, found: String) {
        #expect(throws: PayloadError.wrongType(field: field, expected: expected, found: found)) {
            try InboundMessage(json: utf8(json))
        }
    }

    @Test("legacy strings have U+0000 replaced and groupings of any length kept")
    func nulAndGroupings() throws {
        let message = try InboundMessage(json: utf8(#"{"from":"+3\u00001","to":"8\u0000","body":"a\u0000b","reference":"\u0000","groupings":[null,"x"]}"#))
        #expect(message.fromNumber == "+3\u{FFFD}1")
        #expect(message.toNumber == "8\u{FFFD}")
        #expect(message.text == "a\u{FFFD}b")
        #expect(message.reference == "\u{FFFD}")
        #expect(message.groupings == ["", "x"])
    }
}
