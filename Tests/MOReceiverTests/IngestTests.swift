import Foundation
import LibPQ
import MOReceiver
import MOTestSupport
import Testing

@Suite("Ingest over HTTP into PostgreSQL")
struct IngestTests {
    @Test("an MO from a CM address is a 200 only with its raw request and normalized message committed")
    func storesInboundMessage() throws {
        let harness = try ReceiverHarness()
        let body = try fixture("mo/whatsapp-text.json")
        let reply = try harness.post(body: body)
        #expect(reply.status == 200)
        #expect(fields(reply)["result"] as? String == "stored")
        let id = try #require(fields(reply)["id"] as? Int)

        let request = try harness.query("""
            SELECT endpoint, method, body, content_type, host(client_ip), host(peer_ip), outcome, seen_count,
                   encode(body_sha256, 'hex') = encode(sha256(body), 'hex')
            FROM webhook_requests WHERE id = \(id)
            """)
        #expect(request.rowCount == 1)
        #expect(request.string(0, 0) == "mo")
        #expect(request.string(0, 1) == "POST")
        #expect(request.bytes(0, 2) == body)
        #expect(request.string(0, 3) == "application/json")
        #expect(request.string(0, 4) == "31.169.56.10")
        #expect(request.string(0, 5) == "127.0.0.1")
        #expect(request.string(0, 6) == "stored")
        #expect(request.int(0, 7) == 1)
        #expect(request.bool(0, 8) == true)

        let message = try harness.query("""
            SELECT channel, from_number, from_name, to_number, text, reference, groupings::text,
                   to_char(time_utc AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'), time_utc_raw, custom::text
            FROM inbound_messages WHERE request_id = \(id)
            """)
        #expect(message.rowCount == 1)
        #expect(message.string(0, 0) == "WhatsApp")
        #expect(message.string(0, 1) == "+316012345678")
        #expect(message.string(0, 2) == "")
        #expect(message.string(0, 3) == "3669")
        #expect(message.string(0, 4) == "This is an example message")
        #expect(message.string(0, 5) == "2f2d42ac-3809-40fb-bce5-dc720e400000")
        #expect(message.string(0, 6) == "{39373ce0-f4aa-4918-8ff1-3cef7f77b112,messagesApi,\"\"}")
        #expect(message.string(0, 7) == "2019-11-05T08:32:33")
        #expect(message.string(0, 8) == "2019-11-05T08:32:33")
        #expect(message.string(0, 9) == "{}")
        #expect(try harness.count("media_items") == 0)
    }

    @Test("a media reference becomes a pending media item that expires 30 days after the message")
    func storesMediaItem() throws {
        // The fixture's message is from 2019: with downloads on, the item would expire at once (MediaTests).
        let harness = try ReceiverHarness { $0.media.enabled = false }
        let reply = try harness.post(body: try fixture("mo/whatsapp-media.json"))
        #expect(reply.status == 200)
        let media = try harness.query("""
            SELECT uri, content_type, title, state,
                   to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'), position
            FROM media_items
            """)
        #expect(media.rowCount == 1)
        #expect(media.string(0, 0) == "https://cdn-1.messaging.cm.com/fileproxy/files/0123456789abcdef0123456789abcdef")
        #expect(media.string(0, 1) == "image/png")
        #expect(media.string(0, 3) == "pending")
        #expect(media.string(0, 4) == "2019-12-05T08:32:33")
        #expect(media.int(0, 5) == 0)
    }

    @Test("a retry of the same body is a 200 duplicate that stores nothing new and counts the delivery")
    func duplicateIsHarmless() throws {
        let harness = try ReceiverHarness()
        let body = try fixture("mo/whatsapp-media.json")
        let first = try harness.post(body: body)
        let second = try harness.post(body: body)
        #expect(first.status == 200 && second.status == 200)
        #expect(fields(second)["result"] as? String == "duplicate")
        #expect(fields(second)["id"] as? Int == fields(first)["id"] as? Int)
        #expect(try harness.count("webhook_requests") == 1)
        #expect(try harness.count("inbound_messages") == 1)
        #expect(try harness.count("media_items") == 1)
        #expect(try harness.query("SELECT seen_count FROM webhook_requests").int(0, 0) == 2)
    }

