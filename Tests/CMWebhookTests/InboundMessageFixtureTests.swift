import CMWebhook
import Foundation
import JSON
import MOTestFixtures
import Testing

/// A well-formed fixture and the message it must decode to.
struct GoodFixture: Sendable, CustomTestStringConvertible {
    let name: String
    let expected: InboundMessage

    var testDescription: String { name }
}

@Suite("InboundMessage decodes every good fixture to its full expected value")
struct InboundMessageFixtureTests {
    static let emptyGroupings = ["", "", ""]

    static let fixtures: [GoodFixture] = [
        GoodFixture(name: "whatsapp-text.json", expected: InboundMessage(
            channel: "WhatsApp",
            fromNumber: "+316012345678",
            fromName: "",
            toNumber: "3669",
            text: "This is an example message",
            media: [],
            reference: "2f2d42ac-3809-40fb-bce5-dc720e400000",
            groupings: ["39373ce0-f4aa-4918-8ff1-3cef7f77b112", "messagesApi", ""],
            timeUtc: Date(timeIntervalSince1970: 1_572_942_753),
            timeUtcRaw: "2019-11-05T08:32:33",
            localTimeRaw: nil,
            messageContext: nil,
            customJSON: "{}"
        )),
        GoodFixture(name: "whatsapp-media.json", expected: InboundMessage(
            channel: "WhatsApp",
            fromNumber: "+316012345678",
            fromName: "Demo",
            toNumber: "00316012345678",
            text: "",
            media: [MediaReference(
                uri: "https://cdn-1.messaging.cm.com/fileproxy/files/0123456789abcdef0123456789abcdef",
                contentType: "image/png",
                title: "Media items can be empty"
            )],
            reference: "2f2d42ac-3809-40fb-bce5-dc720e400000",
            groupings: ["39373ce0-f4aa-4918-8ff1-3cef7f77b112", "messagesApi", ""],
            timeUtc: Date(timeIntervalSince1970: 1_572_942_753),
            timeUtcRaw: "2019-11-05T08:32:33",
            localTimeRaw: nil,
            messageContext: nil,
            customJSON: "{}"
        )),
        GoodFixture(name: "sms-reply.json", expected: InboundMessage(
            channel: "SMS",
            fromNumber: "0031612345678",
            fromName: "",
            toNumber: "3669",
            text: "JA, donderdag 14:30 past goed",
            media: [],
            reference: "apptReminder20240301n42",
            groupings: ["appointments", "reminder-48h", "text-sdk-php-2.3.0"],
            timeUtc: Date(timeIntervalSince1970: 1_709_291_142),
            timeUtcRaw: "2024-03-01T11:05:42",
            localTimeRaw: nil,
            messageContext: nil,
            customJSON: "{}"
        )),
        GoodFixture(name: "apple-business-chat.json", expected: InboundMessage(
            channel: "Apple Business Chat",
            fromNumber: "6f2de4d4cc6aa17da2e11c3bff5843aa",
            fromName: "",
            toNumber: "20241c26f8634faf8bb2ad4213641caa",
            text: "Hi, I'd like to move my appointment",
            media: [],
            reference: "515836577",
            groupings: emptyGroupings,
            timeUtc: Date(timeIntervalSince1970: 1_621_431_748),
            timeUtcRaw: "2021-05-19T13:42:28",
            localTimeRaw: "2021-05-19 15:42:28",
            messageContext: "",
            customJSON: """
                {
                            "MESSAGETYPE": "Text",
                            "INTENT": "apidocs",
                            "GROUP": "techsupport"
                        }
                """
        )),
        GoodFixture(name: "instagram-story-reply.json", expected: InboundMessage(
            channel: "Instagram",
            fromNumber: "6543210987654321",
            fromName: "Jane Doe",
            toNumber: "17841400000000000",
            text: "Love this! Is it still available?",
            media: [MediaReference(
                uri: "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17912345678901234&signature=AbCdEf0123456789",
                contentType: nil,
                title: nil
            )],
            reference: "517204113",
            groupings: emptyGroupings,
            timeUtc: Date(timeIntervalSince1970: 1_716_824_872),
            timeUtcRaw: "2024-05-27T15:47:52",
            localTimeRaw: "2024-05-27 17:47:52",
            messageContext: "",
            customJSON: instagramCustom
        )),
        GoodFixture(name: "rcs-text.json", expected: InboundMessage(
            channel: "RCS",
            fromNumber: "0031612345678",
            fromName: nil,
            toNumber: "00cm.com_agent",
            text: "Can I move my delivery to Friday?",
            media: [],
            reference: "a73bc8c0-5d0b-4e51-9f3a-2c4e8b7d1f60",
            groupings: emptyGroupings,
            timeUtc: Date(timeIntervalSince1970: 1_761_221_657),
            timeUtcRaw: "2025-10-23T12:14:17",
            localTimeRaw: nil,
            messageContext: "",
            customJSON: "{}"
        )),
        GoodFixture(name: "unknown-channel-extra-fields.json", expected: InboundMessage(
            channel: "Carrier Pigeon",
            fromNumber: "+447700900123",
            fromName: "Pat",
            toNumber: "447700900000",
            text: "Coo. Arriving by noon.",
            media: [],
            reference: "",
            groupings: emptyGroupings,
            timeUtc: Date(timeIntervalSince1970: 1_711_962_000.125),
            timeUtcRaw: "2024-04-01T09:00:00.125Z",
            localTimeRaw: nil,
            messageContext: #"{"message_id": "mt-20240401-0001"}"#,
            customJSON: #"{ "ringColour": "blue", "legs": 2 }"#
        )),
        GoodFixture(name: "null-optionals.json", expected: InboundMessage(
            channel: "",
            fromNumber: "+316012345678",
            fromName: nil,
            toNumber: nil,
            text: "",
            media: [],
            reference: nil,
            groupings: [],
            timeUtc: nil,
            timeUtcRaw: nil,
            localTimeRaw: nil,
            messageContext: nil,
            customJSON: nil
        )),
        GoodFixture(name: "bom.json", expected: InboundMessage(
            channel: "WhatsApp",
            fromNumber: "+31687654321",
            fromName: "Sanne",
            toNumber: "3669",
            text: "Hoi! Klopt mijn afspraak nog?",
            media: [],
            reference: "",
            groupings: emptyGroupings,
            timeUtc: Date(timeIntervalSince1970: 1_718_176_500),
            timeUtcRaw: "2024-06-12T07:15:00",
            localTimeRaw: nil,
            messageContext: nil,
            customJSON: "{}"
        )),
        GoodFixture(name: "nul-in-text.json", expected: InboundMessage(
            channel: "WhatsApp",
            fromNumber: "+31612345678",
            fromName: "Ann\u{FFFD}ie",
            toNumber: "3669",
            text: "before\u{FFFD}after",
            media: [],
            reference: "",
            groupings: emptyGroupings,
            timeUtc: Date(timeIntervalSince1970: 1_709_251_199),
            timeUtcRaw: "2024-02-29T23:59:59",
            localTimeRaw: nil,
            messageContext: nil,
            customJSON: #"{"note": "x\u0000y"}"#
        )),
    ]

