import CMWebhook
import Foundation
import JSON
import MOTestFixtures
import Testing

/// An event fixture (`Tests/Fixtures/events/`) and the event it must decode to.
/// Only the RCS SuggestionClick body is CM's own example; the other inner bodies were not published and are
/// constructed from the event names CM documents.
struct EventFixture: Sendable, CustomTestStringConvertible {
    let name: String
    let expected: InboundEvent
    /// For multi-line fixtures: take the expected `eventJSON`/`customJSON` from the file's own spans
    /// (their byte-exactness is checked separately) instead of spelling them out here.
    var rawTextsFromFile = false

    var testDescription: String { name }
}

@Suite("InboundEvent decodes every good fixture to its full expected value")
struct InboundEventFixtureTests {
    static let fixtures: [EventFixture] = [
        EventFixture(name: "rcs-suggestion-click.json", expected: InboundEvent(
            channel: "RCS", fromNumber: "003161234678", toNumber: "00cm.com_agent", type: "SuggestionClick",
            customJSON: #"{"postbackdata":"Call us","label":"Call us"}"#,
            eventJSON: #"{"type":"SuggestionClick","custom":{"postbackdata":"Call us","label":"Call us"}}"#,
            reference: "a73bc8c0-5d0b-4e51-9f3a-2c4e8b7d1f60", messageContext: "your_reference", groupings: ["", "", ""],
            timeUtc: Date(timeIntervalSince1970: 1_761_221_657), timeUtcRaw: "2025-10-23T12:14:17"
        )),
        EventFixture(name: "instagram-story-mention.json", expected: InboundEvent(
            channel: "Instagram", fromNumber: "6543210987654321", toNumber: "17841400000000000", type: "StoryMention",
            customJSON: nil, eventJSON: "",
            reference: "5b0f3d2e-8a41-4c55-9f0e-6a2b7c9d1e03", messageContext: "", groupings: ["", "", ""],
            timeUtc: Date(timeIntervalSince1970: 1_716_824_872), timeUtcRaw: "2024-05-27T15:47:52"
        ), rawTextsFromFile: true),
        EventFixture(name: "gbm-human-agent-requested.json", expected: InboundEvent(
            channel: "GBM", fromNumber: "2a7d4c1e-9b8f-4e3d-a2c1-0f9e8d7c6b5a", toNumber: "cm-agent-brand-42",
            type: "HumanAgentRequested", customJSON: nil, eventJSON: #"{"type":"HumanAgentRequested"}"#,
            reference: "0c8e6d7a-1f2b-4c3d-8e9f-a0b1c2d3e4f5", messageContext: nil, groupings: ["", "", ""],
            timeUtc: Date(timeIntervalSince1970: 1_676_367_000), timeUtcRaw: "2023-02-14T09:30:00Z"
        )),
        EventFixture(name: "push-client-installed.json", expected: InboundEvent(
            channel: "MobilePush", fromNumber: "0031612345678", toNumber: "a1b2c3d4-push-app", type: "ClientInstalled",
            customJSON: #"{ "installationId": "5f4e3d2c-1b0a-4988-8776-655443322110", "platform": "Android", "appVersion": "3.2.1" }"#,
            eventJSON: #"{ "type": "ClientInstalled", "custom": { "installationId": "5f4e3d2c-1b0a-4988-8776-655443322110", "platform": "Android", "appVersion": "3.2.1" } }"#,
            reference: "d1e2f3a4-b5c6-4d7e-8f90-112233445566", messageContext: nil, groupings: [],
            timeUtc: Date(timeIntervalSince1970: 1_706_745_599.999), timeUtcRaw: "2024-01-31T23:59:59.999"
        )),
        EventFixture(name: "unknown-type-extra-fields.json", expected: InboundEvent(
            channel: "Carrier Pigeon", fromNumber: "+447700900123", toNumber: "447700900000", type: "ReactionAdded",
            customJSON: #"[ {"n": 1e999999}, "x" ]"#,
            eventJSON: #"{ "type": "ReactionAdded", "emoji": "\ud83d\udc4d", "custom": [ {"n": 1e999999}, "x" ], "target": { "mid": "m-1" } }"#,
            reference: "", messageContext: #"{ "message_id": "mt-20240401-0001", "depth": [1, 2.5e3] }"#, groupings: ["a", "b"],
            timeUtc: nil, timeUtcRaw: "2024-04-01T09:00:00+02:00"
        )),
    ]

    @Test("a good fixture decodes to exactly the expected event", arguments: fixtures)
    func decodes(_ fixture: EventFixture) throws {
        let body = MOTestFixtures.fixture(fixture.name, in: "events")
        var expected = fixture.expected
        if fixture.rawTextsFromFile {
            let document = try JSONParser.parse(body)
            let event = try #require(document.root["event"])
            expected.eventJSON = document.rawText(of: event)
            expected.customJSON = event["custom"].map(document.rawText(of:))
        }
        #expect(try InboundEvent(json: body) == expected)
    }

    @Test("the Instagram story mention keeps custom whole, rawPayload included")
    func storyMentionCustom() throws {
        let event = try InboundEvent(json: fixture("instagram-story-mention.json", in: "events"))
        let custom = try JSONParser.parse(Array(try #require(event.customJSON).utf8))
        #expect(custom.root["rawPayload"]?["entry"] != nil)
        #expect(custom.root["mediaUri"]?.stringValue?.hasPrefix("https://lookaside.fbsbx.com/") == true)
    }

    @Test("eventJSON and customJSON are the exact byte slices of the fixture", arguments: fixtures)
    func rawIsByteExact(_ fixture: EventFixture) throws {
        let body = MOTestFixtures.fixture(fixture.name, in: "events")
        let event = try InboundEvent(json: body)
        let document = try JSONParser.parse(body)
        let eventValue = try #require(document.root["event"])
        #expect(Array(event.eventJSON.utf8) == Array(body[eventValue.span]))
        if let custom = eventValue["custom"] {
            #expect(event.customJSON.map { Array($0.utf8) } == Array(body[custom.span]))
        } else {
            #expect(event.customJSON == nil)
        }
    }

    @Test("a malformed fixture throws its exact error", arguments: [
        ("malformed-no-type.json", PayloadError(.event, .missingField("event.type")), "event payload has no event.type"),
        ("malformed-event-string.json", PayloadError(.event, .wrongType(field: "event", expected: "object", found: "string")),
         "event payload field event is a string, expected object"),
    ])
    func malformed(name: String, error: PayloadError, description: String) {
        #expect(throws: error) { try InboundEvent(json: fixture(name, in: "events")) }
        #expect(error.description == description)
    }

    @Test("init(document:) decodes an already parsed document the same way")
    func fromDocument() throws {
        let body = fixture("rcs-suggestion-click.json", in: "events")
        #expect(try InboundEvent(document: JSONParser.parse(body)) == InboundEvent(json: body))
    }
}
