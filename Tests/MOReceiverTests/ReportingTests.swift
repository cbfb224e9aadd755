import Foundation
import LibPQ
import MOReceiver
import MOStore
import MOTestSupport
import Testing

/// The reporting views (migrations/0006, docs/reporting.md) over a small known dataset: MO, status reports and
/// quarantined payloads posted to the real daemon over HTTP; auto-replies, sends and opt-outs written through the
/// stores the auto_reply handler uses (they need CM's send API otherwise).
@Suite("Reporting views answer the operators' questions, and docs/reporting.md runs as written")
struct ReportingTests {
    /// What `ingest` stored, for the assertions.
    struct Dataset {
        let smsMessageIDs: [Int64]
        let whatsAppTextID: Int64
    }

    /// Posts the dataset. SMS: 3 messages to 3669 from 3 customers; WhatsApp: the text and the media fixture (its
    /// media item stays pending, its 2019 deadline long past); 3 auto-replies to the SMS messages (one delivered and
    /// read, one failed with error 24, one without any report), 1 skip, 1 opt-out; 2 malformed MO bodies, one of
    /// them delivered twice.
    static func ingest(_ harness: ReceiverHarness) throws -> Dataset {
        var smsIDs: [Int64] = []
        for customer in 1...3 {
            let body = #"{"from":{"number":"+3161234567\#(customer)"},"to":{"number":"3669"},"message":{"text":"hello \#(customer)"},"channel":"SMS"}"#
            let reply = try harness.post(body: Array(body.utf8))
            #expect(reply.status == 200)
            let requestID = try #require(fields(reply)["id"] as? Int)
            smsIDs.append(try messageID(harness, requestID: requestID))
        }
        let text = try harness.post(body: try fixture("mo/whatsapp-text.json"))
        let whatsAppTextID = try messageID(harness, requestID: try #require(fields(text)["id"] as? Int))
        #expect(try harness.post(body: try fixture("mo/whatsapp-media.json")).status == 200)

        let connection = try LibPQConnect.open(harness.databaseURL)
        let outbound = OutboundStore(connection: connection)
        let replies = AutoReplyStore(connection: connection)
        let sends = [("order-1001", "0031612345678"), ("my_reference_124", "0031612345679"), ("not-reported-yet", "0031612345673")]
        for ((reference, recipient), messageID) in zip(sends, smsIDs) {
            let id = try outbound.insert(.init(reference: reference, recipient: recipient, sender: "3669", channel: "SMS",
                                               body: "Thanks!", origin: "auto_reply", handler: "auto",
                                               inboundMessageID: messageID))
            try replies.recordReply(messageID: messageID, handler: "auto", rule: "default", outboundMessageID: id)
            try outbound.recordAttempt(id: id, state: "accepted", errorCode: nil, details: nil, response: "{}", parts: 1)
        }
        try replies.recordSkip(messageID: whatsAppTextID, handler: "auto", reason: "the customer opted out")
        #expect(try replies.optOut(number: "+31612345673", channel: "SMS", keyword: "stop", messageID: smsIDs[2],
                                   source: "keyword"))

