import Foundation
import MOReceiver
import MOTestSupport
import Testing

@Suite("Malformed payloads are kept in quarantine")
struct QuarantineTests {
    @Test("a malformed MO from a CM address is a 200 'quarantined' with a one-line reason, and its bytes are kept", arguments: [
        ("mo/malformed-no-sender.json", "MO payload has no from.number"),
        ("mo/malformed-form-encoded.txt", "MO payload is not valid JSON"),
        ("mo/malformed-text-number.json", "message.text"),
        ("mo/malformed-array-root.json", "not a JSON object"),
        ("mo/malformed-duplicate-key.json", "duplicate key"),
    ])
    func quarantines(path: String, reasonFragment: String) throws {
        let harness = try ReceiverHarness()
        let body = try fixture(path)
        let reply = try harness.post(body: body)
        // 200 by default (ingest.malformed_status): CM retries anything else for a month; the bytes are kept.
        #expect(reply.status == 200)
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

    @Test("a row the database refuses inside a batch is quarantined alone; its batch neighbours are stored")
    func refusedRowDoesNotSinkItsBatch() async throws {
        // 400 for quarantine, so the poisoned request's answer differs from its neighbours'.
        let harness = try ReceiverHarness { $0.ingest.malformedStatus = 400 }
        // A rule only the database knows, standing in for any deterministic refusal (a constraint, bad data).
        _ = try harness.query("ALTER TABLE inbound_messages ADD CONSTRAINT test_no_poison CHECK (text <> 'poison')")
        let port = harness.port
        let count = 64
        let replies = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for index in 0..<count {
                group.addTask {
                    let text = index == 17 ? "poison" : "fine \(index)"
                    let body = Array(#"{"from":{"number":"+3160000\#(index)"},"message":{"text":"\#(text)"},"channel":"SMS"}"#.utf8)
                    let reply = try RawHTTPClient.post(port: port, path: "/cm/mo", body: body,
                                                       headers: [("X-Forwarded-For", ReceiverHarness.cmClient)])
                    return (index, reply.status)
                }
            }
            return try await group.reduce(into: [Int: Int]()) { $0[$1.0] = $1.1 }
        }
        #expect(replies[17] == 400)
        #expect(replies.filter { $0.key != 17 }.allSatisfy { $0.value == 200 })
        #expect(try harness.count("inbound_messages") == count - 1)
        let poisoned = try harness.query("SELECT outcome, reason FROM webhook_requests WHERE outcome = 'quarantined'")
        #expect(poisoned.rowCount == 1)
        #expect(poisoned.string(0, 1)?.contains("test_no_poison") == true)
    }

    @Test("a retried malformed payload gets the same answer and only counts the delivery")
    func retriedQuarantine() throws {
        let harness = try ReceiverHarness()
        let body = try fixture("mo/malformed-no-sender.json")
        let first = try harness.post(body: body)
        let second = try harness.post(body: body)
        #expect(second.status == 200)
        #expect(fields(second)["result"] as? String == "quarantined")
        #expect(fields(second)["id"] as? Int == fields(first)["id"] as? Int)
        #expect(fields(second)["reason"] as? String == fields(first)["reason"] as? String)
        #expect(try harness.query("SELECT count(*), max(seen_count) FROM webhook_requests").int(0, 1) == 2)
    }

    @Test("ingest.malformed_status = 400 lets CM's portal show the failure and still quarantines", arguments: [400, 422])
    func configurableStatus(status: Int) throws {
        let harness = try ReceiverHarness { $0.ingest.malformedStatus = status }
        let reply = try harness.post(body: try fixture("mo/malformed-no-sender.json"))
        #expect(reply.status == status)
        #expect(fields(reply)["result"] as? String == "quarantined")
        #expect(try harness.query("SELECT outcome FROM webhook_requests").string(0, 0) == "quarantined")
    }
}
