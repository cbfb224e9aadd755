import CMWebhook
import JSON
import MOTestFixtures
import Testing

/// One of the three JSON decoders, with a minimal valid body that has a slot for one extra (ignored) member.
enum JSONDecoderUnderTest: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case inboundMessage = "MO"
    case event
    case statusReport = "status report"

    var testDescription: String { rawValue }

    var subject: PayloadError.Subject {
        switch self {
        case .inboundMessage: .inboundMessage
        case .event: .event
        case .statusReport: .statusReport
        }
    }

    /// The body before the extra member's value.
    var prefix: String {
        switch self {
        case .inboundMessage: #"{"from":{"number":"+31600000001"},"x":"#
        case .event: #"{"from":{"number":"+31600000001"},"event":{"type":"T"},"x":"#
        case .statusReport: #"{"messages":{"msg":{"status":{"code":"2"}}},"x":"#
        }
    }

    /// A valid body whose ignored member `x` has the value `value`.
    func body(withIgnored value: [UInt8]) -> [UInt8] {
        utf8(prefix) + value + utf8("}")
    }

    func decode(_ body: [UInt8]) throws(PayloadError) {
        switch self {
        case .inboundMessage: _ = try InboundMessage(json: body)
        case .event: _ = try InboundEvent(json: body)
        case .statusReport: _ = try StatusReport.reports(json: body)
        }
    }
}

/// A hostile value for the ignored member, and where the parser must stop (offset within the value).
struct HostileValue: Sendable, CustomTestStringConvertible {
    let label: String
    let value: [UInt8]
    let kind: JSONError.Kind
    let offset: Int

    var testDescription: String { label }

