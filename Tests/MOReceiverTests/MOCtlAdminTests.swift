import Foundation
import LibPQ
import MOTestSupport
import Testing

/// moctl's read and repair commands against a real database: messages, status reports, quarantine, config, schema.
@Suite("moctl admin")
struct MOCtlAdminTests {
    /// Inserts a request row as ingest would (dedupe key over endpoint, method and body) and returns its id.
    @discardableResult
    static func request(_ connection: PGConnection, endpoint: String = "mo", body: String, outcome: String = "stored",
                        reason: String? = nil, age: String = "0 seconds") throws -> Int64 {
        let result = try connection.execute("""
            INSERT INTO webhook_requests (endpoint, method, dedupe_key, body, body_sha256, client_ip, peer_ip, outcome,
                                          reason, received_at, content_type)
            VALUES (\(endpoint), 'POST',
                    sha256(convert_to(\(endpoint) || E'\\n' || 'POST' || E'\\n', 'UTF8') || convert_to(\(body), 'UTF8')),
                    convert_to(\(body), 'UTF8'), sha256(convert_to(\(body), 'UTF8')), '31.169.56.10', '127.0.0.1',
                    \(outcome), \(reason), now() - \(age)::interval, 'application/json')
            RETURNING id
            """)
        return Int64(result.int(0, 0) ?? 0)
    }

