import Foundation
import LibPQ
import MOReceiver
import MOStore
import MOTestSupport
import Testing

/// Issue 16 point 10: seed 001's status report fields "Send" and "Status Description" reach PostgreSQL in every
/// form, over real HTTP, and show in the reporting views.
@Suite("Status reports keep CM's Send and Status Description, over HTTP into status_reports")
struct StatusReportSendFieldsTests {
    /// send_raw, send_at as UTC text, status_description and sent_raw of the only status report stored.
    private func storedFields(_ harness: ReceiverHarness) throws -> [String?] {
        let rows = try harness.query("""
            SELECT send_raw, to_char(send_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'), status_description, sent_raw
            FROM status_reports
            """)
        try #require(rows.rowCount == 1)
        return (0..<4).map { rows.string(0, $0) }
    }

    @Test("an XML report's SEND and STATUSDESCRIPTION are stored beside the legacy SENT")
    func xml() throws {
        let harness = try ReceiverHarness()
        let xml = Array("""
            <MESSAGES SENT="2026-11-22T10:00:03"><MSG RECEIVED="2026-11-22T10:00:01"><TO>0031600000001</TO>\
            <REFERENCE>x-1</REFERENCE><SEND>2026-11-22T10:00:02</SEND><STATUSDESCRIPTION>Failed</STATUSDESCRIPTION>\
            <STATUS><CODE>3</CODE><ERRORCODE>24</ERRORCODE></STATUS></MSG></MESSAGES>
            """.utf8)
        let reply = try harness.post("/cm/status", body: xml, contentType: "text/xml")
        #expect(reply.status == 200, "\(reply.body)")
        #expect(try storedFields(harness) == ["2026-11-22T10:00:02", "2026-11-22T10:00:02", "Failed", "2026-11-22T10:00:03"])

        let failures = try harness.query("""
            SELECT reported_status_description, to_char(last_send_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
            FROM reporting.delivery_failures WHERE error_code = 24
            """)
        #expect(failures.rowCount == 1)
        #expect(failures.string(0, 0) == "Failed")
        #expect(failures.string(0, 1) == "2026-11-22T10:00:02")

        // Handlers get them in the event document too (docs/queue.md).
        let id = try #require(try harness.query("SELECT id FROM status_reports").int(0, 0))
        let connection = try PGConnection(parameters: [("dbname", harness.databaseURL)])
        let document = try #require(try EventDocuments.document(kind: .status, id: Int64(id), on: connection))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(document.json.utf8)) as? [String: Any])
        let report = try #require(object["status_report"] as? [String: Any])
        #expect(report["status_description"] as? String == "Failed")
        #expect(report["send_raw"] as? String == "2026-11-22T10:00:02")
        #expect((report["send_at"] as? String)?.hasPrefix("2026-11-22T10:00:02") == true)
    }

    @Test("the JSON fixture's send and statusDescription are stored")
    func json() throws {
        let harness = try ReceiverHarness()
        let reply = try harness.post("/cm/status", body: try fixture("status/json-whatsapp-read.json"),
                                     contentType: "application/json")
        #expect(reply.status == 200, "\(reply.body)")
        #expect(try storedFields(harness) == ["2025-10-23T12:14:18", "2025-10-23T12:14:18", "Read", nil])
    }

    @Test("a GET report's send and statusdescription parameters are stored, and sent kept apart")
    func get() throws {
        let harness = try ReceiverHarness()
        let reply = try RawHTTPClient.get(
            port: harness.port,
            path: "/cm/status?reference=g-1&statuscode=2&SEND=2026-11-22T10%3A00%3A02&StatusDescription=Delivered+ok&sent=legacy",
            headers: [("X-Forwarded-For", ReceiverHarness.cmClient)])
        #expect(reply.status == 200, "\(reply.body)")
        #expect(try storedFields(harness) == ["2026-11-22T10:00:02", "2026-11-22T10:00:02", "Delivered ok", "legacy"])
    }

    @Test("a report without them stores NULLs, and an unreadable Send keeps its text with no time")
    func absentAndUnreadable() throws {
        let harness = try ReceiverHarness()
        let json = Array(#"{"messages":{"msg":{"reference":"j-2","send":"soon","status":{"code":"0"}}}}"#.utf8)
        #expect(try harness.post("/cm/status", body: json, contentType: "application/json").status == 200)
        #expect(try storedFields(harness) == ["soon", nil, nil, nil])
    }
}
