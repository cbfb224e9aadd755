import CMWebhook
import Foundation
import JSON
import MOTestFixtures
import Testing

/// Decodes `{"from":{"number":"+31600000001"}, <extra>}`, i.e. a minimal valid body plus `extra` members.
private func decode(_ extra: String) throws(PayloadError) -> InboundMessage {
    let separator = extra.isEmpty ? "" : ","
    return try InboundMessage(json: utf8(#"{"from":{"number":"+31600000001"}"# + separator + extra + "}"))
}

@Suite("InboundMessage field rules")
struct InboundMessageFieldTests {
    // MARK: root and sender

    @Test("a non-object root is rejected naming its type", arguments: [
        ("[]", "array"), ("\"hello\"", "string"), ("42", "number"), ("true", "boolean"), ("null", "null"),
    ])
    func nonObjectRoot(text: String, found: String) {
        #expect(throws: PayloadError.notAnObject(found: found)) { try InboundMessage(json: utf8(text)) }
    }

    @Test("a missing, null or empty sender number is missingField(from.number)", arguments: [
        #"{}"#,
        #"{"from":null}"#,
        #"{"from":{}}"#,
        #"{"from":{"number":null}}"#,
        #"{"from":{"number":""}}"#,
        #"{"from":{"name":"Demo"},"to":{"number":"3669"}}"#,
    ])
    func missingSender(text: String) {
        #expect(throws: PayloadError.missingField("from.number")) { try InboundMessage(json: utf8(text)) }
    }

    @Test("from as a string means the legacy flat form, not a wrong type")
    func legacyFlatSender() throws {
        let message = try InboundMessage(json: utf8(#"{"from":"0031612345678","to":"3669","body":"hi"}"#))
        #expect(message.form == .legacyJSON)
        #expect(message.fromNumber == "0031612345678")
        #expect(message.text == "hi")
    }

    @Test("from of any other non-object type is still a wrong type for today's envelope", arguments: [
        ("31612345678", "number"), ("true", "boolean"), (#"["+31"]"#, "array"),
    ])
    func fromWrongType(json: String, found: String) {
        #expect(throws: PayloadError.wrongType(field: "from", expected: "object", found: found)) {
            try InboundMessage(json: utf8(#"{"from":"# + json + "}"))
        }
    }

    @Test("wrong types name the dotted field path", arguments: [
        (#"{"from":{"number":31612345678}}"#, "from.number", "string", "number"),
        (#"{"from":{"number":"+31","name":["a"]}}"#, "from.name", "string", "array"),
        (#"{"from":{"number":"+31"},"to":"3669"}"#, "to", "object", "string"),
        (#"{"from":{"number":"+31"},"to":{"number":3669}}"#, "to.number", "string", "number"),
        (#"{"from":{"number":"+31"},"message":"hi"}"#, "message", "object", "string"),
        (#"{"from":{"number":"+31"},"message":{"text":true}}"#, "message.text", "string", "boolean"),
        (#"{"from":{"number":"+31"},"message":{"media":[]}}"#, "message.media", "object", "array"),
        (#"{"from":{"number":"+31"},"message":{"media":{"mediaUri":1}}}"#, "message.media.mediaUri", "string", "number"),
        (#"{"from":{"number":"+31"},"message":{"media":{"mediaUri":"","contentType":{}}}}"#, "message.media.contentType", "string", "object"),
        (#"{"from":{"number":"+31"},"message":{"media":{"mediaUri":"https://x","title":false}}}"#, "message.media.title", "string", "boolean"),
        (#"{"from":{"number":"+31"},"reference":515836577}"#, "reference", "string", "number"),
        (#"{"from":{"number":"+31"},"groupings":"a,b,c"}"#, "groupings", "array", "string"),
        (#"{"from":{"number":"+31"},"groupings":["a",1,"c"]}"#, "groupings[1]", "string", "number"),
        (#"{"from":{"number":"+31"},"groupings":["a","b",["c"]]}"#, "groupings[2]", "string", "array"),
        (#"{"from":{"number":"+31"},"timeUtc":1572942753}"#, "timeUtc", "string", "number"),
        (#"{"from":{"number":"+31"},"time":{}}"#, "time", "string", "object"),
        (#"{"from":{"number":"+31"},"channel":7}"#, "channel", "string", "number"),
    ])
    func wrongTypes(text: String, field: String, expected: String, found: String) {
        #expect(throws: PayloadError.wrongType(field: field, expected: expected, found: found)) {
            try InboundMessage(json: utf8(text))
        }
    }

    @Test("the first problem in CM's field order wins")
    func errorOrder() {
        #expect(throws: PayloadError.missingField("from.number")) {
            try InboundMessage(json: utf8(#"{"channel":1,"message":{"text":2}}"#))
        }
        #expect(throws: PayloadError.wrongType(field: "message.text", expected: "string", found: "number")) {
            try InboundMessage(json: utf8(#"{"channel":1,"message":{"text":2},"from":{"number":"+31"}}"#))
        }
    }

    // MARK: NUL

    @Test("U+0000 becomes U+FFFD in every decoded string")
    func nulReplacedEverywhere() throws {
        let message = try InboundMessage(json: utf8(#"""
            {"from":{"number":"+31\u0000","name":"\u0000Ann\u0000"},"to":{"number":"36\u000069"},
             "message":{"text":"a\u0000b","media":{"mediaUri":"https://x/\u0000","contentType":"image/\u0000","title":"t\u0000"}},
             "reference":"r\u0000","groupings":["\u0000","",null],"timeUtc":"2019\u0000","time":"\u0000",
             "channel":"Whats\u0000App","messageContext":"ctx\u0000"}
            """#))
        #expect(message.fromNumber == "+31\u{FFFD}")
        #expect(message.fromName == "\u{FFFD}Ann\u{FFFD}")
        #expect(message.toNumber == "36\u{FFFD}69")
        #expect(message.text == "a\u{FFFD}b")
        #expect(message.media == [MediaReference(uri: "https://x/\u{FFFD}", contentType: "image/\u{FFFD}", title: "t\u{FFFD}")])
        #expect(message.reference == "r\u{FFFD}")
        #expect(message.groupings == ["\u{FFFD}", "", ""])
        #expect(message.timeUtcRaw == "2019\u{FFFD}")
        #expect(message.timeUtc == nil)
        #expect(message.localTimeRaw == "\u{FFFD}")
        #expect(message.channel == "Whats\u{FFFD}App")
        #expect(message.messageContext == "ctx\u{FFFD}")
    }

    @Test("a sender number that is only U+0000 is not empty: it becomes U+FFFD")
    func nulOnlyNumber() throws {
        #expect(try InboundMessage(json: utf8(#"{"from":{"number":"\u0000"}}"#)).fromNumber == "\u{FFFD}")
    }

    // MARK: groupings

    @Test("groupings of any length are kept in order", arguments: [
        (#"[]"#, [String]()),
        (#"["a","b"]"#, ["a", "b"]),
        (#"["39373ce0-f4aa-4918-8ff1-3cef7f77b112","messagesApi","","extra"]"#,
         ["39373ce0-f4aa-4918-8ff1-3cef7f77b112", "messagesApi", "", "extra"]),
        (#"[null,"x",null]"#, ["", "x", ""]),
        (#"null"#, [String]()),
    ])
    func groupings(json: String, expected: [String]) throws {
        #expect(try decode(#""groupings":"# + json).groupings == expected)
    }

    @Test("absent groupings are empty")
    func absentGroupings() throws {
        #expect(try decode("").groupings == [])
    }

    // MARK: media

    @Test("media is empty when absent, null, or without a usable mediaUri", arguments: [
        #""message":{"text":"hi"}"#,
        #""message":{"media":null}"#,
        #""message":{"media":{}}"#,
        #""message":{"media":{"mediaUri":"","contentType":"","title":""}}"#,
        #""message":{"media":{"mediaUri":null,"contentType":"image/png","title":"x"}}"#,
        #""message":{"media":{"contentType":"image/png"}}"#,
        #""message":null"#,
    ])
    func noMedia(member: String) throws {
        #expect(try decode(member).media == [])
    }

    @Test("media with a mediaUri is one reference; empty or null contentType and title become nil", arguments: [
        (#"{"mediaUri":"https://cdn-2.messaging.cm.com/fileproxy/files/abc","contentType":"video/mp4","title":"clip.mp4"}"#,
         MediaReference(uri: "https://cdn-2.messaging.cm.com/fileproxy/files/abc", contentType: "video/mp4", title: "clip.mp4")),
        (#"{"mediaUri":"https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1","contentType":"","title":""}"#,
         MediaReference(uri: "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1", contentType: nil, title: nil)),
        (#"{"mediaUri":"https://x/y","contentType":null}"#,
         MediaReference(uri: "https://x/y", contentType: nil, title: nil)),
        (#"{"mediaUri":"https://x/y","contentType":"image/webp","title":"","extra":[1]}"#,
         MediaReference(uri: "https://x/y", contentType: "image/webp", title: nil)),
    ])
    func oneMedia(media: String, expected: MediaReference) throws {
        #expect(try decode(#""message":{"media":"# + media + "}").media == [expected])
    }

    // MARK: messageContext

    @Test("messageContext: a string as is, anything else as raw JSON text, null or absent as nil", arguments: [
        (#""messageContext":"your_reference""#, "your_reference" as String?),
        (#""messageContext":"""#, ""),
        (#""messageContext":"a\"b""#, "a\"b"),
        (#""messageContext":{ "message_id" : "wamid.HBgL" }"#, #"{ "message_id" : "wamid.HBgL" }"#),
        (#""messageContext":["m1", "m2"]"#, #"["m1", "m2"]"#),
        (#""messageContext":12345678901234567890"#, "12345678901234567890"),
        (#""messageContext":false"#, "false"),
        (#""messageContext":null"#, nil),
        ("", nil),
    ])
    func messageContext(member: String, expected: String?) throws {
        #expect(try decode(member).messageContext == expected)
    }

    // MARK: custom

    @Test("custom is kept as its exact raw text, whatever its type", arguments: [
        (#"{}"#, #"{}"#),
        ("{\n\t\"a\" : [ 1,2 ] ,\"b\":\"\\u00e9\\n\" }", "{\n\t\"a\" : [ 1,2 ] ,\"b\":\"\\u00e9\\n\" }"),
        (#"{"rawPayload":{"n":1e999999,"s":"\ud83d\ude00"}}"#, #"{"rawPayload":{"n":1e999999,"s":"\ud83d\ude00"}}"#),
        (#"[{"latitude":"52.3676","longitude":"4.9041"}]"#, #"[{"latitude":"52.3676","longitude":"4.9041"}]"#),
        (#""text""#, #""text""#),
    ])
    func customRaw(custom: String, expected: String) throws {
        #expect(try decode(#""message":{"custom":"# + custom + "}").customJSON == expected)
    }

    @Test("custom that is null or absent is nil")
    func customNil() throws {
        #expect(try decode(#""message":{"custom":null}"#).customJSON == nil)
        #expect(try decode(#""message":{}"#).customJSON == nil)
        #expect(try decode("").customJSON == nil)
    }

    // MARK: other fields

    @Test("absent optional fields get their documented defaults")
    func minimalMessage() throws {
        #expect(try decode("") == InboundMessage(
            channel: "", fromNumber: "+31600000001", fromName: nil, toNumber: nil, text: "", media: [],
            reference: nil, groupings: [], timeUtc: nil, timeUtcRaw: nil, localTimeRaw: nil,
            messageContext: nil, customJSON: nil
        ))
    }

    @Test("empty strings stay empty strings rather than becoming nil")
    func emptyStrings() throws {
        let message = try InboundMessage(json: utf8(
            #"{"from":{"number":"+31","name":""},"to":{"number":""},"reference":"","timeUtc":"","time":"","channel":"","messageContext":""}"#
        ))
        #expect(message.fromName == "")
        #expect(message.toNumber == "")
        #expect(message.reference == "")
        #expect(message.timeUtcRaw == "")
        #expect(message.timeUtc == nil)
        #expect(message.localTimeRaw == "")
        #expect(message.channel == "")
        #expect(message.messageContext == "")
    }

    @Test("timeUtc is parsed when valid and kept raw when not", arguments: [
        ("2019-11-05T08:32:33", Date(timeIntervalSince1970: 1_572_942_753) as Date?),
        ("2019-11-05T08:32:33Z", Date(timeIntervalSince1970: 1_572_942_753)),
        ("2019-11-05 08:32:33", nil),
        ("2019-02-30T08:32:33", nil),
        ("", nil),
        ("yesterday", nil),
    ])
    func timeUtc(raw: String, expected: Date?) throws {
        let message = try decode(#""timeUtc":""# + raw + #"""#)
        #expect(message.timeUtc == expected)
        #expect(message.timeUtcRaw == raw)
    }

    @Test("unknown channels and unknown fields at every level are accepted and ignored")
    func unknownFieldsIgnored() throws {
        let message = try InboundMessage(json: utf8(#"""
            {"v":2,"from":{"number":"+31","x":{"y":[1,{}]}},"to":{"number":"1","z":null},
             "message":{"text":"t","media":{"mediaUri":"","w":1},"extra":true},"channel":"Teletext",
             "event":{"type":"SuggestionClick"}}
            """#))
        #expect(message.channel == "Teletext")
        #expect(message.text == "t")
        #expect(message.toNumber == "1")
    }

    @Test("the caller's limits reach the parser")
    func limitsApply() {
        var limits = JSONLimits()
        limits.maxDepth = 3
        let body = utf8(#"{"from":{"number":"+31"},"message":{"custom":{"a":{}}}}"#)
        #expect(throws: PayloadError.invalidJSON(JSONError(kind: .tooDeep, offset: 50))) {
            try InboundMessage(json: body, limits: limits)
        }
        limits.maxDepth = 4
        #expect(throws: Never.self) { try InboundMessage(json: body, limits: limits) }
    }

    @Test("init(document:) decodes an already parsed document the same way")
    func fromDocument() throws {
        let body = fixture("whatsapp-text.json")
        #expect(try InboundMessage(document: JSONParser.parse(body)) == InboundMessage(json: body))
    }
}
