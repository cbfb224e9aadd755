import Foundation
import LibPQ
import MOTestSupport
import Testing

/// `moctl purge` against a real database: exactly what is older than the configured ages goes, in batches; what
/// is younger, or still needed, stays.
@Suite("Retention")
struct RetentionTests {
    static let sha = String(repeating: "ab", count: 32)
    static let otherSha = String(repeating: "cd", count: 32)

    @Test("purge deletes exactly what is older than the configured ages, in batches, and keeps what is still needed")
    func purge() throws {
        let url = try TestDatabase.make()
        let connection = try PGConnection(parameters: [("dbname", url)])
        let media = NSTemporaryDirectory() + "retention-\(UUID().uuidString)"
        let oldFile = "\(Self.sha.prefix(2))/\(Self.sha.dropFirst(2).prefix(2))/\(Self.sha).jpg"
        let newFile = "\(Self.otherSha.prefix(2))/\(Self.otherSha.dropFirst(2).prefix(2))/\(Self.otherSha).jpg"
        for file in [oldFile, newFile] {
            try FileManager.default.createDirectory(atPath: media + "/" + (file as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try Data("x".utf8).write(to: URL(fileURLWithPath: media + "/" + file))
        }
        // 250 old events (more than two batches of 100), and a small world of everything else.
        let old = "500 days"
        for index in 0..<250 {
            let id = try MOCtlAdminTests.request(connection, endpoint: "event", body: "event \(index)", age: old)
            try connection.execute("""
                INSERT INTO events (request_id, channel, type, from_number, groupings, event, received_at)
                SELECT id, 'RCS', 'SuggestionClick', '+31600000000', '{}', '{}', received_at FROM webhook_requests WHERE id = \(id)
                """)
        }
        func message(_ body: String, age: String) throws -> (request: Int64, message: Int64) {
            let request = try MOCtlAdminTests.request(connection, body: body, age: age)
            let message = try connection.execute("""
                INSERT INTO inbound_messages (request_id, channel, from_number, text, groupings, received_at)
                SELECT id, 'SMS', '+31612345678', \(body)::text, '{}', received_at FROM webhook_requests WHERE id = \(request)
                RETURNING id
                """).int(0, 0) ?? 0
            return (request, Int64(message))
        }
        let gone = try message("old and done", age: old)
        try connection.execute("""
            INSERT INTO media_items (message_id, position, uri, state, expires_at)
            VALUES (\(gone.message), 0, 'https://cdn.example/a', 'expired', now() - interval '470 days')
            """)
        try connection.execute("""
            INSERT INTO outbound_messages (reference, recipient, inbound_message_id, origin, created_at)
            VALUES ('r-old', '+31612345678', \(gone.message), 'auto_reply', now() - interval '500 days')
            """)
        try connection.execute("""
            INSERT INTO auto_replies (inbound_message_id, handler, decision, reason)
            VALUES (\(gone.message), 'auto', 'skip', 'quiet hours')
            """)
        let held = try message("old but a job still waits", age: old)
        try connection.execute("""
            INSERT INTO jobs (kind, args, state) VALUES ('dispatch', jsonb_build_object('item', 'mo', 'id', \(held.message)::bigint, 'handler', 'log'), 'retryable')
            """)
        let young = try message("young", age: "10 days")
        let rawOnly = try message("old enough to lose its body", age: "100 days")
        try connection.execute("""
            INSERT INTO outbound_messages (reference, recipient, created_at) VALUES ('r-new', '+31612345678', now() - interval '1 day')
            """)
        try connection.execute("""
            INSERT INTO media_items (message_id, position, uri, state, expires_at, path, sha256, stored_at)
            VALUES (\(rawOnly.message), 0, 'https://cdn.example/b', 'stored', now(), \(oldFile)::text, \(Self.sha)::text, now() - interval '40 days'),
                   (\(young.message), 0, 'https://cdn.example/c', 'stored', now(), \(newFile)::text, \(Self.otherSha)::text, now() - interval '5 days')
            """)
        let oldQuarantine = try MOCtlAdminTests.request(connection, body: "old junk", outcome: "quarantined", reason: "bad",
                                                        age: "100 days")
        let newQuarantine = try MOCtlAdminTests.request(connection, body: "new junk", outcome: "quarantined", reason: "bad",
                                                        age: "10 days")
        try connection.execute("""
            INSERT INTO jobs (kind, args, state, finalized_at) VALUES
                ('route', '{}', 'completed', now() - interval '2 days'), ('route', '{}', 'completed', now() - interval '1 hour')
            """)
        let config = try MOCtlTests.config(url: url, extra: """

            [media]
            directory = "\(media)"

            [queue]
            completed_retention_hours = 24

            [retention]
            raw_payloads_days = 90
            normalized_rows_days = 400
            media_files_days = 30
            batch_size = 100
            """)

        let dry = try runBuiltTool("moctl", ["purge", "--dry-run", "--json", "--config", config])
        #expect(dry.status == 0, "\(dry.output)")
        let counted = try #require(MOCtlAdminTests.lines(dry.output).first)
        #expect(counted["normalized_rows"] as? Int == 252)
        #expect(try connection.execute("SELECT count(*) FROM events").int(0, 0) == 250)

        let run = try runBuiltTool("moctl", ["purge", "--json", "--config", config])
        #expect(run.status == 0, "\(run.output)")
        let report = try #require(MOCtlAdminTests.lines(run.output).first)
        #expect(report["normalized_rows"] as? Int == 251)
        #expect(report["kept"] as? Int == 1)
        #expect((report["batches"] as? Int ?? 0) >= 3)
        #expect(report["files_deleted"] as? Int == 1)
        // Piped: no progress line, only the summary.
        #expect(!run.output.contains("\r") && !run.output.contains("purging"))

        func count(_ sql: String) throws -> Int { try connection.execute(Query(unsafeSQL: sql)).int(0, 0) ?? -1 }
        #expect(try count("SELECT count(*) FROM events") == 0)
        #expect(try count("SELECT count(*) FROM webhook_requests WHERE endpoint = 'event'") == 0)
        #expect(try count("SELECT count(*) FROM inbound_messages WHERE id = \(gone.message)") == 0)
        #expect(try count("SELECT count(*) FROM webhook_requests WHERE id = \(gone.request)") == 0)
        #expect(try count("SELECT count(*) FROM auto_replies") == 0)
        #expect(try count("SELECT count(*) FROM outbound_messages") == 1)
        #expect(try count("SELECT count(*) FROM inbound_messages WHERE id IN (\(held.message), \(young.message), \(rawOnly.message))") == 3)
        // Raw: the 100-day-old stored request keeps its row with an empty body; the old quarantine row is gone.
        #expect(try count("SELECT octet_length(body) FROM webhook_requests WHERE id = \(rawOnly.request)") == 0)
        #expect(try count("SELECT octet_length(body) FROM webhook_requests WHERE id = \(young.request)") > 0)
        #expect(try count("SELECT count(*) FROM webhook_requests WHERE id = \(oldQuarantine)") == 0)
        #expect(try count("SELECT count(*) FROM webhook_requests WHERE id = \(newQuarantine)") == 1)
        // Media: the 40-day-old file is gone and its row says so; the 5-day-old one stays.
        #expect(!FileManager.default.fileExists(atPath: media + "/" + oldFile))
        #expect(FileManager.default.fileExists(atPath: media + "/" + newFile))
        #expect(try connection.execute("SELECT state FROM media_items WHERE message_id = \(rawOnly.message)").string(0, 0) == "purged")
        #expect(try connection.execute("SELECT state FROM media_items WHERE message_id = \(young.message)").string(0, 0) == "stored")
        // Jobs: the completed one older than [queue] completed_retention_hours (24) goes.
        #expect(try count("SELECT count(*) FROM jobs WHERE state = 'completed'") == 1)

        let second = try runBuiltTool("moctl", ["purge", "--json", "--config", config])
        let nothing = try #require(MOCtlAdminTests.lines(second.output).first)
        #expect(nothing["normalized_rows"] as? Int == 0 && nothing["raw_payloads"] as? Int == 0)
    }

    @Test("--older-than overrides the ages and --only restricts the parts")
    func olderThan() throws {
        let url = try TestDatabase.make()
        let connection = try PGConnection(parameters: [("dbname", url)])
        let tenDays = try MOCtlAdminTests.request(connection, body: "ten days", outcome: "quarantined", reason: "bad", age: "10 days")
        let twoDays = try MOCtlAdminTests.request(connection, body: "two days", outcome: "quarantined", reason: "bad", age: "2 days")
        try connection.execute("INSERT INTO jobs (kind, args, state, finalized_at) VALUES ('route', '{}', 'completed', now() - interval '10 days')")
        let config = try MOCtlTests.config(url: url)
        let run = try runBuiltTool("moctl", ["purge", "--older-than", "5d", "--only", "raw-payloads", "--config", config])
        #expect(run.status == 0, "\(run.output)")
        #expect(try connection.execute("SELECT count(*) FROM webhook_requests WHERE id = \(tenDays)").int(0, 0) == 0)
        #expect(try connection.execute("SELECT count(*) FROM webhook_requests WHERE id = \(twoDays)").int(0, 0) == 1)
        #expect(try connection.execute("SELECT count(*) FROM jobs").int(0, 0) == 1)
        let bad = try runBuiltTool("moctl", ["purge", "--older-than", "2026-01-01", "--config", config])
        #expect(bad.status == 2)
        #expect(bad.output.contains("is not an age"))
    }
}
