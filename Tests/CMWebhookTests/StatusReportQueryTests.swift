import CMWebhook
import MOTestFixtures
import Testing

private func statusError(_ problem: PayloadError.Problem) -> PayloadError {
    PayloadError(.statusReport, problem)
}

/// The single report decoded from `query`.
private func decodeOne(_ query: String) throws -> StatusReport {
    let reports = try StatusReport.reports(query: query)
    try #require(reports.count == 1)
    return reports[0]
}

@Suite("StatusReport.reports(query:) decodes the GET form")
struct StatusReportQueryTests {
    static let fixtures: [StatusFixture] = [
        StatusFixture(name: "query-legacy-lowercase.txt", expected: [StatusReport(
            form: .query, reference: "my_reference_124", recipient: "0031612345679", codeRaw: "2", errorCodeRaw: "",
            errorDescription: "", receivedRaw: "2015-11-13T15:40:17", sentRaw: "2015-11-13T15:40:17"
        )]),
        StatusFixture(name: "query-uppercase.txt", expected: [StatusReport(
            form: .query, reference: "apptReminder20240301n42", codeRaw: "3"
        )]),
        StatusFixture(name: "query-encoded.txt", expected: [StatusReport(
            form: .query, reference: "order 42/b", recipient: "+31612345678", codeRaw: "3", errorCodeRaw: "24",
            errorDescription: "Message not delivered because the recipient was unreachable", operatorCode: "20416",
            channel: "sms", customGroupings: ["appointments", "reminder-48h", "text-sdk-php-2.3.0"]
        )]),
        StatusFixture(name: "query-both-codes.txt", expected: [StatusReport(
            form: .query, reference: "dup-ok", codeRaw: "2"
        )]),
    ]

    @Test("a query fixture decodes to exactly one expected report", arguments: fixtures)
    func decodes(_ fixture: StatusFixture) throws {
        #expect(try StatusReport.reports(query: fixtureLine(fixture.name, in: "status")) == fixture.expected)
    }

    @Test("derived values follow the code", arguments: [
        ("query-legacy-lowercase.txt", DeliveryStatus.delivered, nil as Int?),
        ("query-uppercase.txt", .failed, nil),
        ("query-encoded.txt", .failed, 24),
        ("query-both-codes.txt", .delivered, nil),
    ])
    func derived(name: String, status: DeliveryStatus, errorCode: Int?) throws {
        let report = try decodeOne(fixtureLine(name, in: "status"))
        #expect(report.status == status)
        #expect(report.errorCode == errorCode)
        #expect(report.received == (name == "query-legacy-lowercase.txt" ? CMTimestamp.parseUTC("2015-11-13T15:40:17") : nil))
    }

    @Test("names match ignoring ASCII case; both the legacy and the uppercase sets are read", arguments: [
        "statuscode=2", "STATUSCODE=2", "StatusCode=2", "STATUS=2", "status=2", "Status=2", "%53TATUS=2", "st%61tus=2",
    ])
    func codeSpellings(query: String) throws {
        #expect(try decodeOne(query).codeRaw == "2")
    }

    @Test("percent escapes and plus signs are decoded in names and values", arguments: [
        ("statuscode=2&reference=a+b", "a b"),
        ("statuscode=2&reference=a%2Bb", "a+b"),
        ("statuscode=2&reference=%E2%82%AC%20", "€ "),
        ("statuscode=2&reference=caf%c3%a9", "café"),
        ("statuscode=2&reference=x%3Dy%26z", "x=y&z"),
        ("statuscode=2&reference=a=b=c", "a=b=c"),
        ("statuscode=2&reference=", ""),
        ("statuscode=2&reference", ""),
        ("statuscode=2&reference=%00", "\u{FFFD}"),
        ("statuscode=2&re%66erence=r", "r"),
        ("statuscode=2&reference=€", "€"),
    ])
    func decoding(query: String, reference: String) throws {
        #expect(try decodeOne(query).reference == reference)
    }

    @Test("empty pieces and unknown parameters are ignored, whatever they hold", arguments: [
        "&&statuscode=2&&", "statuscode=2&token=s3cr3t&token=again", "statuscode=2&x=%ZZ", "statuscode=2&=&=x", "statuscode=2&foo",
    ])
    func ignored(query: String) throws {
        #expect(try decodeOne(query) == StatusReport(form: .query, codeRaw: "2"))
    }