        // order-1001: accepted, delivered, read; my_reference_124: failed with error code 24.
        for path in ["status/xml-multiple.xml", "status/xml-current.xml"] {
            #expect(try harness.post("/cm/status", body: try fixture(path), contentType: "application/xml").status == 200)
        }
        let noSender = try fixture("mo/malformed-no-sender.json")
        for body in [noSender, noSender, try fixture("mo/malformed-form-encoded.txt")] {
            let reply = try harness.post(body: body)
            #expect(reply.status == 200 && fields(reply)["result"] as? String == "quarantined")
        }
        return Dataset(smsMessageIDs: smsIDs, whatsAppTextID: whatsAppTextID)
    }

    static func messageID(_ harness: ReceiverHarness, requestID: Int) throws -> Int64 {
        Int64(try #require(try harness.query("SELECT id FROM inbound_messages WHERE request_id = \(requestID)").int(0, 0)))
    }

    @Test("inbound volume per channel and number is what was posted")
    func inboundDaily() throws {
        let harness = try ReceiverHarness { $0.media.enabled = false }
        _ = try Self.ingest(harness)
        let rows = try harness.query("""
            SELECT channel, to_number, messages, senders FROM reporting.inbound_daily
            WHERE day = reporting.today() ORDER BY channel, to_number
            """)
        #expect(rows.rowCount == 3)
        #expect([rows.string(0, 0), rows.string(0, 1), rows.string(0, 2), rows.string(0, 3)] == ["SMS", "3669", "3", "3"])
        #expect([rows.string(1, 0), rows.string(1, 1), rows.string(1, 2)] == ["WhatsApp", "00316012345678", "1"])
        #expect([rows.string(2, 0), rows.string(2, 1), rows.string(2, 2)] == ["WhatsApp", "3669", "1"])
    }

    @Test("the delivery funnel counts each reply once at every stage it reached, by precedence")
    func deliveryFunnel() throws {
        let harness = try ReceiverHarness { $0.media.enabled = false }
        _ = try Self.ingest(harness)
        let row = try harness.query("""
            SELECT sent, send_refused, accepted, delivered, read, failed, rejected, unreported
            FROM reporting.delivery_funnel_daily
            WHERE day = reporting.today() AND channel = 'SMS' AND origin = 'auto_reply'
            """)
        #expect(row.rowCount == 1)
        #expect((0..<8).map { row.int(0, $0) } == [3, 0, 1, 1, 1, 1, 0, 1])
    }

    @Test("a failure reason is joined to its error_codes description")
    func deliveryFailures() throws {
        let harness = try ReceiverHarness { $0.media.enabled = false }
        _ = try Self.ingest(harness)
        let row = try harness.query("""
            SELECT status, error_code, short_description, temporary, reports, messages, description
            FROM reporting.delivery_failures WHERE day = reporting.today()
            """)
        #expect(row.rowCount == 1)
        #expect(row.string(0, 0) == "failed")
        #expect(row.int(0, 1) == 24)
        #expect(row.string(0, 2) == "Message not delivered because the recipient was unreachable")
        #expect(row.bool(0, 3) == true)
        #expect(row.int(0, 4) == 1 && row.int(0, 5) == 1)
        #expect(row.string(0, 6)?.hasPrefix("Temporary - Used when a message is undeliverable") == true)
    }

    @Test("auto-reply response times run from the message's commit to CM accepting the reply")
    func autoReplyResponseTimes() throws {
        let harness = try ReceiverHarness { $0.media.enabled = false }
        let dataset = try Self.ingest(harness)
        let daily = try harness.query("""
            SELECT channel, replies, skipped, accepted, p50_seconds >= 0, max_seconds >= p50_seconds
            FROM reporting.auto_reply_response_daily WHERE day = reporting.today() AND handler = 'auto'
            ORDER BY channel
            """)
        #expect(daily.rowCount == 2)
        #expect([daily.string(0, 0), daily.string(0, 1), daily.string(0, 2), daily.string(0, 3)] == ["SMS", "3", "0", "3"])
        #expect(daily.bool(0, 4) == true && daily.bool(0, 5) == true)
        #expect([daily.string(1, 0), daily.string(1, 1), daily.string(1, 2), daily.string(1, 3)] == ["WhatsApp", "0", "1", "0"])
        // Each reply's time is exactly its outbound row's last attempt minus the message's storage time.
        let exact = try harness.query("""
            SELECT bool_and(r.response_seconds = extract(epoch FROM o.last_attempt_at - m.received_at)), count(*)
            FROM reporting.auto_reply_responses r
            JOIN outbound_messages o ON o.id = r.outbound_message_id
            JOIN inbound_messages m ON m.id = r.inbound_message_id
            """)
        #expect(exact.bool(0, 0) == true && exact.int(0, 1) == 3)
        let skip = try harness.query("""
            SELECT decision, reason, response_seconds IS NULL FROM reporting.auto_reply_responses
            WHERE inbound_message_id = \(dataset.whatsAppTextID)
            """)
        #expect([skip.string(0, 0), skip.string(0, 1)] == ["skip", "the customer opted out"])
        #expect(skip.bool(0, 2) == true)
    }

    @Test("media backlog, opt-outs and quarantine count what was ingested")
    func mediaOptOutsQuarantine() throws {
        let harness = try ReceiverHarness { $0.media.enabled = false }
        _ = try Self.ingest(harness)
        let media = try harness.query("SELECT state, items, past_deadline, expiring_7d FROM reporting.media_backlog")
        #expect(media.rowCount == 1)
        #expect([media.string(0, 0), media.string(0, 1), media.string(0, 2), media.string(0, 3)] == ["pending", "1", "1", "0"])
        let expiry = try harness.query("SELECT day::text, state, items FROM reporting.media_expiries_daily")
        #expect([expiry.string(0, 0), expiry.string(0, 1), expiry.string(0, 2)] == ["2019-12-05", "pending", "1"])

        let optouts = try harness.query("SELECT channel, source, keyword, optouts FROM reporting.optouts_daily WHERE day = reporting.today()")
        #expect(optouts.rowCount == 1)
        #expect([optouts.string(0, 0), optouts.string(0, 1), optouts.string(0, 2), optouts.string(0, 3)] == ["SMS", "keyword", "STOP", "1"])

        let quarantine = try harness.query("""
            SELECT endpoint, reason_class, requests, deliveries FROM reporting.quarantine_by_reason
            WHERE day = reporting.today() ORDER BY reason_class
            """)
        #expect(quarantine.rowCount == 2)
        #expect([quarantine.string(0, 0), quarantine.string(0, 1), quarantine.string(0, 2), quarantine.string(0, 3)]
                == ["mo", "MO payload has no from.number", "1", "2"])
        #expect([quarantine.string(1, 1), quarantine.string(1, 2), quarantine.string(1, 3)]
                == ["MO payload is not valid JSON", "1", "1"])

        // A request an operator replayed or dropped has left quarantine, and the view.
        _ = try harness.query("UPDATE webhook_requests SET dropped_at = now() WHERE reason LIKE 'MO payload is not valid JSON%'")
        #expect(try harness.query("SELECT sum(requests) FROM reporting.quarantine_by_reason").int(0, 0) == 1)
        _ = try harness.query("UPDATE webhook_requests SET replayed_at = now() WHERE outcome = 'quarantined' AND dropped_at IS NULL")
        #expect(try harness.query("SELECT count(*) FROM reporting.quarantine_by_reason").int(0, 0) == 0)
    }

    @Test("every sql block of docs/reporting.md runs, and the read-only role it grants sees views but no tables")
    func documentationRuns() throws {
        let harness = try ReceiverHarness { $0.media.enabled = false }
        _ = try Self.ingest(harness)
        let blocks = try Self.documentedSQL()
        #expect(blocks.count >= 10)
        let connection = try LibPQConnect.open(harness.databaseURL)
        var results: [String: PGResult] = [:]
        for block in blocks {
            do {
                results[block] = try connection.execute(script: block)
            } catch {
                Issue.record("docs/reporting.md block failed: \(error.debugDescription)\n\(block)")
            }
        }
        // The seven-day inbound example answers with what was posted.
        let weekly = try #require(results.first { $0.key.contains("reporting.inbound_daily") && $0.key.contains("GROUP BY channel") }?.value)
        #expect(weekly.rowCount == 2)
        #expect([weekly.string(0, 0), weekly.string(0, 1), weekly.string(1, 0), weekly.string(1, 1)]
                == ["SMS", "3", "WhatsApp", "2"])

        // The role the documentation creates: reporting views yes, tables no, writes no.
        let reader = try PGConnection(parameters: [("dbname", harness.databaseURL), ("user", "mo_reports")])
        #expect(try reader.execute("SELECT sum(messages) FROM reporting.inbound_daily").int(0, 0) == 5)
        for table in ["inbound_messages", "webhook_requests", "outbound_messages"] {
            do {
                _ = try reader.execute(Query(unsafeSQL: "SELECT count(*) FROM \(table)"))
                Issue.record("the reporting role could read table \(table)")
            } catch {
                #expect(error.sqlState == "42501", "insufficient privilege")
            }
        }
        do {
            _ = try reader.execute(script: "CREATE TEMP TABLE scratch (x int)")
            Issue.record("the reporting role could write")
        } catch {
            #expect(error.sqlState == "25006", "read-only transaction")
        }
    }

    /// The reporting API as released: a later version may append columns or add views, never rename, reorder or
    /// drop (docs/reporting.md, "The promise").
    static let releasedColumns: [String: [String]] = [
        "inbound_daily": ["day", "channel", "to_number", "messages", "senders"],
        "delivery_funnel_daily": ["day", "channel", "origin", "sent", "send_refused", "accepted", "delivered", "read",
                                  "failed", "rejected", "unreported"],
        "delivery_failures": ["day", "channel", "status", "error_code", "short_description", "temporary", "reports",
                              "messages", "reported_description", "description"],
        "auto_reply_responses": ["inbound_message_id", "day", "handler", "channel", "decision", "rule", "reason",
                                 "outbound_message_id", "send_state", "received_at", "decided_at", "replied_at",
                                 "response_seconds"],
        "auto_reply_response_daily": ["day", "handler", "channel", "replies", "skipped", "accepted", "p50_seconds",
                                      "p90_seconds", "p99_seconds", "max_seconds"],
        "media_backlog": ["state", "items", "past_deadline", "expiring_24h", "expiring_7d", "next_expires_at",
                          "oldest_created_at", "size_bytes"],
        "media_expiries_daily": ["day", "state", "items"],
        "optouts_daily": ["day", "channel", "source", "keyword", "optouts"],
        "quarantine_by_reason": ["day", "endpoint", "reason_class", "requests", "deliveries", "example_reason",
                                 "last_seen_at"],
    ]

    @Test("every released view keeps its columns in order, and every view and column is documented by a comment")
    func viewsAreStable() throws {
        let url = try TestDatabase.make()
        let connection = try LibPQConnect.open(url)
        let columns = try connection.execute("""
            SELECT c.table_name, c.column_name, col_description(format('reporting.%I', c.table_name)::regclass,
                                                                 c.ordinal_position) IS NOT NULL
            FROM information_schema.columns c
            WHERE c.table_schema = 'reporting'
            ORDER BY c.table_name, c.ordinal_position
            """)
        var actual: [String: [String]] = [:]
        for row in 0..<columns.rowCount {
            actual[columns.string(row, 0) ?? "", default: []].append(columns.string(row, 1) ?? "")
            #expect(columns.bool(row, 2) == true, "reporting.\(columns.string(row, 0) ?? "").\(columns.string(row, 1) ?? "") has no COMMENT")
        }
        for (view, released) in Self.releasedColumns {
            let now = actual[view] ?? []
            #expect(Array(now.prefix(released.count)) == released, "reporting.\(view) changed its released columns")
        }
        let documentation = try String(contentsOf: Self.documentationURL, encoding: .utf8)
        for view in actual.keys {
            #expect(documentation.contains("`reporting.\(view)`"), "reporting.\(view) is not in docs/reporting.md")
        }
        let undocumented = try connection.execute("""
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'reporting' AND c.relkind = 'v' AND obj_description(c.oid, 'pg_class') IS NULL
            """)
        #expect(undocumented.rowCount == 0)
    }

    static let documentationURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/reporting.md")

    /// The ```sql blocks of docs/reporting.md, in order.
    static func documentedSQL() throws -> [String] {
        let text = try String(contentsOf: documentationURL, encoding: .utf8)
        var blocks: [String] = []
        var current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```sql" {
                current = []
            } else if current != nil, line.hasPrefix("```") {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }
}
