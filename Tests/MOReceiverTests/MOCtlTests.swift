import Foundation
import LibPQ
import MOTestSupport
import Testing

/// moctl run as an operator runs it: the built binary, a config file, a real database.
@Suite("moctl")
struct MOCtlTests {
    static func config(url: String, extra: String = "") throws -> String {
        let path = NSTemporaryDirectory() + "moctl-\(UUID().uuidString).toml"
        try """
            [database]
            url = "\(url)"

            [[handlers]]
            name = "log"
            type = "log"

            [[handlers]]
            name = "audit"
            type = "log"

            [[routes]]
            handlers = ["log"]
            \(extra)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The subcommand names a `--help` screen lists under SUBCOMMANDS (ArgumentParser writes them from the
    /// command's configuration, so this walks the real tree).
    static func subcommands(inHelp output: String) -> [String] {
        guard let section = output.range(of: "SUBCOMMANDS:") else { return [] }
        var names: [String] = []
        for line in output[section.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).dropFirst() {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { if names.isEmpty { continue } else { break } }
            // "  name    abstract" or "  name (default)   abstract"; continuation lines are indented further.
            guard line.hasPrefix("  "), let first = line.dropFirst(2).first, first.isLetter else { continue }
            let name = line.dropFirst(2).prefix { $0.isLetter || $0.isNumber || $0 == "-" }
            if name != "help" { names.append(String(name)) }
        }
        return names
    }

    @Test("every subcommand, found recursively from the command tree, explains itself with --help and an example")
    func helpEverywhere() throws {
        var pending: [[String]] = [[]]
        var seen: [[String]] = []
        while let path = pending.popLast() {
            let (status, output) = try runBuiltTool("moctl", path + ["--help"])
            #expect(status == 0, "moctl \(path.joined(separator: " ")) --help exited \(status)")
            #expect(output.contains("USAGE"), "moctl \(path.joined(separator: " ")) --help")
            #expect(output.contains("Example"), "moctl \(path.joined(separator: " ")) --help shows no example")
            seen.append(path)
            pending += Self.subcommands(inHelp: output).map { path + [$0] }
        }
        let names = Set(seen.map { $0.joined(separator: " ") })
        // The issue's list, so a subcommand that disappears from the tree fails here.
        for required in ["status", "check-config", "migrate", "messages list", "messages show", "status-reports list",
                         "quarantine list", "quarantine show", "quarantine replay", "quarantine drop", "jobs list",
                         "jobs show", "jobs retry", "jobs discard", "jobs counts", "media list", "media show", "media retry",
                         "media fetch-now", "media path", "replay",
                         "send", "optouts list", "optouts add", "optouts remove", "purge", "outbound show"] {
            #expect(names.contains(required), "moctl \(required) is missing from the command tree")
        }
        #expect(seen.count >= 30)
    }

    @Test("the root help documents the exit codes")
    func exitCodesDocumented() throws {
        let (_, output) = try runBuiltTool("moctl", ["--help"])
        let text = output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("0 ok, 1 failure, 2 usage error"))
        #expect(text.contains("3 not ready"))
    }

    @Test("jobs shows counts, the dead letter, one job's history, and retry brings a discarded job back")
    func jobs() throws {
        let url = try TestDatabase.make()
        let connection = try PGConnection(parameters: [("dbname", url)])
        try connection.execute(script: """
            INSERT INTO jobs (kind, args, state, attempt, max_attempts, finalized_at, errors, unique_key)
            VALUES ('dispatch', '{"item":"mo","id":1,"handler":"log"}', 'discarded', 3, 3, now(),
                    '[{"at":"2026-11-29T10:00:00Z","attempt":3,"by":"h","error":"the CRM said 400"}]', 'k1'),
                   ('route', '{"request_id":5}', 'available', 0, 20, NULL, '[]', 'k2');
            """)
        let config = try Self.config(url: url)
        let counts = try runBuiltTool("moctl", ["jobs", "--config", config])
        #expect(counts.status == 0)
        #expect(counts.output.contains("dispatch") && counts.output.contains("discarded"))
        let dead = try runBuiltTool("moctl", ["jobs", "list", "--state", "discarded", "--json", "--config", config])
        #expect(dead.status == 0)
        let line = try #require(dead.output.split(separator: "\n").first)
        let job = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(job["state"] as? String == "discarded")
        let id = try #require(job["id"] as? Int)
        let shown = try runBuiltTool("moctl", ["jobs", "show", "\(id)", "--config", config])
        #expect(shown.output.contains("the CRM said 400"))
        let retried = try runBuiltTool("moctl", ["jobs", "retry", "--discarded", "--config", config])
        #expect(retried.status == 0)
        #expect(retried.output.contains("1 job(s) queued again"))
        let row = try connection.execute("SELECT state::text, max_attempts FROM jobs WHERE id = \(Int64(id))")
        #expect(row.string(0, 0) == "available")
        #expect(row.int(0, 1) == 4)
        let wrong = try runBuiltTool("moctl", ["jobs", "list", "--state", "sleeping", "--config", config])
        #expect(wrong.status != 0)
        #expect(wrong.output.contains("--state must be one of"))
    }

    @Test("replay queues the routed handlers again, or exactly the ones named")
    func replay() throws {
        let url = try TestDatabase.make()
        let connection = try PGConnection(parameters: [("dbname", url)])
        try connection.execute(script: """
            INSERT INTO webhook_requests (endpoint, method, dedupe_key, body, body_sha256, client_ip, peer_ip, outcome)
            VALUES ('mo', 'POST', '\\x01', '\\x7b7d', '\\x01', '31.169.56.10', '127.0.0.1', 'stored');
            INSERT INTO inbound_messages (request_id, channel, from_number, text, groupings, received_at)
            SELECT id, 'SMS', '+31612345678', 'hi', '{}', now() FROM webhook_requests;
            INSERT INTO jobs (kind, args, state, attempt, finalized_at, unique_key)
            SELECT 'dispatch', jsonb_build_object('item', 'mo', 'id', id, 'handler', 'log'), 'completed', 1, now(),
                   'dispatch:mo:' || id || ':log'
            FROM inbound_messages;
            """)
        let messageID = try connection.execute("SELECT id FROM inbound_messages").int(0, 0) ?? 0
        let config = try Self.config(url: url)
        let routed = try runBuiltTool("moctl", ["replay", "\(messageID)", "--config", config])
        #expect(routed.status == 0, "\(routed.output)")
        #expect(routed.output.contains("queued log"))
        let named = try runBuiltTool("moctl", ["replay", "\(messageID)", "--handler", "audit", "--config", config])
        #expect(named.output.contains("queued audit"))
        let jobs = try connection.execute("SELECT args->>'handler', state::text, attempt FROM jobs ORDER BY 1")
        #expect((0..<jobs.rowCount).map { "\(jobs.string($0, 0)!)=\(jobs.string($0, 1)!)/\(jobs.int($0, 2)!)" }
                == ["audit=available/0", "log=available/0"])
        let unknown = try runBuiltTool("moctl", ["replay", "\(messageID)", "--handler", "nope", "--config", config])
        #expect(unknown.status == 2)
        #expect(unknown.output.contains("'nope' is not a configured handler"))
    }

    @Test("status shows media at risk, and media list --at-risk names them; retry --failed queues failed items")
    func mediaAtRisk() throws {
        let url = try TestDatabase.make()
        let connection = try PGConnection(parameters: [("dbname", url)])
        try connection.execute(script: """
            INSERT INTO webhook_requests (endpoint, method, dedupe_key, body, body_sha256, client_ip, peer_ip, outcome)
            VALUES ('mo', 'POST', '\\x03', '\\x7b7d', '\\x03', '31.169.56.10', '127.0.0.1', 'stored');
            INSERT INTO inbound_messages (request_id, channel, from_number, text, groupings, received_at)
            SELECT id, 'WhatsApp', '+31612345678', 'photo', '{}', now() FROM webhook_requests;
            INSERT INTO media_items (message_id, position, uri, state, expires_at, last_error)
            SELECT id, 0, 'https://cdn-1.messaging.cm.com/a', 'pending', now() + interval '2 hours', 'timed out' FROM inbound_messages
            UNION ALL
            SELECT id, 1, 'https://cdn-1.messaging.cm.com/b', 'pending', now() + interval '20 days', NULL FROM inbound_messages
            UNION ALL
            SELECT id, 2, 'https://evil.example/c', 'failed', now() + interval '20 days', 'media URL refused' FROM inbound_messages;
            """)
        let config = try Self.config(url: url)
        let status = try runBuiltTool("moctl", ["status", "--config", config])
        #expect(status.status == 0, "\(status.output)")
        #expect(status.output.contains("media at risk:        1"), "\(status.output)")
        let listed = try runBuiltTool("moctl", ["media", "list", "--at-risk", "--json", "--config", config])
        let lines = listed.output.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("cdn-1.messaging.cm.com/a") == true)
        let retried = try runBuiltTool("moctl", ["media", "retry", "--failed", "--config", config])
        #expect(retried.output.contains("1 media item(s) queued"), "\(retried.output)")
        let job = try connection.execute("SELECT count(*) FROM jobs WHERE kind = 'media_fetch' AND state = 'available'")
        #expect(job.int(0, 0) == 1)
        let state = try connection.execute("SELECT state FROM media_items WHERE position = 2")
        #expect(state.string(0, 0) == "pending")
    }

    @Test("outbound show prints a message's current status and its whole report history, by precedence")
    func outboundHistory() throws {
        let url = try TestDatabase.make()
        let connection = try PGConnection(parameters: [("dbname", url)])
        try connection.execute(script: """
            INSERT INTO outbound_messages (reference, recipient, channel, body) VALUES ('ref-1', '+31612345678', 'SMS', 'hello');
            INSERT INTO webhook_requests (endpoint, method, dedupe_key, body, body_sha256, client_ip, peer_ip, outcome)
            VALUES ('status', 'POST', '\\x02', '\\x3c3e', '\\x02', '31.169.56.10', '127.0.0.1', 'stored');
            INSERT INTO status_reports (request_id, position, form, reference, recipient, code_raw, status, error_code,
                                        custom_groupings, reported_at, received_at)
            SELECT id, p, 'xml', 'ref-1', '0031612345678', c, s, e, '{}', t, t
            FROM webhook_requests,
                 (VALUES (0, '2', 'delivered', NULL::int, timestamptz '2026-11-29 10:00:02Z'),
                         (1, '0', 'accepted', NULL, timestamptz '2026-11-29 10:00:03Z'),
                         (2, '3', 'failed', 24, timestamptz '2026-11-29 10:00:04Z')) AS r(p, c, s, e, t);
            """)
        let id = try connection.execute("SELECT id FROM outbound_messages").int(0, 0) ?? 0
        let config = try Self.config(url: url)
        let shown = try runBuiltTool("moctl", ["outbound", "show", "\(id)", "--config", config])
        #expect(shown.status == 0, "\(shown.output)")
        let lines = shown.output.split(separator: "\n")
        #expect(lines.first?.contains("outbound \(id): failed") == true, "\(shown.output)")
        #expect(lines.count == 4)
        #expect(lines[1].contains("delivered") && lines[2].contains("accepted") && lines[3].contains("failed"))
        #expect(lines[3].contains("error 24: Message not delivered because the recipient was unreachable"))
        let json = try runBuiltTool("moctl", ["outbound", "show", "--reference", "ref-1", "--json", "--config", config])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "failed")
        #expect((object["reports"] as? [Any])?.count == 3)
    }
}