    static func lines(_ output: String) -> [[String: Any]] {
        output.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test("--config may come first, also before a subcommand of a group with a default subcommand")
    func leadingConfig() throws {
        let config = try MOCtlTests.config(url: try TestDatabase.make())
        let listed = try runBuiltTool("moctl", ["--config", config, "media", "list", "--json"])
        #expect(listed.status == 0, "\(listed.output)")
        let shown = try runBuiltTool("moctl", ["--config=\(config)", "jobs", "show", "999999"])
        #expect(!shown.output.lowercased().contains("unexpected argument"), "\(shown.output)")
        #expect(shown.status == 1, "parsed, ran, and found no such job: \(shown.output)")
    }

    @Test("messages list filters by since, channel, from (any spelling), to and text; show prints one with its media")
    func messages() throws {
        let url = try TestDatabase.make()
        let connection = try PGConnection(parameters: [("dbname", url)])
        for (index, row) in [("SMS", "+31612345678", "+3197010000001", "Where is my ORDER 17?", "1 hour"),
                             ("WhatsApp", "+31612345678", "+3197010000002", "hello", "3 days"),
                             ("WhatsApp", "+32470000000", "+3197010000002", "my order never came", "10 minutes")].enumerated() {
            let id = try Self.request(connection, body: "m\(index)", age: row.4)
            try connection.execute("""
                INSERT INTO inbound_messages (request_id, channel, from_number, to_number, text, groupings, received_at)
                SELECT id, \(row.0), \(row.1), \(row.2), \(row.3), '{}', received_at FROM webhook_requests WHERE id = \(id)
                """)
        }
        let config = try MOCtlTests.config(url: url)
        func ids(_ arguments: [String]) throws -> [String] {
            let run = try runBuiltTool("moctl", ["messages", "list", "--json", "--config", config] + arguments)
            #expect(run.status == 0, "\(run.output)")
            return Self.lines(run.output).compactMap { $0["text"] as? String }
        }
        #expect(try ids([]) == ["my order never came", "Where is my ORDER 17?", "hello"])
        #expect(try ids(["--since", "2h"]) == ["my order never came", "Where is my ORDER 17?"])
        #expect(try ids(["--channel", "whatsapp"]) == ["my order never came", "hello"])
        #expect(try ids(["--from", "0031 6 12345678"]) == ["Where is my ORDER 17?", "hello"])
        #expect(try ids(["--to", "+3197010000001"]) == ["Where is my ORDER 17?"])
        #expect(try ids(["--text", "order", "--channel", "SMS"]) == ["Where is my ORDER 17?"])
        #expect(try ids(["--since", "2020-01-01T00:00:00Z", "--limit", "1"]) == ["my order never came"])
        let bad = try runBuiltTool("moctl", ["messages", "list", "--since", "yesterday", "--config", config])
        #expect(bad.status == 2)
        #expect(bad.output.contains("--since"))

        let id = try connection.execute("SELECT id FROM inbound_messages WHERE text = 'hello'").int(0, 0) ?? 0
        try connection.execute("""
            INSERT INTO media_items (message_id, position, uri, state, expires_at)
            VALUES (\(Int64(id)), 0, 'https://cdn.example/photo.jpg', 'pending', now() + interval '1 day')
            """)
        let shown = try runBuiltTool("moctl", ["messages", "show", "\(id)", "--config", config])
        #expect(shown.status == 0, "\(shown.output)")
        #expect(shown.output.contains("text:      hello"))
        #expect(shown.output.contains("https://cdn.example/photo.jpg"))
        let json = try runBuiltTool("moctl", ["messages", "show", "\(id)", "--json", "--config", config])
        let object = try #require(Self.lines(json.output).first)
        #expect((object["media_items"] as? [Any])?.count == 1)
        let missing = try runBuiltTool("moctl", ["messages", "show", "999999", "--config", config])
        #expect(missing.status == 1)
    }

    @Test("status-reports list filters by status, reference and recipient, and explains the error code")
    func statusReports() throws {
        let url = try TestDatabase.make()
        let connection = try PGConnection(parameters: [("dbname", url)])
        let id = try Self.request(connection, endpoint: "status", body: "<reports/>")
        try connection.execute("""
            INSERT INTO status_reports (request_id, position, form, reference, recipient, code_raw, status, error_code,
                                        custom_groupings, received_at, send_at, status_description)
            VALUES (\(id), 0, 'xml', 'ref-a', '0031612345678', '2', 'delivered', NULL, '{}', now() - interval '2 minutes',
                    NULL, NULL),
                   (\(id), 1, 'xml', 'ref-a', '0031612345678', '3', 'failed', 24, '{}', now() - interval '1 minute',
                    '2026-01-02 03:04:05+00', 'Failed at operator'),
                   (\(id), 2, 'xml', 'ref-b', '0032470000000', '2', 'delivered', NULL, '{}', now() - interval '3 days',
                    NULL, NULL)
            """)
        let config = try MOCtlTests.config(url: url)
        let failed = try runBuiltTool("moctl", ["status-reports", "list", "--status", "failed", "--config", config])
        #expect(failed.status == 0, "\(failed.output)")
        #expect(failed.output.split(separator: "\n").count == 1)
        #expect(failed.output.contains("error 24: Message not delivered because the recipient was unreachable"))
        let byReference = try runBuiltTool("moctl", ["status-reports", "list", "--reference", "ref-a", "--json", "--config", config])
        #expect(Self.lines(byReference.output).map { $0["status"] as? String } == ["failed", "delivered"])
        #expect(Self.lines(byReference.output).first?["status_description"] as? String == "Failed at operator")
        #expect((Self.lines(byReference.output).first?["send_at"] as? String)?.hasPrefix("2026-01-02T03:04:05") == true)
        #expect(failed.output.contains("(Failed at operator)"))
        let recent = try runBuiltTool("moctl", ["status-reports", "list", "--since", "1h", "--recipient", "+31 6 12345678",
                                                "--json", "--config", config])
        #expect(Self.lines(recent.output).count == 2)
        let wrong = try runBuiltTool("moctl", ["status-reports", "list", "--status", "lost", "--config", config])
        #expect(wrong.status == 2)
    }

    @Test("quarantine: list and show; replay stores what parses now through the ingest path; drop needs --yes")
    func quarantine() throws {
        let url = try TestDatabase.make()
        let connection = try PGConnection(parameters: [("dbname", url)])
        // A body an older parser refused but today's understands, and one that is still malformed.
        let good = #"{"from":{"number":"+31612345678"},"to":{"number":"+3197010000001"},"message":{"text":"hello again"},"channel":"SMS"}"#
        let goodID = try Self.request(connection, body: good, outcome: "quarantined", reason: "an older parser refused it",
                                      age: "1 hour")
        let badID = try Self.request(connection, body: #"{"message":{"text":"no sender"}}"#, outcome: "quarantined",
                                     reason: "MO payload has no from.number", age: "2 hours")
        let originalKey = try connection.execute("SELECT encode(dedupe_key, 'hex') FROM webhook_requests WHERE id = \(goodID)").string(0, 0)
        let config = try MOCtlTests.config(url: url)

        let listed = try runBuiltTool("moctl", ["quarantine", "list", "--json", "--config", config])
        #expect(listed.status == 0, "\(listed.output)")
        #expect(Self.lines(listed.output).compactMap { $0["id"] as? Int } == [Int(goodID), Int(badID)])
        let shown = try runBuiltTool("moctl", ["quarantine", "show", "\(badID)", "--config", config])
        #expect(shown.output.contains("MO payload has no from.number"))
        #expect(shown.output.contains("no sender"))
        let body = try runBuiltTool("moctl", ["quarantine", "show", "\(goodID)", "--body", "--config", config])
        #expect(body.output == good)

        let replayed = try runBuiltTool("moctl", ["quarantine", "replay", "\(goodID)", "\(badID)", "--config", config])
        #expect(replayed.status == 0, "\(replayed.output)")
        #expect(replayed.output.contains("\(goodID): stored as request"))
        #expect(replayed.output.contains("\(badID): still malformed: MO payload has no from.number"))
        let message = try connection.execute("SELECT text, request_id FROM inbound_messages")
        #expect(message.rowCount == 1)
        #expect(message.string(0, 0) == "hello again")
        let storedID = Int64(message.int(0, 1) ?? 0)
        let stored = try connection.execute("""
            SELECT outcome, encode(dedupe_key, 'hex'), convert_from(body, 'UTF8') FROM webhook_requests WHERE id = \(storedID)
            """)
        #expect(stored.string(0, 0) == "stored")
        // The stored copy owns the delivery's key: CM's next retry of these bytes is a duplicate of it.
        #expect(stored.string(0, 1) == originalKey)
        #expect(stored.string(0, 2) == good)
        // Routed by today's config, as the listener would: one dispatch job for the one route's handler.
        let jobs = try connection.execute("""
            SELECT j.unique_key FROM jobs j JOIN inbound_messages m ON m.id = (j.args->>'id')::bigint
            WHERE j.kind = 'dispatch' AND m.request_id = \(String(storedID))
            """)
        #expect((0..<jobs.rowCount).map { jobs.string($0, 0) ?? "" }.map { $0.hasPrefix("dispatch:mo:") && $0.hasSuffix(":log") } == [true])
        let marked = try connection.execute("SELECT replayed_request_id, replayed_at IS NOT NULL FROM webhook_requests WHERE id = \(goodID)")
        #expect(marked.int(0, 0).map(Int64.init) == storedID)
        #expect(marked.bool(0, 1) == true)
        let open = try runBuiltTool("moctl", ["quarantine", "list", "--json", "--config", config])
        #expect(Self.lines(open.output).compactMap { $0["id"] as? Int } == [Int(badID)])
        let again = try runBuiltTool("moctl", ["quarantine", "replay", "\(goodID)", "--config", config])
        #expect(again.output.contains("replayed before"))
        #expect(try connection.execute("SELECT count(*) FROM inbound_messages").int(0, 0) == 1)

        let unconfirmed = try runBuiltTool("moctl", ["quarantine", "drop", "\(badID)", "--config", config])
        #expect(unconfirmed.status == 2)
        #expect(unconfirmed.output.contains("--yes"))
        #expect(try connection.execute("SELECT dropped_at IS NULL FROM webhook_requests WHERE id = \(badID)").bool(0, 0) == true)
        let dropped = try runBuiltTool("moctl", ["quarantine", "drop", "\(badID)", "--yes", "--config", config])
        #expect(dropped.status == 0, "\(dropped.output)")
        #expect(try connection.execute("SELECT dropped_at IS NOT NULL FROM webhook_requests WHERE id = \(badID)").bool(0, 0) == true)
        let none = try runBuiltTool("moctl", ["quarantine", "list", "--config", config])
        #expect(none.output.contains("no quarantined requests"))
        let deleted = try runBuiltTool("moctl", ["quarantine", "drop", "\(badID)", "--delete", "--yes", "--config", config])
        #expect(deleted.status == 0, "\(deleted.output)")
        #expect(try connection.execute("SELECT count(*) FROM webhook_requests WHERE id = \(badID)").int(0, 0) == 0)
    }

    @Test("check-config: a good file is 0, a bad one is 1 naming the key")
    func checkConfig() throws {
        let good = try MOCtlTests.config(url: "postgresql://127.0.0.1:1/nowhere")
        let ok = try runBuiltTool("moctl", ["check-config", "--config", good])
        #expect(ok.status == 0, "\(ok.output)")
        #expect(ok.output.hasPrefix("ok: "))
        let bad = try MOCtlTests.config(url: "postgresql://127.0.0.1:1/nowhere", extra: "\n[retention]\nraw_payloads_days = 7\n")
        let refused = try runBuiltTool("moctl", ["check-config", "--config", bad])
        #expect(refused.status == 1)
        #expect(refused.output.contains("retention.raw_payloads_days"))
        let json = try runBuiltTool("moctl", ["check-config", "--json", "--config", bad])
        #expect(json.status == 1)
        #expect(Self.lines(json.output).first?["key"] as? String == "retention.raw_payloads_days")
    }

    @Test("migrate --dry-run lists what is pending and applies nothing; until migrated, other commands exit 3")
    func migrateDryRun() throws {
        let url = try TestDatabase.makeEmpty()
        let config = try MOCtlTests.config(url: url)
        let dry = try runBuiltTool("moctl", ["migrate", "--dry-run", "--config", config])
        #expect(dry.status == 0, "\(dry.output)")
        #expect(dry.output.contains("pending 0001_create_ingest_tables"))
        #expect(dry.output.contains("pending 0007_add_retention_and_quarantine_replay"))
        let json = try runBuiltTool("moctl", ["migrate", "--dry-run", "--json", "--config", config])
        let pending = try #require(Self.lines(json.output).first?["pending"] as? [String])
        #expect(pending.first == "0001_create_ingest_tables")
        #expect(pending.contains("0007_add_retention_and_quarantine_replay"))
        let connection = try PGConnection(parameters: [("dbname", url)])
        #expect(try connection.execute("SELECT count(*) FROM schema_migrations").int(0, 0) == 0)
        #expect(try connection.execute("SELECT to_regclass('webhook_requests') IS NULL").bool(0, 0) == true)
        for arguments in [["status"], ["messages", "list"], ["quarantine", "list"], ["purge", "--dry-run"]] {
            let refused = try runBuiltTool("moctl", arguments + ["--config", config])
            #expect(refused.status == 3, "moctl \(arguments.joined(separator: " ")): \(refused.output)")
            #expect(refused.output.contains("migration(s) pending"))
        }
        let applied = try runBuiltTool("moctl", ["migrate", "--config", config])
        #expect(applied.status == 0, "\(applied.output)")
        #expect(try runBuiltTool("moctl", ["status", "--config", config]).status == 0)
    }

    @Test("migrate turns route jobs an earlier version left into dispatch jobs with the config's routes, once")
    func migrateConvertsRouteJobs() throws {
        let url = try TestDatabase.make()
        let config = try MOCtlTests.config(url: url)
        let connection = try PGConnection(parameters: [("dbname", url)])
        let request = try Self.request(connection, body: "route me")
        let message = try #require(try connection.execute("""
            INSERT INTO inbound_messages (request_id, channel, from_number, text, groupings, received_at)
            VALUES (\(request), 'SMS', '+31612345678', 'hi', '{}', now()) RETURNING id
            """).int(0, 0))
        try connection.execute("""
            INSERT INTO jobs (kind, args, unique_key, priority)
            VALUES ('route', jsonb_build_object('request_id', \(request)::bigint), 'route:' || \(request)::bigint, 1)
            """)
        let run = try runBuiltTool("moctl", ["migrate", "--config", config])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("converted 1 route job(s) into 1 dispatch job(s)"), "\(run.output)")
        let jobs = try connection.execute("SELECT kind, unique_key, args->>'handler' FROM jobs")
        #expect(jobs.rowCount == 1)
        #expect(jobs.string(0, 0) == "dispatch" && jobs.string(0, 1) == "dispatch:mo:\(message):log" && jobs.string(0, 2) == "log")
        let again = try runBuiltTool("moctl", ["migrate", "--config", config])
        #expect(again.status == 0 && !again.output.contains("converted"), "nothing left to convert: \(again.output)")
    }

    @Test("an unreachable database is exit 3")
    func unreachable() throws {
        let config = try MOCtlTests.config(url: "postgresql://127.0.0.1:1/nowhere?connect_timeout=2")
        for arguments in [["status"], ["migrate"], ["messages", "list"], ["purge"]] {
            let run = try runBuiltTool("moctl", arguments + ["--config", config])
            #expect(run.status == 3, "moctl \(arguments.joined(separator: " ")): \(run.output)")
            #expect(run.output.contains("cannot reach the database"))
        }
    }
}
