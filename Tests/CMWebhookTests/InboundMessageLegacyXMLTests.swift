import CMWebhook
import Foundation
import MOTestFixtures
import Testing

/// A legacy Gateway XML MO fixture and the message it must decode to.
struct LegacyMOFixture: Sendable, CustomTestStringConvertible {
    let name: String
    let expected: InboundMessage

    var testDescription: String { name }
}

@Suite("InboundMessage(legacyXML:) decodes CM's legacy Gateway XML MO")
struct InboundMessageLegacyXMLTests {
    static let fixtures: [LegacyMOFixture] = [
        LegacyMOFixture(name: "legacy.xml", expected: InboundMessage(
            channel: "SMS",
            fromNumber: "0123456789",
            fromName: nil,
            toNumber: "8850",
            text: "Test",
            media: [],
            reference: "a010Y00000ToIliQAF_20170620105591290",
            groupings: ["", "", "Salesforce"],
            timeUtc: Date(timeIntervalSince1970: 1_497_956_259),
            timeUtcRaw: "2017-06-20T10:57:39",
            localTimeRaw: nil,
            messageContext: nil,
            customJSON: nil,
            form: .legacyXML,
            gatewayMessageID: "519161862",
            operatorCode: "20601"
        )),
        LegacyMOFixture(name: "legacy-pretty.xml", expected: InboundMessage(
            channel: "SMS",
            fromNumber: "0031612345678",
            fromName: nil,
            toNumber: "3669",
            text: "  Ja,\ntot morgen & bedankt 👍  ",
            media: [],
            reference: nil,
            groupings: ["appointments", "", ""],
            timeUtc: Date(timeIntervalSince1970: 1_709_291_142),
            timeUtcRaw: "2024-03-01T11:05:42",
            localTimeRaw: nil,
            messageContext: nil,
            customJSON: nil,
            form: .legacyXML,
            gatewayMessageID: "519161863",
            operatorCode: "20416"
        )),
        LegacyMOFixture(name: "legacy-minimal.xml", expected: InboundMessage(
            channel: "SMS",
            fromNumber: "+31612345678",
            fromName: nil,
            toNumber: nil,
            text: "",
            media: [],
            reference: nil,
            groupings: ["", "", ""],
            timeUtc: nil,
            timeUtcRaw: nil,
            localTimeRaw: nil,
            messageContext: nil,
            customJSON: nil,
            form: .legacyXML,
            gatewayMessageID: nil,
            operatorCode: nil
        )),
    ]

    @Test("a good fixture decodes to exactly the expected message", arguments: fixtures)
    func decodes(_ fixture: LegacyMOFixture) throws {
        let message = try InboundMessage(legacyXML: MOTestFixtures.fixture(fixture.name))
        #expect(message == fixture.expected)
    }

    @Test("a malformed fixture throws its exact error", arguments: [
        ("legacy-two-messages.xml", PayloadError(.inboundMessage, .invalidValue(field: "MSG", reason: "more than one message in one request")),
         "MO payload field MSG is invalid: more than one message in one request"),
        ("legacy-no-sender.xml", PayloadError.missingField("MSG/SENDER"), "MO payload has no MSG/SENDER"),
    ])
    func malformedFixture(name: String, error: PayloadError, description: String) {
        #expect(throws: error) { try InboundMessage(legacyXML: fixture(name)) }
        #expect(error.description == description)
    }

    @Test("a body of the wrong shape throws the exact error", arguments: [
        ("<MSG><SENDER>1</SENDER></MSG>", PayloadError.missingField("MESSAGES"), "MO payload has no MESSAGES"),
        ("<MESSAGES/>", .missingField("MSG"), "MO payload has no MSG"),
        ("<MESSAGES><MSG><MESSAGE>hi</MESSAGE></MSG></MESSAGES>", .missingField("MSG/SENDER"), "MO payload has no MSG/SENDER"),
        ("<MESSAGES><MSG><SENDER/></MSG></MESSAGES>", .missingField("MSG/SENDER"), "MO payload has no MSG/SENDER"),
        ("<MESSAGES><MSG><SENDER>1</SENDER><sender>2</sender></MSG></MESSAGES>",
         PayloadError(.inboundMessage, .invalidValue(field: "MSG/SENDER", reason: "appears more than once")),
         "MO payload field MSG/SENDER is invalid: appears more than once"),
        ("<MESSAGES><MSG><SENDER>1</SENDER><MESSAGE>a</MESSAGE><MESSAGE>b</MESSAGE></MSG></MESSAGES>",
         PayloadError(.inboundMessage, .invalidValue(field: "MSG/MESSAGE", reason: "appears more than once")),
         "MO payload field MSG/MESSAGE is invalid: appears more than once"),
        ("<MESSAGES><MSG><SENDER OPERATOR='1' operator='2'>1</SENDER></MSG></MESSAGES>",
         PayloadError(.inboundMessage, .invalidValue(field: "MSG/SENDER/@OPERATOR", reason: "appears more than once")),
         "MO payload field MSG/SENDER/@OPERATOR is invalid: appears more than once"),
        ("<MESSAGES><MSG><SENDER>1</SENDER><MESSAGE>&secret;</MESSAGE></MSG></MESSAGES>",
         PayloadError(.inboundMessage, .invalidXML("invalid XML at byte 42: undefined entity reference")),
         "MO payload is not well-formed XML: invalid XML at byte 42: undefined entity reference"),
        ("<!DOCTYPE m SYSTEM 'http://attacker.example/'><MESSAGES/>",
         PayloadError(.inboundMessage, .refused("DOCTYPE is not allowed at byte 0")),
         "MO payload is refused: DOCTYPE is not allowed at byte 0"),
    ])
    func wrongShape(body: String, error: PayloadError, description: String) {
        #expect(throws: error) { try InboundMessage(legacyXML: utf8(body)) }
        #expect(error.description == description)
    }

    @Test("an unparseable SENT keeps the raw text and gives no time")
    func unparseableSent() throws {
        let message = try InboundMessage(legacyXML: utf8("<MESSAGES><MSG><SENDER>1</SENDER><SENT>20-06-2017 10:57</SENT></MSG></MESSAGES>"))
        #expect(message.timeUtcRaw == "20-06-2017 10:57")
        #expect(message.timeUtc == nil)
    }

    @Test("the MO text is kept exactly, the identifiers are trimmed")
    func textNotTrimmed() throws {
        let message = try InboundMessage(legacyXML: utf8("<MESSAGES><MSG><SENDER> 1 </SENDER><RECEIVER>\n2\n</RECEIVER><MESSAGE> x </MESSAGE></MSG></MESSAGES>"))
        #expect(message.fromNumber == "1")
        #expect(message.toNumber == "2")
        #expect(message.text == " x ")
    }
}
