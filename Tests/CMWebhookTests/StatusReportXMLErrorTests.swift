import CMWebhook
import MOTestFixtures
import Testing
import XML

/// A status report body that must be rejected, the exact error and its description.
struct StatusRejection: Sendable, CustomTestStringConvertible {
    let label: String
    let body: [UInt8]
    let error: PayloadError
    let description: String

    init(_ label: String, _ body: [UInt8], _ problem: PayloadError.Problem, _ description: String) {
        self.label = label
        self.body = body
        self.error = PayloadError(.statusReport, problem)
        self.description = description
    }

    init(_ label: String, _ text: String, _ problem: PayloadError.Problem, _ description: String) {
        self.init(label, utf8(text), problem, description)
    }

    var testDescription: String { label }
}

@Suite("StatusReport.reports(xml:) rejects bad bodies with the exact PayloadError")
struct StatusReportXMLErrorTests {
    static let malformedFixtures: [StatusRejection] = [
        StatusRejection("malformed-wrong-root.xml", fixture("malformed-wrong-root.xml", in: "status"),
                        .missingField("MESSAGES"), "status report has no MESSAGES"),
        StatusRejection("malformed-no-msg.xml", fixture("malformed-no-msg.xml", in: "status"),
                        .missingField("MSG"), "status report has no MSG"),
        StatusRejection("malformed-missing-code.xml", fixture("malformed-missing-code.xml", in: "status"),
                        .missingField("MSG[2]/STATUS/CODE"), "status report has no MSG[2]/STATUS/CODE"),
        StatusRejection("malformed-mismatched-tag.xml", fixture("malformed-mismatched-tag.xml", in: "status"),
                        .invalidXML("invalid XML at byte 30: end tag does not match the open element"),
                        "status report is not well-formed XML: invalid XML at byte 30: end tag does not match the open element"),
        StatusRejection("malformed-latin1.xml", fixture("malformed-latin1.xml", in: "status"),
                        .refused("encoding ISO-8859-1 is not supported (only UTF-8 and US-ASCII are) at byte 30"),
                        "status report is refused: encoding ISO-8859-1 is not supported (only UTF-8 and US-ASCII are) at byte 30"),
    ]

    static let shapes: [StatusRejection] = [
        StatusRejection("empty body", [], .invalidXML("invalid XML at byte 0: no root element"),
                        "status report is not well-formed XML: invalid XML at byte 0: no root element"),
        StatusRejection("a JSON body", #"{"messages":{"msg":{}}}"#, .invalidXML("invalid XML at byte 0: unexpected character"),
                        "status report is not well-formed XML: invalid XML at byte 0: unexpected character"),
        StatusRejection("MSG as the root", "<MSG><STATUS><CODE>2</CODE></STATUS></MSG>", .missingField("MESSAGES"),
                        "status report has no MESSAGES"),
        StatusRejection("empty MESSAGES", "<MESSAGES/>", .missingField("MSG"), "status report has no MSG"),
        StatusRejection("MSG nested one level too deep", "<MESSAGES><BATCH><MSG/></BATCH></MESSAGES>", .missingField("MSG"),
                        "status report has no MSG"),
        StatusRejection("MSG without STATUS", "<MESSAGES><MSG><TO>1</TO></MSG></MESSAGES>", .missingField("MSG[1]/STATUS/CODE"),
                        "status report has no MSG[1]/STATUS/CODE"),
        StatusRejection("empty CODE", "<MESSAGES><MSG><STATUS><CODE> </CODE></STATUS></MSG></MESSAGES>",
                        .missingField("MSG[1]/STATUS/CODE"), "status report has no MSG[1]/STATUS/CODE"),
        StatusRejection("CODE outside STATUS", "<MESSAGES><MSG><CODE>2</CODE></MSG></MESSAGES>", .missingField("MSG[1]/STATUS/CODE"),
                        "status report has no MSG[1]/STATUS/CODE"),
        StatusRejection("third MSG without CODE", "<MESSAGES><MSG><STATUS><CODE>0</CODE></STATUS></MSG><MSG><STATUS><CODE>2</CODE></STATUS></MSG><MSG><STATUS/></MSG></MESSAGES>",
                        .missingField("MSG[3]/STATUS/CODE"), "status report has no MSG[3]/STATUS/CODE"),
        StatusRejection("TO twice", "<MESSAGES><MSG><TO>1</TO><to>2</to><STATUS><CODE>2</CODE></STATUS></MSG></MESSAGES>",
                        .invalidValue(field: "MSG[1]/TO", reason: "appears more than once"),
                        "status report field MSG[1]/TO is invalid: appears more than once"),
        StatusRejection("CODE twice", "<MESSAGES><MSG><STATUS><CODE>2</CODE><CODE>3</CODE></STATUS></MSG></MESSAGES>",
                        .invalidValue(field: "MSG[1]/STATUS/CODE", reason: "appears more than once"),
                        "status report field MSG[1]/STATUS/CODE is invalid: appears more than once"),
        StatusRejection("STATUS twice", "<MESSAGES><MSG><STATUS><CODE>2</CODE></STATUS><STATUS><CODE>3</CODE></STATUS></MSG></MESSAGES>",
                        .invalidValue(field: "MSG[1]/STATUS", reason: "appears more than once"),
                        "status report field MSG[1]/STATUS is invalid: appears more than once"),
        StatusRejection("RECEIVED in two spellings", "<MESSAGES><MSG RECEIVED='a' received='b'><STATUS><CODE>2</CODE></STATUS></MSG></MESSAGES>",
                        .invalidValue(field: "MSG[1]/@RECEIVED", reason: "appears more than once"),
                        "status report field MSG[1]/@RECEIVED is invalid: appears more than once"),
        StatusRejection("SENT in two spellings", "<MESSAGES SENT='a' Sent='b'><MSG><STATUS><CODE>2</CODE></STATUS></MSG></MESSAGES>",
                        .invalidValue(field: "MESSAGES/@SENT", reason: "appears more than once"),
                        "status report field MESSAGES/@SENT is invalid: appears more than once"),
    ]

