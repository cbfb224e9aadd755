import Foundation
import LibPQ
import MOReceiver
import MOTestSupport
import Testing

@Suite("Every payload form over HTTP into its normalized rows")
struct PayloadFormTests {
    struct StatusCase: Sendable, CustomTestStringConvertible {
        var path: String
        var contentType: String?
        var form: String
        var code: String
        var status: String
        var reference: String
        var testDescription: String { path }
    }

    @Test("a status report in each form lands in status_reports with its fields", arguments: [
        StatusCase(path: "status/xml-current.xml", contentType: "text/xml", form: "xml", code: "3",
                   status: "failed", reference: "my_reference_124"),
        StatusCase(path: "status/xml-no-declaration.xml", contentType: nil, form: "xml", code: "1",
                   status: "rejected", reference: "leapday"),
        StatusCase(path: "status/json-template.json", contentType: "application/json", form: "json", code: "3",
                   status: "failed", reference: "my_reference_124"),
        StatusCase(path: "status/xml-legacy.xml", contentType: "application/xml", form: "xml", code: "200",
                   status: "unknown", reference: "cm-adapter_0612345678_0031614753658_1400000000000"),
    ])
    func statusReportForms(_ expected: StatusCase) throws {
        let harness = try ReceiverHarness()
        let reply = try harness.post("/cm/status", body: try fixture(expected.path), contentType: expected.contentType)
        #expect(reply.status == 200, "\(reply.body)")
        let rows = try harness.query("SELECT form, code_raw, status, reference FROM status_reports ORDER BY position")
        #expect(rows.rowCount == 1)
        #expect(rows.string(0, 0) == expected.form)
        #expect(rows.string(0, 1) == expected.code)
        #expect(rows.string(0, 2) == expected.status)
        #expect(rows.string(0, 3) == expected.reference)
    }

    @Test("several MSGs in one XML report become one row each, in order")
    func multipleMessages() throws {
        let harness = try ReceiverHarness()
        let xml = Array("""
            <MESSAGES><MSG RECEIVED="2026-11-22T10:00:01"><TO>0031600000001</TO><REFERENCE>a</REFERENCE>\
            <STATUS><CODE>2</CODE></STATUS></MSG><MSG RECEIVED="2026-11-22T10:00:02"><TO>0031600000002</TO>\
            <REFERENCE>b</REFERENCE><STATUS><CODE>3</CODE><ERRORCODE>24</ERRORCODE></STATUS></MSG></MESSAGES>
            """.utf8)
        #expect(try harness.post("/cm/status", body: xml, contentType: "text/xml").status == 200)
        let rows = try harness.query("""
            SELECT s.reference, s.status, s.error_code, e.short_description, s.reported_at = '2026-11-22T10:00:02Z'
            FROM status_reports s LEFT JOIN error_codes e ON e.code = s.error_code ORDER BY s.position
            """)
        #expect(rows.rowCount == 2)
        #expect(rows.string(0, 0) == "a" && rows.string(0, 1) == "delivered")
        #expect(rows.string(1, 0) == "b" && rows.string(1, 1) == "failed" && rows.int(1, 2) == 24)
        #expect(rows.string(1, 3)?.contains("unreachable") == true)
        #expect(rows.bool(1, 4) == true)
    }

    @Test("a GET status report is parsed from its query string, names in either case")
    func statusByGet() throws {
        let harness = try ReceiverHarness()
        for query in ["reference=r1&to=0031612345678&statuscode=2&errorcode=&errordescription=Delivered+ok",
                      "REFERENCE=r2&STATUS=4"] {
            let reply = try RawHTTPClient.get(port: harness.port, path: "/cm/status?\(query)",
                                              headers: [("X-Forwarded-For", ReceiverHarness.cmClient)])
            #expect(reply.status == 200)
        }
        let rows = try harness.query("SELECT reference, status, form FROM status_reports ORDER BY id")
        #expect(rows.string(0, 0) == "r1" && rows.string(0, 1) == "delivered" && rows.string(0, 2) == "query")
        #expect(rows.string(1, 0) == "r2" && rows.string(1, 1) == "read")
        let repeated = try RawHTTPClient.get(port: harness.port, path: "/cm/status?reference=a&REFERENCE=b&statuscode=2",
                                             headers: [("X-Forwarded-For", ReceiverHarness.cmClient)])
        #expect(repeated.status == 200)
        #expect(fields(repeated)["result"] as? String == "quarantined")
        #expect((fields(repeated)["reason"] as? String)?.contains("more than once") == true)
    }

    @Test("an event of any type lands in events with its custom object")
    func events() throws {
        let harness = try ReceiverHarness()
        #expect(try harness.post("/cm/events", body: try fixture("events/rcs-suggestion-click.json")).status == 200)
        let row = try harness.query("SELECT type, channel, custom->>'postbackdata' FROM events")
        #expect(row.string(0, 0) == "SuggestionClick")
        #expect(row.string(0, 1) == "RCS")
        #expect(row.string(0, 2) != nil)
    }