    @Test("bad percent escapes and non-UTF-8 bytes are invalid values", arguments: [
        ("statuscode=2&reference=%", "reference", "invalid percent escape"),
        ("statuscode=2&reference=%4", "reference", "invalid percent escape"),
        ("statuscode=2&reference=%G1", "reference", "invalid percent escape"),
        ("statuscode=%2", "statuscode", "invalid percent escape"),
        ("statuscode=2&reference=%FF", "reference", "not UTF-8 once percent-decoded"),
        ("statuscode=2&reference=%C0%AF", "reference", "not UTF-8 once percent-decoded"),
        ("statuscode=2&reference=%ED%A0%80", "reference", "not UTF-8 once percent-decoded"),
        ("statuscode=2&to=%E2%82", "to", "not UTF-8 once percent-decoded"),
        ("statuscode=2&%ZZ=1", "query", "invalid percent escape"),
        ("statuscode=2&%FF=1", "query", "not UTF-8 once percent-decoded"),
    ])
    func invalidValues(query: String, field: String, reason: String) {
        #expect(throws: statusError(.invalidValue(field: field, reason: reason))) { try StatusReport.reports(query: query) }
    }

    @Test("a parameter given twice, in any letter case, is a repeated parameter named in lowercase", arguments: [
        ("statuscode=2&statuscode=2", "statuscode"),
        ("STATUS=2&status=2", "status"),
        ("statuscode=2&reference=a&REFERENCE=b", "reference"),
        ("statuscode=2&To=1&tO=1", "to"),
        ("statuscode=2&customgrouping2=&CustomGrouping2=", "customgrouping2"),
        ("statuscode=2&reference&reference", "reference"),
    ])
    func repeated(query: String, name: String) {
        let error = statusError(.repeatedParameter(name))
        #expect(throws: error) { try StatusReport.reports(query: query) }
        #expect(error.description == "status report parameter '\(name)' is given more than once")
    }

    @Test("statuscode and STATUS may both be given only when they agree", arguments: [
        ("statuscode=2&STATUS=2", "2" as String?),
        ("statuscode=2&STATUS=+2", "2"),
        ("statuscode=&STATUS=3", "3"),
        ("statuscode=4&STATUS=", "4"),
    ])
    func bothCodes(query: String, code: String?) throws {
        #expect(try decodeOne(query).codeRaw == code)
    }

    @Test("statuscode and STATUS that disagree are invalid")
    func codesDisagree() {
        let error = statusError(.invalidValue(field: "statuscode", reason: "statuscode and status disagree"))
        #expect(throws: error) { try StatusReport.reports(query: "statuscode=2&STATUS=3") }
        #expect(error.description == "status report field statuscode is invalid: statuscode and status disagree")
    }

    @Test("no usable code is missingField(statuscode)", arguments: [
        "", "&", "reference=r", "statuscode=", "STATUS=", "statuscode&STATUS", "statuscode=&STATUS=", "statuscodes=2", "code=2",
    ])
    func missingCode(query: String) {
        #expect(throws: statusError(.missingField("statuscode"))) { try StatusReport.reports(query: query) }
    }

    @Test("customgrouping and customgrouping1 are one field", arguments: [
        ("statuscode=2&customgrouping=a", ["a", nil, nil] as [String?]),
        ("statuscode=2&CUSTOMGROUPING1=b&customgrouping3=c", ["b", nil, "c"]),
        ("statuscode=2&customgrouping=d&customgrouping1=d&customgrouping2=", ["d", "", nil]),
    ])
    func groupings(query: String, expected: [String?]) throws {
        #expect(try decodeOne(query).customGroupings == expected)
    }

    @Test("customgrouping and customgrouping1 that disagree are invalid")
    func groupingsDisagree() {
        #expect(throws: statusError(.invalidValue(field: "customgrouping", reason: "customgrouping and customgrouping1 disagree"))) {
            try StatusReport.reports(query: "statuscode=2&customgrouping=a&customgrouping1=b")
        }
    }

    @Test("no description echoes a payload value", arguments: [
        "statuscode=CANARY-7f3e9b&STATUS=2", "reference=CANARY-7f3e9b", "statuscode=2&reference=CANARY-7f3e9b%FF",
        "statuscode=2&CANARY-7f3e9b%ZZ=1", "statuscode=2&to=CANARY&TO=CANARY-7f3e9b",
    ])
    func noCanary(query: String) {
        do {
            _ = try StatusReport.reports(query: query)
            Issue.record("expected the query to be rejected")
        } catch {
            #expect(!error.description.contains("CANARY"))
            #expect(!error.description.contains("\n"))
        }
    }
}
