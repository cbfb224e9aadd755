import CMWebhook
import Foundation
import MOTestFixtures
import Testing

/// A status report fixture (`Tests/Fixtures/status/`) and the reports it must decode to.
struct JSONStatusFixture: Sendable, CustomTestStringConvertible {
    let name: String
    let expected: [StatusReport]

    var testDescription: String { name }
}

@Suite("StatusReport.reports(json:) decodes every good fixture to its full expected value")
struct StatusReportJSONFixtureTests {
    static let fixtures: [JSONStatusFixture] = [
        JSONStatusFixture(name: "json-template.json", expected: [StatusReport(
            form: .json, reference: "my_reference_124", recipient: "0031612345679", codeRaw: "3",
            errorCodeRaw: "24", errorDescription: "Message not delivered because the recipient was unreachable",
            operatorCode: "20416", receivedRaw: "2024-03-01T11:05:42"
        )]),
        JSONStatusFixture(name: "json-array.json", expected: [
            StatusReport(form: .json, reference: "batch-7-a", recipient: "0031612345678", codeRaw: "2",
                         errorCodeRaw: "", errorDescription: "", operatorCode: "20408", receivedRaw: "2024-03-01T11:05:40"),
            StatusReport(form: .json, reference: "batch-7-b", recipient: "0031612345679", codeRaw: "1",
                         errorCodeRaw: "23", errorDescription: "Message not delivered because the recipient number is invalid",
                         operatorCode: "", receivedRaw: "2024-03-01T11:05:42"),
        ]),
        JSONStatusFixture(name: "json-numbers.json", expected: [StatusReport(
            form: .json, reference: "n-1", recipient: "31612345679", codeRaw: "2", errorCodeRaw: "0",
            errorDescription: nil, operatorCode: "20416", receivedRaw: "2024-03-01T11:05:42Z"
        )]),
        JSONStatusFixture(name: "json-whatsapp-read.json", expected: [StatusReport(
            form: .json, reference: "a73bc8c0", recipient: "0031612345678", codeRaw: "4", errorCodeRaw: "",
            errorDescription: "", operatorCode: "", channel: "whatsapp",
            customGroupings: ["appointments", "reminder-48h", "text-sdk-php-2.3.0"], receivedRaw: "2025-10-23T12:14:17.250",
            sendRaw: "2025-10-23T12:14:18", statusDescription: "Read"
        )]),
        JSONStatusFixture(name: "json-mixed-case-keys.json", expected: [StatusReport(
            form: .json, reference: "ref-case", recipient: "0031612345679", codeRaw: "0", errorCodeRaw: "",
            errorDescription: "", operatorCode: "20416", channel: "sms", customGroupings: ["g1", nil, nil],
            receivedRaw: "2024-03-01T11:05:42"
        )]),
        JSONStatusFixture(name: "json-legacy-code-200.json", expected: [StatusReport(
            form: .json, reference: "legacy-1", recipient: "0031612345678", codeRaw: "200", errorCodeRaw: "0",
            errorDescription: "No Error", receivedRaw: "2009-06-15T13:45:30"
        )]),
        JSONStatusFixture(name: "json-null-optionals.json", expected: [StatusReport(form: .json, codeRaw: "0")]),
    ]

    @Test("a good fixture decodes to exactly the expected reports", arguments: fixtures)
    func decodes(_ fixture: JSONStatusFixture) throws {
        #expect(try StatusReport.reports(json: MOTestFixtures.fixture(fixture.name, in: "status")) == fixture.expected)
    }

    @Test("derived values: status, integer error code and received time", arguments: [
        ("json-template.json", [DeliveryStatus.failed], [24 as Int?], [Date(timeIntervalSince1970: 1_709_291_142) as Date?]),
        ("json-array.json", [.delivered, .rejected], [nil, 23], [Date(timeIntervalSince1970: 1_709_291_140), Date(timeIntervalSince1970: 1_709_291_142)]),
        ("json-numbers.json", [.delivered], [0], [Date(timeIntervalSince1970: 1_709_291_142)]),
        ("json-whatsapp-read.json", [.read], [nil], [Date(timeIntervalSince1970: 1_761_221_657.25)]),
        ("json-mixed-case-keys.json", [.accepted], [nil], [Date(timeIntervalSince1970: 1_709_291_142)]),
        ("json-legacy-code-200.json", [.unknown], [0], [Date(timeIntervalSince1970: 1_245_073_530)]),
        ("json-null-optionals.json", [.accepted], [nil], [nil]),
    ])
    func derived(name: String, statuses: [DeliveryStatus], errorCodes: [Int?], received: [Date?]) throws {
        let reports = try StatusReport.reports(json: fixture(name, in: "status"))
        #expect(reports.map(\.status) == statuses)
        #expect(reports.map(\.errorCode) == errorCodes)
        #expect(reports.map(\.received) == received)
        #expect(reports.allSatisfy { $0.form == .json && $0.sentRaw == nil })
    }

    @Test("the WhatsApp read fixture keeps CM's Send and Status Description, not dropped")
    func sendAndStatusDescriptionKept() throws {
        let report = try #require(try StatusReport.reports(json: fixture("json-whatsapp-read.json", in: "status")).first)
        #expect(report.sendRaw == "2025-10-23T12:14:18")
        #expect(report.send == Date(timeIntervalSince1970: 1_761_221_658))
        #expect(report.statusDescription == "Read")
        #expect(report.sentRaw == nil)
    }

    @Test("a malformed fixture throws its exact error with a one-line description", arguments: [
        ("json-malformed-no-code.json", PayloadError(.statusReport, .missingField("messages.msg[2].status.code")),
         "status report has no messages.msg[2].status.code"),
        ("json-malformed-msg-string.json",
         PayloadError(.statusReport, .wrongType(field: "messages.msg", expected: "object or array", found: "string")),
         "status report field messages.msg is a string, expected object or array"),
    ])
    func malformed(name: String, error: PayloadError, description: String) {
        #expect(throws: error) { try StatusReport.reports(json: fixture(name, in: "status")) }
        #expect(error.description == description)
    }

    @Test("no decoded string from any good fixture contains U+0000", arguments: fixtures)
    func noNul(_ fixture: JSONStatusFixture) throws {
        for report in try StatusReport.reports(json: MOTestFixtures.fixture(fixture.name, in: "status")) {
            let strings = [report.reference, report.recipient, report.codeRaw, report.errorCodeRaw, report.errorDescription,
                           report.operatorCode, report.channel, report.receivedRaw].compactMap { $0 }
                + report.customGroupings.compactMap { $0 }
            #expect(strings.allSatisfy { !$0.unicodeScalars.contains("\0") })
        }
    }
}
