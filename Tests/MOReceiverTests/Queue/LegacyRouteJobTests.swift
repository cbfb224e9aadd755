import LibPQ
import MOPolicy
import MOReceiver
import MOStore
import MOTestSupport
import Testing

@Suite("Route jobs left by earlier versions")
struct LegacyRouteJobTests {
    @Test("a leftover route job in a migrated database becomes the dispatch jobs ingest writes for its request")
    func convertedToDispatches() throws {
        let harness = try ReceiverHarness { config in
            config.handlers = [HandlerSpec(name: "a", type: "log", maxAttempts: 7), HandlerSpec(name: "b", type: "log")]
            config.routes = [try! Route(name: "mo", kinds: [.mo], handlers: ["a", "b"]),
                             try! Route(name: "status", kinds: [.status], handlers: ["b"])]
            config.queue.workers = 0  // nothing runs them: the jobs stay exactly as written
        }
        #expect(try harness.post(body: smsBody(1)).status == 200)
        let xml = Array("""
            <?xml version="1.0"?><MESSAGES><MSG><TO>+31612345678</TO><REFERENCE>r1</REFERENCE><STATUS><CODE>2</CODE></STATUS></MSG><MSG><TO>+31612345679</TO><REFERENCE>r2</REFERENCE><STATUS><CODE>3</CODE></STATUS></MSG></MESSAGES>
            """.utf8)
        #expect(try harness.post("/cm/status", body: xml, contentType: "text/xml").status == 200)
        func jobs() throws -> [String] {
            let rows = try harness.query("""
                SELECT kind || ' ' || unique_key || ' ' || priority || ' ' || max_attempts || ' ' || state || ' ' ||
                       args::text
                FROM jobs ORDER BY unique_key
                """)
            return (0..<rows.rowCount).map { rows.string($0, 0) ?? "" }
        }
        let written = try jobs()
        #expect(written.count == 4, "a, b for the MO; b for each status report")
        // An earlier version wrote one route job per request instead; a worker would have routed it.
        _ = try harness.query("""
            WITH gone AS (DELETE FROM jobs)
            INSERT INTO jobs (kind, args, unique_key, priority)
            SELECT 'route', jsonb_build_object('request_id', id), 'route:' || id, 1 FROM webhook_requests
            """)
        _ = try harness.query("INSERT INTO jobs (kind, args, priority) VALUES ('route', '{}', 1)")
        #expect(try harness.count("jobs") == 3)
        let connection = try LibPQConnect.open(harness.databaseURL)
        let conversion = try LegacyRouteJobs.convert(config: harness.receiver.config, on: connection)
        #expect(conversion == LegacyRouteJobs.Conversion(routeJobs: 3, dispatchJobs: 4))
        #expect(try jobs() == written, "the same jobs, to the letter; no route job left")
        #expect(try LegacyRouteJobs.convert(config: harness.receiver.config, on: connection) == .init(),
                "running it again finds nothing to do")
    }
}
