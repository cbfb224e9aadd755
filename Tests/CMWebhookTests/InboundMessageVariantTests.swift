import CMWebhook
import Foundation
import MOTestFixtures
import Testing

@Suite("InboundMessage handles every documented and seen MO variant")
struct InboundMessageVariantTests {
    static let fixtures: [GoodFixture] = [
        GoodFixture(name: "groupings-four.json", expected: InboundMessage(
            channel: "SMS", fromNumber: "+316012345678", fromName: "", toNumber: "3669", text: "ok", media: [],
            reference: "r-4", groupings: ["g1", "", "", "g4"], timeUtc: Date(timeIntervalSince1970: 1_718_176_500),
            timeUtcRaw: "2024-06-12T07:15:00", localTimeRaw: nil, messageContext: nil, customJSON: "{}"
        )),
        GoodFixture(name: "time-utc-offset.json", expected: InboundMessage(
            channel: "Viber", fromNumber: "+316012345678", fromName: "Demo", toNumber: "3669", text: "Offset time",
            media: [], reference: "", groupings: ["", "", ""], timeUtc: Date(timeIntervalSince1970: 1_718_176_500),
            timeUtcRaw: "2024-06-12T07:15:00+00:00", localTimeRaw: "2024-06-12 09:15:00", messageContext: nil,
            customJSON: "{}"
        )),
        GoodFixture(name: "whatsapp-reply-context.json", expected: InboundMessage(
            channel: "WhatsApp", fromNumber: "+316012345678", fromName: "Demo", toNumber: "3669", text: "Yes, confirm",
            media: [], reference: "2f2d42ac-3809-40fb-bce5-dc720e400000", groupings: ["", "", ""],
            timeUtc: Date(timeIntervalSince1970: 1_718_176_500.123_456_7), timeUtcRaw: "2024-06-12T07:15:00.1234567",
            localTimeRaw: nil, messageContext: "wamid.HBgLMzE2MTIzNDU2NzgVAgARGBI0QTk2",
            customJSON: #"{ "interactive": { "type": "button_reply", "button_reply": { "id": "confirm", "title": "Yes, confirm" } } }"#
        )),
    ]

    @Test("a variant fixture decodes to exactly the expected message", arguments: fixtures)
    func decodes(_ fixture: GoodFixture) throws {
        #expect(try InboundMessage(json: MOTestFixtures.fixture(fixture.name)) == fixture.expected)
    }

    /// Which fixture (here or in InboundMessageFixtureTests) covers each MO variant we must handle.
    static let variants: [MOVariant] = [
        MOVariant("local time field kept", "apple-business-chat.json") { $0.localTimeRaw == "2021-05-19 15:42:28" },
        MOVariant("messageContext as a string", "whatsapp-reply-context.json") { $0.messageContext == "wamid.HBgLMzE2MTIzNDU2NzgVAgARGBI0QTk2" },
        MOVariant("messageContext as an object", "unknown-channel-extra-fields.json") { $0.messageContext == #"{"message_id": "mt-20240401-0001"}"# },
        MOVariant("groupings of four", "groupings-four.json") { $0.groupings.count == 4 },
        MOVariant("explicit nulls", "null-optionals.json") { $0.toNumber == nil && $0.customJSON == nil && $0.groupings.isEmpty },
        MOVariant("a UTF-8 BOM", "bom.json") { $0.fromNumber == "+31687654321" },
        MOVariant("timeUtc with a fraction and Z", "unknown-channel-extra-fields.json") { $0.timeUtc == Date(timeIntervalSince1970: 1_711_962_000.125) },
        MOVariant("timeUtc with +00:00", "time-utc-offset.json") { $0.timeUtc == Date(timeIntervalSince1970: 1_718_176_500) },
        MOVariant("Apple Business Chat channel", "apple-business-chat.json") { $0.channel == "Apple Business Chat" },
        MOVariant("an unknown channel", "unknown-channel-extra-fields.json") { $0.channel == "Carrier Pigeon" },
        MOVariant("custom kept with rawPayload", "instagram-story-reply.json") { $0.customJSON?.contains(#""rawPayload": {"#) == true },
    ]

    @Test("each MO variant is covered by a fixture", arguments: variants)
    func covered(_ variant: MOVariant) throws {
        #expect(variant.holds(try InboundMessage(json: fixture(variant.fixture))))
    }

    @Test("timeUtc: fractions, Z and +00:00 parse; other offsets and forms keep only the raw text", arguments: [
        ("2024-06-12T07:15:00", 1_718_176_500 as Double?),
        ("2024-06-12T07:15:00Z", 1_718_176_500),
        ("2024-06-12T07:15:00+00:00", 1_718_176_500),
        ("2024-06-12T07:15:00.5", 1_718_176_500.5),
        ("2024-06-12T07:15:00.123Z", 1_718_176_500.123),
        ("2024-06-12T07:15:00.123456789+00:00", 1_718_176_500.123_456_789),
        ("2024-06-12T09:15:00+02:00", nil),
        ("2024-06-12T07:15:00-00:00", nil),
        ("2024-06-12T07:15:00z", nil),
        ("2024-06-12T07:15:00.1234567890", nil),
        ("2024-06-12 09:15:00", nil),
    ])
    func timeUtc(raw: String, seconds: Double?) throws {
        let message = try InboundMessage(json: utf8(#"{"from":{"number":"+31"},"timeUtc":""# + raw + #""}"#))
        #expect(message.timeUtcRaw == raw)
        #expect(message.timeUtc == seconds.map(Date.init(timeIntervalSince1970:)))
    }

    @Test("channels are kept exactly as CM names them, known or not", arguments: [
        "WhatsApp", "SMS", "Apple Business Chat", "Apple Messages for Business", "RCS", "Viber", "Instagram",
        "Twitter", "Telegram", "Facebook Messenger", "GBM", "MobilePush", "whatsapp", "Teletext", " SMS ", "",
    ])
    func channels(name: String) throws {
        let message = try InboundMessage(json: utf8(#"{"from":{"number":"+31"},"channel":""# + name + #""}"#))
        #expect(message.channel == name)
        #expect(message.form == .json)
    }

    @Test("an explicit null for each optional field is the same as leaving it out", arguments: [
        #"{"from":{"number":"+31","name":null}}"#, #"{"from":{"number":"+31"},"to":null}"#,
        #"{"from":{"number":"+31"},"to":{"number":null}}"#, #"{"from":{"number":"+31"},"message":null}"#,
        #"{"from":{"number":"+31"},"message":{"text":null,"media":null,"custom":null}}"#,
        #"{"from":{"number":"+31"},"reference":null,"groupings":null,"timeUtc":null}"#,
        #"{"from":{"number":"+31"},"time":null,"channel":null,"messageContext":null}"#,
    ])
    func explicitNull(json: String) throws {
        #expect(try InboundMessage(json: utf8(json)) == InboundMessage(json: utf8(#"{"from":{"number":"+31"}}"#)))
    }
}

/// One MO variant, the fixture that shows it, and what must hold once it is decoded.
struct MOVariant: Sendable, CustomTestStringConvertible {
    let variant: String
    let fixture: String
    let holds: @Sendable (InboundMessage) -> Bool

    init(_ variant: String, _ fixture: String, holds: @escaping @Sendable (InboundMessage) -> Bool) {
        self.variant = variant
        self.fixture = fixture
        self.holds = holds
    }

    var testDescription: String { variant }
}