    @Test("the same bytes on another endpoint are a different delivery")
    func dedupeIsPerEndpoint() throws {
        let harness = try ReceiverHarness()
        let body = Array(#"{"messages":{"msg":{"reference":"r1","status":{"code":"2"}}}}"#.utf8)
        #expect(try harness.post("/cm/status", body: body).status == 200)
        // Not an event, so quarantined there: a delivery of its own, not a duplicate of the status report.
        let other = try harness.post("/cm/events", body: body)
        #expect(fields(other)["result"] as? String == "quarantined")
        #expect(try harness.count("webhook_requests") == 2)
    }

    @Test("payloads of unknown shape are stored, never rejected", arguments: [
        "mo/unknown-channel-extra-fields.json", "mo/null-optionals.json", "mo/bom.json", "mo/apple-business-chat.json",
        "mo/instagram-story-reply.json", "mo/rcs-text.json", "mo/sms-reply.json",
    ])
    func storesVariants(path: String) throws {
        let harness = try ReceiverHarness()
        let reply = try harness.post(body: try fixture(path))
        #expect(reply.status == 200, "\(reply.body)")
        #expect(try harness.count("inbound_messages") == 1)
    }

    @Test("a status report by GET is stored with its raw query string")
    func storesStatusReportByGet() throws {
        let harness = try ReceiverHarness()
        let query = "reference=my_ref&to=0031612345678&statuscode=2&errorcode=&errordescription=Delivered+ok"
        let reply = try RawHTTPClient.get(port: harness.port, path: "/cm/status?\(query)",
                                          headers: [("X-Forwarded-For", ReceiverHarness.cmClient)])
        #expect(reply.status == 200)
        let row = try harness.query("SELECT endpoint, method, body FROM webhook_requests")
        #expect(row.string(0, 0) == "status")
        #expect(row.string(0, 1) == "GET")
        #expect(row.bytes(0, 2) == Array(query.utf8))
    }

    @Test("a body with NUL escapes, SQL metacharacters and emoji is kept byte for byte")
    func keepsBytesExactly() throws {
        let harness = try ReceiverHarness()
        let text = #"'); DROP TABLE webhook_requests;-- \u0000 😀 \u202e"#
        let body = Array(#"{"from":{"number":"+31600000001"},"to":{"number":"3669"},"message":{"text":"\#(text)"},"channel":"SMS"}"#.utf8)
        let reply = try harness.post(body: body)
        #expect(reply.status == 200)
        #expect(try harness.query("SELECT body FROM webhook_requests").bytes(0, 0) == body)
        let stored = try harness.query("SELECT text FROM inbound_messages").string(0, 0)
        #expect(stored == "'); DROP TABLE webhook_requests;-- \u{FFFD} 😀 \u{202E}")
    }

    @Test("concurrent requests are all answered 200 and all stored, with and without batching",
          arguments: [true, false])
    func concurrentRequests(batching: Bool) async throws {
        let harness = try ReceiverHarness { $0.ingest.batching = batching }
        let port = harness.port
        let count = 200
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<count {
                group.addTask {
                    let body = Array(#"{"from":{"number":"+3160000\#(index)"},"message":{"text":"n\#(index)"},"channel":"SMS"}"#.utf8)
                    return try RawHTTPClient.post(port: port, path: "/cm/mo", body: body,
                                                  headers: [("X-Forwarded-For", ReceiverHarness.cmClient)]).status
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.count == count)
        #expect(statuses.allSatisfy { $0 == 200 })
        #expect(try harness.count("inbound_messages") == count)
    }
}