    static let all: [HostileValue] = [
        HostileValue(label: "arrays nested 100,000 deep",
                     value: utf8(String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)),
                     kind: .tooDeep, offset: 63),
        HostileValue(label: "objects nested 100,000 deep",
                     value: utf8(String(repeating: #"{"a":"#, count: 100_000) + String(repeating: "}", count: 100_000)),
                     kind: .tooDeep, offset: 63 * 5),
        HostileValue(label: "unclosed arrays 100,000 deep", value: utf8(String(repeating: "[", count: 100_000)),
                     kind: .tooDeep, offset: 63),
        HostileValue(label: "invalid UTF-8 byte in a string", value: bytes("\"ok", .raw([0xFF]), "\""),
                     kind: .invalidUTF8, offset: 3),
        HostileValue(label: "overlong UTF-8 in a key", value: bytes("{\"", .raw([0xC0, 0xAF]), "\":1}"),
                     kind: .invalidUTF8, offset: 2),
        HostileValue(label: "UTF-8 encoded surrogate", value: bytes("\"", .raw([0xED, 0xA0, 0x80]), "\""),
                     kind: .invalidUTF8, offset: 1),
        HostileValue(label: "lone high surrogate escape", value: utf8(#""\ud800""#), kind: .invalidSurrogate, offset: 1),
        HostileValue(label: "lone low surrogate escape", value: utf8(#""a\udc00""#), kind: .invalidSurrogate, offset: 2),
        HostileValue(label: "high surrogate then a letter", value: utf8(#""\ud800\u0041""#), kind: .invalidSurrogate, offset: 1),
        HostileValue(label: "duplicate key in an ignored object", value: utf8(#"{"a":1,"a":2}"#),
                     kind: .duplicateKey("a"), offset: 7),
        HostileValue(label: "duplicate key spelt with an escape", value: utf8(#"{"id":1,"\u0069d":2}"#),
                     kind: .duplicateKey("id"), offset: 8),
    ]
}

@Suite("Hostile JSON is rejected as invalidJSON by every decoder, quickly")
struct HostileJSONTests {
    static let cases = JSONDecoderUnderTest.allCases.flatMap { decoder in HostileValue.all.map { (decoder, $0) } }

    @Test("hostile input throws invalidJSON at the offending byte, in bounded time", arguments: cases)
    func rejects(decoder: JSONDecoderUnderTest, hostile: HostileValue) {
        let body = decoder.body(withIgnored: hostile.value)
        let expected = PayloadError(decoder.subject, .invalidJSON(JSONError(kind: hostile.kind, offset: decoder.prefix.utf8.count + hostile.offset)))
        let elapsed = ContinuousClock().measure {
            #expect(throws: expected) { try decoder.decode(body) }
        }
        #expect(elapsed < .seconds(2))
    }

    @Test("a duplicate of a field the decoder reads is invalidJSON too", arguments: [
        (JSONDecoderUnderTest.inboundMessage, #"{"from":{"number":"+31"},"from":{"number":"+32"}}"#, "from", 25),
        (.event, #"{"from":{"number":"+31"},"event":{"type":"A","type":"B"}}"#, "type", 45),
        (.statusReport, #"{"messages":{"msg":{"status":{"code":"2","code":"3"}}}}"#, "code", 41),
    ])
    func duplicateReadField(decoder: JSONDecoderUnderTest, body: String, key: String, offset: Int) {
        let expected = PayloadError(decoder.subject, .invalidJSON(JSONError(kind: .duplicateKey(key), offset: offset)))
        #expect(throws: expected) { try decoder.decode(utf8(body)) }
    }

    /// Decision: a number is kept as its literal text and never converted, so a huge one in a field no
    /// decoder reads is valid JSON and is accepted; scanning it is linear in its length.
    static let hugeNumbers: [String] = [
        "1e999999",
        "-1E+999999",
        "1" + String(repeating: "0", count: 99_999),
        "-0." + String(repeating: "9", count: 100_000) + "e-999999",
    ]

    @Test("a huge number in an ignored field is accepted, in bounded time",
          arguments: JSONDecoderUnderTest.allCases, hugeNumbers)
    func hugeNumberIgnored(decoder: JSONDecoderUnderTest, number: String) {
        let body = decoder.body(withIgnored: utf8(number))
        let elapsed = ContinuousClock().measure {
            #expect(throws: Never.self) { try decoder.decode(body) }
        }
        #expect(elapsed < .seconds(2))
    }

    @Test("a huge number where a string is required is a wrong type, not a crash")
    func hugeNumberInStringField() {
        let digits = String(repeating: "7", count: 100_000)
        #expect(throws: PayloadError.wrongType(field: "from.number", expected: "string", found: "number")) {
            try InboundMessage(json: utf8(#"{"from":{"number":"# + digits + "}}"))
        }
        #expect(throws: PayloadError(.event, .wrongType(field: "event.type", expected: "string", found: "number"))) {
            try InboundEvent(json: utf8(#"{"from":{"number":"+31"},"event":{"type":1e999999}}"#))
        }
    }

    @Test("a huge number as a status code is kept as its literal text and maps to unknown")
    func hugeNumberAsStatusCode() throws {
        let digits = "2" + String(repeating: "0", count: 99_999)
        let reports = try StatusReport.reports(json: utf8(#"{"messages":{"msg":{"status":{"code":"# + digits + #","errorCode":1e999999}}}}"#))
        #expect(reports.count == 1)
        #expect(reports.first?.codeRaw == digits)
        #expect(reports.first?.status == .unknown)
        #expect(reports.first?.errorCodeRaw == "1e999999")
        #expect(reports.first?.errorCode == nil)
    }

    @Test("an error description never carries the hostile bytes", arguments: cases)
    func oneLine(decoder: JSONDecoderUnderTest, hostile: HostileValue) {
        do {
            try decoder.decode(decoder.body(withIgnored: hostile.value))
            Issue.record("expected a rejection")
        } catch {
            #expect(!error.description.contains("\n"))
            #expect(error.description.utf8.count < 200)
            #expect(error.description.hasPrefix(decoder.subject.rawValue + " is not valid JSON"))
        }
    }
}
