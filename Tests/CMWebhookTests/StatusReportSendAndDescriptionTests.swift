import CMWebhook
import Foundation
import MOTestFixtures
import Testing

/// Seed 001 lists "Send" (when CM sent the report to us) and "Status Description" among the status report fields;
/// every form keeps both (issue 16 point 10).
@Suite("Status reports keep CM's Send and Status Description in every form")
struct StatusReportSendAndDescriptionTests {
    private static func one(xml: String) throws -> StatusReport {
        let reports = try StatusReport.reports(xml: utf8(xml))
        try #require(reports.count == 1)
        return reports[0]
    }

    private static func one(json msg: String) throws -> StatusReport {
        let reports = try StatusReport.reports(json: utf8(#"{"messages":{"msg":{"# + msg + "}}}"))
        try #require(reports.count == 1)
        return reports[0]
    }

    private static func one(query: String) throws -> StatusReport {
        let reports = try StatusReport.reports(query: query)
        try #require(reports.count == 1)
        return reports[0]
    }

    // MARK: XML

    @Test("XML: SEND as a child or an attribute of MSG, STATUSDESCRIPTION in MSG or in STATUS, any letter case",
          arguments: [
        ("<MSG><SEND> 2024-03-01T11:05:43 </SEND><STATUSDESCRIPTION>Delivered</STATUSDESCRIPTION><STATUS><CODE>2</CODE></STATUS></MSG>",
         "2024-03-01T11:05:43" as String?, "Delivered" as String?),
        ("<MSG SEND='2024-03-01T11:05:43'><STATUS><CODE>2</CODE><STATUSDESCRIPTION>Delivered</STATUSDESCRIPTION></STATUS></MSG>",
         "2024-03-01T11:05:43", "Delivered"),
        ("<Msg send='2024-03-01T11:05:43'><Send>2024-03-01T11:05:43</Send><status><code>2</code><StatusDescription>Delivered</StatusDescription></status><statusdescription> Delivered </statusdescription></Msg>",
         "2024-03-01T11:05:43", "Delivered"),
        ("<MSG><SEND></SEND><STATUSDESCRIPTION/><STATUS><CODE>2</CODE></STATUS></MSG>", "", ""),
        ("<MSG><STATUS><CODE>2</CODE></STATUS></MSG>", nil, nil),
    ])
    func xmlKept(msg: String, send: String?, description: String?) throws {
        let report = try Self.one(xml: "<MESSAGES>\(msg)</MESSAGES>")
        #expect(report.sendRaw == send)
        #expect(report.statusDescription == description)
        #expect(report.send == (send == "2024-03-01T11:05:43" ? Date(timeIntervalSince1970: 1_709_291_143) : nil))
    }

    @Test("XML: the legacy MESSAGES SENT and CM's SEND are kept apart, neither overwrites the other")
    func xmlSentAndSend() throws {
        let report = try Self.one(xml: "<MESSAGES SENT='2009-06-15T13:45:30'><MSG><SEND>2009-06-15T13:45:31</SEND><STATUS><CODE>200</CODE></STATUS></MSG></MESSAGES>")
        #expect(report.sentRaw == "2009-06-15T13:45:30")
        #expect(report.sendRaw == "2009-06-15T13:45:31")
    }

    @Test("XML: a field given in both places must agree; otherwise the report is invalid, naming the field",
          arguments: [
        ("<MSG SEND='2024-03-01T11:05:43'><SEND>2024-03-01T11:06:00</SEND><STATUS><CODE>2</CODE></STATUS></MSG>",
         "MSG[1]/SEND", "@SEND and SEND disagree"),
        ("<MSG><STATUSDESCRIPTION>Read</STATUSDESCRIPTION><STATUS><CODE>2</CODE><STATUSDESCRIPTION>Delivered</STATUSDESCRIPTION></STATUS></MSG>",
         "MSG[1]/STATUSDESCRIPTION", "STATUSDESCRIPTION and STATUS/STATUSDESCRIPTION disagree"),
    ])
    func xmlDisagree(msg: String, field: String, reason: String) {
        #expect(throws: PayloadError(.statusReport, .invalidValue(field: field, reason: reason))) {
            try StatusReport.reports(xml: utf8("<MESSAGES>\(msg)</MESSAGES>"))
        }
    }

    @Test("XML: SEND or STATUSDESCRIPTION twice in one place is refused rather than guessed")
    func xmlTwice() {
        #expect(throws: PayloadError.self) {
            try StatusReport.reports(xml: utf8("<MESSAGES><MSG><SEND>a</SEND><SEND>b</SEND><STATUS><CODE>2</CODE></STATUS></MSG></MESSAGES>"))
        }
        #expect(throws: PayloadError.self) {
            try StatusReport.reports(xml: utf8("<MESSAGES><MSG><STATUSDESCRIPTION>a</STATUSDESCRIPTION><STATUSDESCRIPTION>b</STATUSDESCRIPTION><STATUS><CODE>2</CODE></STATUS></MSG></MESSAGES>"))
        }
    }

    // MARK: JSON

    @Test("JSON: send and statusDescription, in msg or status, matched ignoring letter case, strings or numbers",
          arguments: [
        (#""send":"2024-03-01T11:05:43","statusDescription":"Delivered","status":{"code":"2"}"#,
         "2024-03-01T11:05:43" as String?, "Delivered" as String?),
        (#""SEND":"2024-03-01T11:05:43","status":{"code":"2","StatusDescription":"Delivered"}"#,
         "2024-03-01T11:05:43", "Delivered"),
        (#""Send":"2024-03-01T11:05:43","statusdescription":"Delivered","status":{"code":"2","statusDescription":" Delivered "}"#,
         "2024-03-01T11:05:43", "Delivered"),
        (#""send":"","statusDescription":7,"status":{"code":"2"}"#, "", "7"),
        (#""send":null,"statusDescription":null,"status":{"code":"2"}"#, nil, nil),
        (#""status":{"code":"2"}"#, nil, nil),
    ])
    func jsonKept(members: String, send: String?, description: String?) throws {
        let report = try Self.one(json: members)
        #expect(report.sendRaw == send)
        #expect(report.statusDescription == description)
        #expect(report.send == (send == "2024-03-01T11:05:43" ? Date(timeIntervalSince1970: 1_709_291_143) : nil))
    }

    @Test("JSON: ambiguous or disagreeing Send and Status Description are invalid, naming the field", arguments: [
        (#""send":"a","Send":"b","status":{"code":"2"}"#, "messages.msg[1].send",
         "given more than once in different letter case"),
        (#""statusDescription":"Read","status":{"code":"2","statusDescription":"Delivered"}"#,
         "messages.msg[1].statusDescription", "statusDescription and status.statusDescription disagree"),
    ])
    func jsonInvalid(members: String, field: String, reason: String) {
        #expect(throws: PayloadError(.statusReport, .invalidValue(field: field, reason: reason))) {
            try Self.one(json: members)
        }
    }

    @Test("JSON: send of a wrong type is named by its path")
    func jsonWrongType() {
        #expect(throws: PayloadError(.statusReport, .wrongType(field: "messages.msg[1].send", expected: "string or number", found: "boolean"))) {
            try Self.one(json: #""send":true,"status":{"code":"2"}"#)
        }
    }

    // MARK: GET

    @Test("GET: send and statusdescription, any letter case, percent-decoded; the legacy sent stays apart",
          arguments: [
        ("statuscode=2&send=2024-03-01T11%3A05%3A43&statusdescription=Delivered+to+handset",
         "2024-03-01T11:05:43" as String?, "Delivered to handset" as String?, nil as String?),
        ("STATUS=2&SEND=2024-03-01T11:05:43&STATUSDESCRIPTION=Delivered&sent=2024-03-01T11:05:42",
         "2024-03-01T11:05:43", "Delivered", "2024-03-01T11:05:42"),
        ("statuscode=2&send=&statusDescription=", "", "", nil),
        ("statuscode=2&sent=2024-03-01T11:05:42", nil, nil, "2024-03-01T11:05:42"),
    ])
    func queryKept(query: String, send: String?, description: String?, sent: String?) throws {
        let report = try Self.one(query: query)
        #expect(report.sendRaw == send)
        #expect(report.statusDescription == description)
        #expect(report.sentRaw == sent)
        #expect(report.send == (send == "2024-03-01T11:05:43" ? Date(timeIntervalSince1970: 1_709_291_143) : nil))
    }

    @Test("GET: send or statusdescription given twice is a repeated parameter", arguments: [
        ("statuscode=2&send=a&SEND=b", "send"),
        ("statuscode=2&statusdescription=a&StatusDescription=a", "statusdescription"),
    ])
    func queryRepeated(query: String, name: String) {
        #expect(throws: PayloadError(.statusReport, .repeatedParameter(name))) { try Self.one(query: query) }
    }
}