    static let xmlFailures: [StatusRejection] = [
        StatusRejection("DOCTYPE", "<!DOCTYPE MESSAGES><MESSAGES/>", .refused("DOCTYPE is not allowed at byte 0"),
                        "status report is refused: DOCTYPE is not allowed at byte 0"),
        StatusRejection("too deep", "<MESSAGES>" + String(repeating: "<x>", count: 40), .refused("elements nested deeper than 32 at byte 103"),
                        "status report is refused: elements nested deeper than 32 at byte 103"),
        StatusRejection("UTF-16 byte order mark", [0xFF, 0xFE, 0x3C, 0x00], .refused("encoding UTF-16LE is not supported (only UTF-8 and US-ASCII are) at byte 0"),
                        "status report is refused: encoding UTF-16LE is not supported (only UTF-8 and US-ASCII are) at byte 0"),
        StatusRejection("undefined entity", "<MESSAGES><MSG><TO>&xxe;</TO></MSG></MESSAGES>",
                        .invalidXML("invalid XML at byte 19: undefined entity reference"),
                        "status report is not well-formed XML: invalid XML at byte 19: undefined entity reference"),
        StatusRejection("unclosed root", "<MESSAGES><MSG/>", .invalidXML("invalid XML at byte 0: element not closed before the end of input"),
                        "status report is not well-formed XML: invalid XML at byte 0: element not closed before the end of input"),
    ]

    @Test("a malformed fixture throws its exact PayloadError", arguments: malformedFixtures)
    func malformedFixture(_ rejection: StatusRejection) { expectRejection(rejection) }

    @Test("a body of the wrong shape names the missing or ambiguous field", arguments: shapes)
    func wrongShape(_ rejection: StatusRejection) { expectRejection(rejection) }

    @Test("XML failures map to invalidXML, hostile or over-limit input to refused", arguments: xmlFailures)
    func xmlFailure(_ rejection: StatusRejection) { expectRejection(rejection) }

    @Test("custom limits are passed to the parser")
    func limitsPassedThrough() {
        let body = utf8("<MESSAGES><MSG><STATUS><CODE>2</CODE></STATUS></MSG></MESSAGES>")
        #expect(throws: PayloadError(.statusReport, .refused("elements nested deeper than 2 at byte 15"))) {
            try StatusReport.reports(xml: body, limits: XMLLimits(maxDepth: 2))
        }
    }

    /// Bodies that each fail differently while carrying the canary in names and values.
    static let canaryBodies: [String] = [
        "<CANARY-7f3e9b/>",
        "<MESSAGES><MSG CANARY-7f3e9b='CANARY-7f3e9b'><TO>CANARY-7f3e9b</TO></MSG></MESSAGES>",
        "<MESSAGES><MSG><TO>CANARY-7f3e9b</TO><TO>CANARY-7f3e9b</TO></MSG></MESSAGES>",
        "<MESSAGES><MSG><TO>CANARY-7f3e9b</TO></MSG></CANARY-7f3e9b>",
        "<MESSAGES><MSG><TO>&CANARY-7f3e9b;</TO></MSG></MESSAGES>",
        "<?xml version='1.0' encoding='CANARY-7f3e9b'?><MESSAGES/>",
        "<!DOCTYPE CANARY-7f3e9b [<!ENTITY CANARY-7f3e9b 'CANARY-7f3e9b'>]><MESSAGES/>",
        "<MESSAGES/>CANARY-7f3e9b",
        "<MESSAGES CANARY-7f3e9b='1' CANARY-7f3e9b='2'/>",
        "<MESSAGES a='CANARY-7f3e9b<'/>",
    ]

    @Test("no description echoes a payload name or value", arguments: canaryBodies)
    func noCanary(body: String) {
        do {
            _ = try StatusReport.reports(xml: utf8(body))
            Issue.record("expected the body to be rejected")
        } catch {
            #expect(!error.description.contains("7f3e9b"))
            #expect(!error.description.contains("\n"))
        }
    }

    private func expectRejection(_ rejection: StatusRejection, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: rejection.error, sourceLocation: sourceLocation) { try StatusReport.reports(xml: rejection.body) }
        #expect(rejection.error.description == rejection.description, sourceLocation: sourceLocation)
    }
}