    /// message.custom of instagram-story-reply.json, exactly as indented in the file.
    static let instagramCustom = """
        {
              "username": "jane.doe",
              "rawPayload": {
                "object": "instagram",
                "entry": [
                  {
                    "id": "17841400000000000",
                    "time": 1716824872123,
                    "messaging": [
                      {
                        "sender": { "id": "6543210987654321" },
                        "recipient": { "id": "17841400000000000" },
                        "timestamp": 1716824871987,
                        "message": {
                          "mid": "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAwMDAwMDAwMDAwOjM0MDI4MjM2Njg0MTcxMDMwMDk0OTEyODEzMjQ3NDMwMzM4NDQ4OTk=",
                          "text": "Love this! Is it still available?",
                          "reply_to": {
                            "story": {
                              "url": "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17912345678901234&signature=AbCdEf0123456789",
                              "id": "17912345678901234"
                            }
                          }
                        }
                      }
                    ]
                  }
                ]
              }
            }
        """

    @Test("a good fixture decodes to exactly the expected message", arguments: fixtures)
    func decodes(_ fixture: GoodFixture) throws {
        let message = try InboundMessage(json: MOTestFixtures.fixture(fixture.name))
        #expect(message == fixture.expected)
    }

    @Test("customJSON is the exact byte slice of the fixture", arguments: fixtures.filter { $0.expected.customJSON != nil })
    func customIsByteExact(_ fixture: GoodFixture) throws {
        let body = MOTestFixtures.fixture(fixture.name)
        let message = try InboundMessage(json: body)
        let custom = try #require(message.customJSON)
        #expect(body.firstRange(of: Array(custom.utf8)) != nil)
        let document = try JSONParser.parse(body)
        let span = try #require(document.root["message"]?["custom"]?.span)
        #expect(Array(custom.utf8) == Array(body[span]))
    }

    @Test("no decoded string from any good fixture contains U+0000", arguments: fixtures)
    func noNul(_ fixture: GoodFixture) throws {
        let message = try InboundMessage(json: MOTestFixtures.fixture(fixture.name))
        var strings = [message.channel, message.fromNumber, message.text] + message.groupings
        strings += [message.fromName, message.toNumber, message.reference, message.timeUtcRaw,
                    message.localTimeRaw, message.messageContext, message.customJSON].compactMap { $0 }
        strings += message.media.flatMap { [$0.uri, $0.contentType, $0.title].compactMap { $0 } }
        #expect(strings.allSatisfy { !$0.unicodeScalars.contains("\0") })
    }
}