    @Test("legacy Gateway MOs (flat JSON and XML) become inbound messages", arguments: [
        ("mo/legacy-flat.json", "legacy-json"), ("mo/legacy.xml", "legacy-xml"),
        ("mo/malformed-not-json.txt", "legacy-xml"),  // CM's Salesforce plugin's own test body
    ])
    func legacyMO(path: String, form: String) throws {
        let harness = try ReceiverHarness()
        let reply = try harness.post(body: try fixture(path), contentType: nil)
        #expect(reply.status == 200, "\(reply.body)")
        let row = try harness.query("SELECT form, channel, from_number FROM inbound_messages")
        #expect(row.string(0, 0) == form)
        #expect(row.string(0, 1) == "SMS")
        #expect(row.string(0, 2)?.isEmpty == false)
    }

    @Test("hostile XML is a fast 200 'quarantined', kept in quarantine, and nothing is resolved", arguments: [
        "hostile/xxe-file.xml", "hostile/xxe-remote.xml", "hostile/billion-laughs.xml", "hostile/trailing-junk.xml",
        "hostile/utf16.xml",
    ])
    func hostileXML(path: String) throws {
        let harness = try ReceiverHarness()
        let started = ContinuousClock.now
        let reply = try harness.post("/cm/status", body: try fixture(path), contentType: "text/xml")
        #expect(ContinuousClock.now - started < .seconds(1))
        #expect(reply.status == 200)
        #expect(fields(reply)["result"] as? String == "quarantined")
        #expect(try harness.count("status_reports") == 0)
        #expect(try harness.query("SELECT outcome FROM webhook_requests").string(0, 0) == "quarantined")
    }

    @Test("deeply nested JSON is kept in quarantine")
    func deepJSON() throws {
        let harness = try ReceiverHarness()
        let body = Array(String(repeating: "[", count: 20_000).utf8)
        let reply = try harness.post("/cm/events", body: body)
        #expect(reply.status == 200)
        #expect(fields(reply)["result"] as? String == "quarantined")
        #expect(try harness.query("SELECT outcome FROM webhook_requests").string(0, 0) == "quarantined")
    }
}

@Suite("Status reports attach to outbound messages by reference, status by precedence")
struct StatusCorrelationTests {
    private func report(_ harness: ReceiverHarness, reference: String, to: String, code: Int, at second: Int) throws {
        let xml = Array("""
            <MESSAGES><MSG RECEIVED="2026-11-22T10:00:\(String(format: "%02d", second))"><TO>\(to)</TO>\
            <REFERENCE>\(reference)</REFERENCE><STATUS><CODE>\(code)</CODE></STATUS></MSG></MESSAGES>
            """.utf8)
        #expect(try harness.post("/cm/status", body: xml, contentType: "text/xml").status == 200)
    }

    private func status(_ harness: ReceiverHarness, reference: String, recipient: String) throws -> String? {
        try harness.query("""
            SELECT status FROM outbound_message_status WHERE reference = \(reference) AND recipient = \(recipient)
            """).string(0, 0)
    }

    @Test("a late 'accepted' never overwrites 'delivered', and 'read' wins over both")
    func precedence() throws {
        let harness = try ReceiverHarness()
        _ = try harness.query("INSERT INTO outbound_messages (reference, recipient) VALUES ('ref-1', '+31612345678')")
        #expect(try status(harness, reference: "ref-1", recipient: "+31612345678") == "sent")
        try report(harness, reference: "ref-1", to: "0031612345678", code: 2, at: 2)
        try report(harness, reference: "ref-1", to: "0031612345678", code: 0, at: 1)
        #expect(try status(harness, reference: "ref-1", recipient: "+31612345678") == "delivered")
        try report(harness, reference: "ref-1", to: "0031612345678", code: 4, at: 3)
        #expect(try status(harness, reference: "ref-1", recipient: "+31612345678") == "read")
        let history = try harness.query("""
            SELECT status FROM outbound_message_reports r JOIN outbound_messages o ON o.id = r.outbound_message_id
            WHERE o.reference = 'ref-1' ORDER BY r.id
            """)
        #expect((0..<history.rowCount).map { history.string($0, 0) } == ["delivered", "accepted", "read"])
    }

    @Test("a report that arrives before its outbound row is matched once the row exists")
    func reportBeforeRow() throws {
        let harness = try ReceiverHarness()
        try report(harness, reference: "early", to: "0031600000009", code: 2, at: 5)
        _ = try harness.query("INSERT INTO outbound_messages (reference, recipient) VALUES ('early', '+31600000009')")
        #expect(try status(harness, reference: "early", recipient: "+31600000009") == "delivered")
    }

    @Test("when a reference is shared, the recipient decides which message a report is about")
    func sharedReference() throws {
        let harness = try ReceiverHarness()
        _ = try harness.query("""
            INSERT INTO outbound_messages (reference, recipient) VALUES ('batch', '+31600000001'), ('batch', '+31600000002')
            """)
        try report(harness, reference: "batch", to: "0031600000001", code: 2, at: 1)
        try report(harness, reference: "batch", to: "0031600000002", code: 3, at: 2)
        #expect(try status(harness, reference: "batch", recipient: "+31600000001") == "delivered")
        #expect(try status(harness, reference: "batch", recipient: "+31600000002") == "failed")
    }
}
