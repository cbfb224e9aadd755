import CMWebhook
import Foundation
import MOTestFixtures
import Testing

/// A well-formed status report fixture and the reports it must decode to.
struct StatusFixture: Sendable, CustomTestStringConvertible {
    let name: String
    let expected: [StatusReport]

    var testDescription: String { name }
}

@Suite("StatusReport.reports(xml:) decodes every good fixture to its full expected value")
struct StatusReportXMLFixtureTests {
    static let fixtures: [StatusFixture] = [
        StatusFixture(name: "xml-current.xml", expected: [StatusReport(
            form: .xml, reference: "my_reference_124", recipient: "0031612345679", codeRaw: "3", errorCodeRaw: "24",
            errorDescription: "Message not delivered because the recipient was unreachable",
            receivedRaw: "2024-03-01T11:05:42"
        )]),
        StatusFixture(name: "xml-legacy.xml", expected: [StatusReport(
            form: .xml, reference: "cm-adapter_0612345678_0031614753658_1400000000000", recipient: "0031614753658",
            codeRaw: "200", errorCodeRaw: "0", errorDescription: "No Error",
            receivedRaw: "2009-06-15T13:45:30", sentRaw: "2009-06-15T13:45:30"
        )]),
        StatusFixture(name: "xml-multiple.xml", expected: ["0", "2", "4"].enumerated().map { position, code in
            StatusReport(form: .xml, reference: "order-1001", recipient: "0031612345678", codeRaw: code,
                         errorCodeRaw: "", errorDescription: "",
                         receivedRaw: ["2024-05-27T15:47:52", "2024-05-27T15:48:03", "2024-05-27T15:52:10"][position])
        }),
        StatusFixture(name: "xml-with-optional-fields.xml", expected: [StatusReport(
            form: .xml, reference: "campaign-42-recipient-7", recipient: "0031612345679", codeRaw: "3", errorCodeRaw: "42",
            errorDescription: "Recipient does not have the channel", operatorCode: "20416", channel: "whatsapp",
            customGroupings: ["Campaign ABC", "Department XYZ", "text-sdk-php-2.3.0"], receivedRaw: "2025-01-31T23:59:59"
        )]),
        StatusFixture(name: "xml-unknown-elements.xml", expected: [StatusReport(
            form: .xml, reference: "my_reference_124", recipient: "0031612345679", codeRaw: "2", errorCodeRaw: "",
            channel: "sms", receivedRaw: "2024-03-01T11:05:42", sendRaw: "2024-03-01T11:05:43"
        )]),
        StatusFixture(name: "xml-no-declaration.xml", expected: [StatusReport(
            form: .xml, reference: "leapday", recipient: "447700900123", codeRaw: "1", errorCodeRaw: "23",
            errorDescription: "Invalid recipient", receivedRaw: "2024-02-29T12:00:00"
        )]),
        StatusFixture(name: "xml-bom.xml", expected: [StatusReport(
            form: .xml, reference: "bom-ref", recipient: "0031612345679", codeRaw: "2", errorCodeRaw: "",
            errorDescription: "", receivedRaw: "2024-03-01T11:05:42"
        )]),
        StatusFixture(name: "xml-empty-values.xml", expected: [StatusReport(
            form: .xml, reference: "", recipient: nil, codeRaw: "2", errorCodeRaw: "", errorDescription: "",
            customGroupings: ["", nil, ""], receivedRaw: "", sentRaw: ""
        )]),
        StatusFixture(name: "xml-references.xml", expected: [StatusReport(
            form: .xml, reference: "a<b>c&d'e\"f", recipient: "0031612345679", codeRaw: "3", errorCodeRaw: "24",
            errorDescription: "<b>unreachable</b> & \"gone\" café 📵", receivedRaw: "2024-03-01T11:05:42"
        )]),
    ]

    @Test("a good fixture decodes to exactly the expected reports", arguments: fixtures)
    func decodes(_ fixture: StatusFixture) throws {
        let reports = try StatusReport.reports(xml: MOTestFixtures.fixture(fixture.name, in: "status"))
        #expect(reports == fixture.expected)
    }

    @Test("derived fields: status from the code, integer error code, received read as UTC", arguments: [
        ("xml-current.xml", DeliveryStatus.failed, 24 as Int?, 1_709_291_142.0 as Double?),
        ("xml-legacy.xml", .unknown, 0, 1_245_073_530),
        ("xml-with-optional-fields.xml", .failed, 42, 1_738_367_999),
        ("xml-unknown-elements.xml", .delivered, nil, 1_709_291_142),
        ("xml-no-declaration.xml", .rejected, 23, 1_709_208_000),
        ("xml-empty-values.xml", .delivered, nil, nil),
    ])
    func derived(name: String, status: DeliveryStatus, errorCode: Int?, received: Double?) throws {
        let report = try #require(try StatusReport.reports(xml: fixture(name, in: "status")).first)
        #expect(report.status == status)
        #expect(report.errorCode == errorCode)
        #expect(report.received == received.map { Date(timeIntervalSince1970: $0) })
    }

    @Test("several MSGs keep document order: accepted, delivered, read")
    func multipleInOrder() throws {
        let reports = try StatusReport.reports(xml: fixture("xml-multiple.xml", in: "status"))
        #expect(reports.map(\.status) == [.accepted, .delivered, .read])
        #expect(reports.map(\.received) == [1_716_824_872.0, 1_716_824_883, 1_716_825_130].map { Date(timeIntervalSince1970: $0) })
    }

    @Test("the legacy SENT attribute is copied to every report")
    func sentOnEveryReport() throws {
        let body = utf8("<MESSAGES SENT='2009-06-15T13:45:30'><MSG><STATUS><CODE>200</CODE></STATUS></MSG><MSG><STATUS><CODE>2</CODE></STATUS></MSG></MESSAGES>")
        let reports = try StatusReport.reports(xml: body)
        #expect(reports.map(\.sentRaw) == ["2009-06-15T13:45:30", "2009-06-15T13:45:30"])
        #expect(reports.map(\.status) == [.unknown, .delivered])
    }

    @Test("no decoded string from any good fixture contains U+0000", arguments: fixtures)
    func noNul(_ fixture: StatusFixture) throws {
        for report in try StatusReport.reports(xml: MOTestFixtures.fixture(fixture.name, in: "status")) {
            let strings = [report.reference, report.recipient, report.codeRaw, report.errorCodeRaw, report.errorDescription,
                           report.operatorCode, report.channel, report.receivedRaw, report.sentRaw].compactMap { $0 }
                + report.customGroupings.compactMap { $0 }
            #expect(strings.allSatisfy { !$0.unicodeScalars.contains("\0") })
        }
    }
}
