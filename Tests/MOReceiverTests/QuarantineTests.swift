import Foundation
import MOReceiver
import MOTestSupport
import Testing

@Suite("Malformed payloads are kept in quarantine")
struct QuarantineTests {
    @Test("a malformed MO from a CM address is a 400 with a one-line reason, and its bytes are kept", arguments: [
        ("mo/malformed-no-sender.json", "MO payload has no from.number"),
        ("mo/malformed-not-json.txt", "MO payload is not valid JSON"),
        ("mo/malformed-text-number.json", "message.text"),
        ("mo/malformed-array-root.json", "not a JSON object"),
        ("mo/malformed-duplicate-key.json", "duplicate key"),
    ])
    func quarantines(path: String, reasonFragment: String) throws {
        let harness = try ReceiverHarness()
        let body = try fixture(path)
        let reply = try harness.post(body: body)
        #expect(reply.status == 400)
        #expect(fields(reply)["result"] as? String == "quarantined")
        let reason = try #require(fields(reply)["reason"] as? String)
        #expect(reason.contains(reasonFragment))
        #expect(!reason.contains("\n"))
        let row = try harness.query("SELECT outcome, reason, body FROM webhook_requests")
        #expect(row.string(0, 0) == "quarantined")
        #expect(row.string(0, 1) == reason)
        #expect(row.bytes(0, 2) == body)
        #expect(try harness.count("inbound_messages") == 0)
    }

    @Test("a retried malformed payload gets the same answer and only counts the delivery")
    func retriedQuarantine() throws {
        let harness = try ReceiverHarness()
        let body = try fixture("mo/malformed-no-sender.json")
        let first = try harness.post(body: body)
        let second = try harness.post(body: body)
        #expect(second.status == 400)
        #expect(fields(second)["id"] as? Int == fields(first)["id"] as? Int)
        #expect(fields(second)["reason"] as? String == fields(first)["reason"] as? String)
        #expect(try harness.query("SELECT count(*), max(seen_count) FROM webhook_requests").int(0, 1) == 2)
    }

    @Test("ingest.malformed_status = 200 stops CM's retries and still quarantines")
    func configurableStatus() throws {
        let harness = try ReceiverHarness { $0.ingest.malformedStatus = 200 }
        let reply = try harness.post(body: try fixture("mo/malformed-no-sender.json"))
        #expect(reply.status == 200)
        #expect(fields(reply)["result"] as? String == "quarantined")
        #expect(try harness.query("SELECT outcome FROM webhook_requests").string(0, 0) == "quarantined")
    }
}
