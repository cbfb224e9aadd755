import CMWebhook
import Foundation
import JSON
import MOTestFixtures
import Testing

/// Decodes `{"from":{"number":"+31600000001"},"event":{"type":"T"}, <extra>}`.
private func decode(_ extra: String) throws(PayloadError) -> InboundEvent {
    let separator = extra.isEmpty ? "" : ","
    return try InboundEvent(json: utf8(#"{"from":{"number":"+31600000001"},"event":{"type":"T"}"# + separator + extra + "}"))
}

private func eventError(_ problem: PayloadError.Problem) -> PayloadError {
    PayloadError(.event, problem)
}

@Suite("InboundEvent field rules")
struct InboundEventFieldTests {
    @Test("a missing, null or empty required field is missingField", arguments: [
        (#"{}"#, "from.number"),
        (#"{"from":null,"event":{"type":"T"}}"#, "from.number"),
        (#"{"from":{},"event":{"type":"T"}}"#, "from.number"),
        (#"{"from":{"number":""},"event":{"type":"T"}}"#, "from.number"),
        (#"{"from":{"number":"+31"}}"#, "event"),
        (#"{"from":{"number":"+31"},"event":null}"#, "event"),
        (#"{"from":{"number":"+31"},"event":{}}"#, "event.type"),
        (#"{"from":{"number":"+31"},"event":{"type":null,"custom":{}}}"#, "event.type"),
        (#"{"from":{"number":"+31"},"event":{"type":""}}"#, "event.type"),
    ])
    func missing(json: String, field: String) {
        #expect(throws: eventError(.missingField(field))) { try InboundEvent(json: utf8(json)) }
    }

    @Test("wrong types name the dotted field path", arguments: [
        (#"{"from":"+31","event":{"type":"T"}}"#, "from", "object", "string"),
        (#"{"from":{"number":31},"event":{"type":"T"}}"#, "from.number", "string", "number"),
        (#"{"from":{"number":"+31"},"to":"1","event":{"type":"T"}}"#, "to", "object", "string"),
        (#"{"from":{"number":"+31"},"to":{"number":1},"event":{"type":"T"}}"#, "to.number", "string", "number"),
        (#"{"from":{"number":"+31"},"event":["SuggestionClick"]}"#, "event", "object", "array"),
        (#"{"from":{"number":"+31"},"event":{"type":{"name":"T"}}}"#, "event.type", "string", "object"),
        (#"{"from":{"number":"+31"},"event":{"type":"T"},"reference":1}"#, "reference", "string", "number"),
        (#"{"from":{"number":"+31"},"event":{"type":"T"},"groupings":{}}"#, "groupings", "array", "object"),
        (#"{"from":{"number":"+31"},"event":{"type":"T"},"groupings":["",2]}"#, "groupings[1]", "string", "number"),
        (#"{"from":{"number":"+31"},"event":{"type":"T"},"timeUtc":0}"#, "timeUtc", "string", "number"),
        (#"{"from":{"number":"+31"},"event":{"type":"T"},"channel":false}"#, "channel", "string", "boolean"),
    ])
    func wrongTypes(json: String, field: String, expected: String, found: String) {
        #expect(throws: eventError(.wrongType(field: field, expected: expected, found: found))) { try InboundEvent(json: utf8(json)) }
    }

    @Test("a non-object root is rejected naming its type", arguments: [("[]", "array"), ("\"x\"", "string"), ("null", "null")])
    func nonObjectRoot(json: String, found: String) {
        #expect(throws: eventError(.notAnObject(found: found))) { try InboundEvent(json: utf8(json)) }
    }

    @Test("any event type is accepted as sent", arguments: [
        "SuggestionClick", "StoryMention", "MessageDelete", "HumanAgentRequested", "ClientInstalled", "ClientUpdated",
        "suggestionclick", "Some.Future/Type", " ", "\u{1F44D}",
    ])
    func anyType(type: String) throws {
        let event = try InboundEvent(json: utf8(#"{"from":{"number":"+31"},"event":{"type":""# + type + #""}}"#))
        #expect(event.type == type)
    }

    @Test("messageContext: a string as is, anything else as raw JSON text, null or absent as nil", arguments: [
        (#""messageContext":"your_reference""#, "your_reference" as String?),
        (#""messageContext":"""#, ""),
        (#""messageContext":{"message_id":"m"}"#, #"{"message_id":"m"}"#),
        (#""messageContext":[1, "a"]"#, #"[1, "a"]"#),
        (#""messageContext":42"#, "42"),
        (#""messageContext":true"#, "true"),
        (#""messageContext":null"#, nil),
        ("", nil),
    ])
    func messageContext(member: String, expected: String?) throws {
        #expect(try decode(member).messageContext == expected)
    }

    @Test("explicit nulls for every optional field are the same as absent")
    func nulls() throws {
        let body = #"{"reference":null,"messageContext":null,"from":{"number":"+31"},"to":null,"event":{"type":"T","custom":null},"groupings":null,"timeUtc":null,"channel":null}"#
        #expect(try InboundEvent(json: utf8(body)) == InboundEvent(
            channel: "", fromNumber: "+31", toNumber: nil, type: "T", customJSON: nil, eventJSON: #"{"type":"T","custom":null}"#,
            reference: nil, messageContext: nil, groupings: [], timeUtc: nil, timeUtcRaw: nil
        ))
    }

    @Test("U+0000 becomes U+FFFD in decoded strings; raw JSON texts keep the escape as written")
    func nul() throws {
        let event = try InboundEvent(json: utf8(#"{"from":{"number":"+3\u00001"},"event":{"type":"T\u0000","custom":"\u0000"},"channel":"R\u0000","messageContext":"c\u0000"}"#))
        #expect(event.fromNumber == "+3\u{FFFD}1")
        #expect(event.type == "T\u{FFFD}")
        #expect(event.channel == "R\u{FFFD}")
        #expect(event.messageContext == "c\u{FFFD}")
        #expect(event.customJSON == #""\u0000""#)
        #expect(!event.eventJSON.unicodeScalars.contains("\0"))
    }

    @Test("invalid JSON is reported with the event subject")
    func invalidJSON() {
        let error = eventError(.invalidJSON(JSONError(kind: .unexpectedCharacter, offset: 0)))
        #expect(throws: error) { try InboundEvent(json: utf8("event")) }
        #expect(error.description == "event payload is not valid JSON: invalid JSON at byte 0: unexpected character")
    }

    @Test("no description echoes a payload value", arguments: [
        #"{"from":{"number":"CANARY-7f3e9b"},"event":{"type":["CANARY-7f3e9b"]}}"#,
        #"{"from":{"number":"CANARY-7f3e9b"},"event":"CANARY-7f3e9b"}"#,
        #"{"from":{"name":"CANARY-7f3e9b"},"event":{"type":"CANARY-7f3e9b"}}"#,
    ])
    func noCanary(json: String) {
        do {
            _ = try InboundEvent(json: utf8(json))
            Issue.record("expected the body to be rejected")
        } catch {
            #expect(!error.description.contains("CANARY"))
            #expect(!error.description.contains("\n"))
        }
    }
}
