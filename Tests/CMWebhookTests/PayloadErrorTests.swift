import CMWebhook
import JSON
import MOTestFixtures
import Testing

@Suite("PayloadError descriptions are one operator-readable line without payload values")
struct PayloadErrorTests {
    static let canary = "CANARY-7f3e9b"

    @Test("each case reads as documented", arguments: [
        (PayloadError.invalidJSON(JSONError(kind: .trailingContent, offset: 12)),
         "MO payload is not valid JSON: invalid JSON at byte 12: trailing content after the value"),
        (.notAnObject(found: "array"), "MO payload is not a JSON object (found array)"),
        (.notAnObject(found: "null"), "MO payload is not a JSON object (found null)"),
        (.missingField("from.number"), "MO payload has no from.number"),
        (.wrongType(field: "message.text", expected: "string", found: "number"), "MO payload field message.text is a number, expected string"),
        (.wrongType(field: "from", expected: "object", found: "string"), "MO payload field from is a string, expected object"),
        (.wrongType(field: "groupings[1]", expected: "string", found: "array"), "MO payload field groupings[1] is an array, expected string"),
        (.wrongType(field: "message", expected: "object", found: "object"), "MO payload field message is an object, expected object"),
        (.wrongType(field: "channel", expected: "string", found: "boolean"), "MO payload field channel is a boolean, expected string"),
        (.wrongType(field: "to", expected: "object", found: "null"), "MO payload field to is null, expected object"),
    ])
    func descriptions(error: PayloadError, expected: String) {
        #expect(error.description == expected)
        #expect("\(error)" == expected)
    }

    /// Bodies that each fail differently while carrying the canary in values.
    static let hostileBodies: [String] = [
        #"{"from":{"name":"CANARY-7f3e9b"},"message":{"text":"CANARY-7f3e9b"}}"#,
        #"{"from":{"number":"CANARY-7f3e9b"},"message":{"text":["CANARY-7f3e9b"]}}"#,
        #"["CANARY-7f3e9b"]"#,
        #""CANARY-7f3e9b""#,
        #"{"from":"CANARY-7f3e9b","body":["CANARY-7f3e9b"]}"#,
        #"{"from":{"number":"+31"},"groupings":["CANARY-7f3e9b",{"CANARY-7f3e9b":1}]}"#,
        #"{"from":{"number":"CANARY-7f3e9b"},"channel":"CANARY-7f3e9b"} CANARY-7f3e9b"#,
        #"{"from":{"number":"CANARY-7f3e9b"},"from":"CANARY-7f3e9b"}"#,
        #"{"text":"CANARY-7f3e9b"#,
        "{\"text\":\"CANARY-7f3e9b\n\"}",
        #"{"text":"CANARY-7f3e9b\q"}"#,
        #"{"n":CANARY-7f3e9b}"#,
        #"{"n":-CANARY-7f3e9b}"#,
        #"CANARY-7f3e9b"#,
    ]

    @Test("no description echoes a payload value", arguments: hostileBodies)
    func noCanary(body: String) {
        do {
            _ = try InboundMessage(json: utf8(body))
            Issue.record("expected the body to be rejected")
        } catch {
            #expect(!error.description.contains(Self.canary))
            #expect(!error.description.contains("7f3e9b"))
            #expect(!error.description.contains("\n"))
        }
    }
}
