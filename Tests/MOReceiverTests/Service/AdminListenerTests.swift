import Foundation
import LibPQ
import MOPolicy
import MOReceiver
import MOTestSupport
import Testing

@Suite("Admin listener: health, readiness, metrics")
struct AdminListenerTests {
    @Test("/healthz answers, /readyz turns 200 once the probes pass, other paths 404, other methods 405")
    func healthAndReadiness() throws {
        let harness = try ReceiverHarness()
        let port = try #require(harness.receiver.adminPort)
        #expect(try RawHTTPClient.get(port: port, path: "/healthz").status == 200)
        #expect(eventually { (try? RawHTTPClient.get(port: port, path: "/readyz").status) == 200 })
        #expect(harness.receiver.health.migrationsCurrent)
        let missing = try RawHTTPClient.get(port: port, path: "/cm/mo")
        #expect(missing.status == 404)
        #expect(fields(missing)["reason"] as? String == "the admin listener serves /healthz, /readyz and /metrics")
        #expect(try RawHTTPClient.post(port: port, path: "/metrics", body: []).status == 405)
    }

    @Test("/readyz is 503 with the reason when the schema is behind; the metrics say so too")
    func notReady() throws {
        let url = try TestDatabase.make()
        let connection = try PGConnection(parameters: [("dbname", url)])
        try connection.execute(script: "DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)")
        let harness = try ReceiverHarness(databaseURL: url)
        let port = try #require(harness.receiver.adminPort)
        harness.receiver.waitForHealthProbe()
        harness.receiver.waitForHealthProbe()
        let reply = try RawHTTPClient.get(port: port, path: "/readyz")
        #expect(reply.status == 503)
        #expect((fields(reply)["reason"] as? String)?.contains("moctl migrate") == true, "\(reply.body)")
        let metrics = try RawHTTPClient.get(port: port, path: "/metrics").body
        #expect(metrics.contains("\nmo_receiver_migrations_current 0\n"))
        #expect(metrics.contains("\nmo_receiver_ready 0\n"))
    }

    @Test("a rolling upgrade: a database migrated by a newer release keeps this one ready and serving, with a note")
    func schemaAhead() throws {
        let url = try TestDatabase.make()
        let connection = try PGConnection(parameters: [("dbname", url)])
        try connection.execute("INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, '9999_add_future_column', 'x')")
        let harness = try ReceiverHarness(databaseURL: url)
        let port = try #require(harness.receiver.adminPort)
        harness.receiver.waitForHealthProbe()
        harness.receiver.waitForHealthProbe()
        #expect(eventually { (try? RawHTTPClient.get(port: port, path: "/readyz").status) == 200 })
        let reply = try RawHTTPClient.get(port: port, path: "/readyz")
        #expect(fields(reply)["result"] as? String == "ready")
        #expect((fields(reply)["reason"] as? String)?.contains("9999_add_future_column") == true, "\(reply.body)")
        #expect((fields(reply)["reason"] as? String)?.contains("upgrade this receiver") == true)
        #expect(harness.logs.captured.contains { $0.contains("the database schema is newer than this version") })
        #expect(try harness.post(body: smsBody(1)).status == 200)
        // moctl of this release reads on, with a note; its migrate still refuses a schema it does not know.
        let config = try MOCtlTests.config(url: url)
        let status = try runBuiltTool("moctl", ["status", "--config", config])
        #expect(status.status == 0, "\(status.output)")
        #expect(status.output.contains("newer than this moctl (9999_add_future_column)"))
        let migrate = try runBuiltTool("moctl", ["migrate", "--config", config])
        #expect(migrate.status != 0)
    }

    @Test("/metrics: Prometheus text with the documented families, counting what the traffic did")
    func metricsAfterTraffic() throws {
        let harness = try ReceiverHarness { config in
            config.handlers = [HandlerSpec(name: "log", type: "log")]
            config.routeEverything(to: ["log"])
        }
        let port = try #require(harness.receiver.adminPort)
        #expect(try harness.post(body: smsBody(1)).status == 200)
        #expect(try harness.post(body: smsBody(1)).status == 200)  // a CM retry: duplicate
        #expect(try harness.post(body: Array("{not json".utf8)).status == 200)  // quarantined
        #expect(try harness.post(body: smsBody(2), forwardedFor: "10.1.2.3").status == 403)
        #expect(eventually { (try? harness.count("jobs")) == 0 })
        let reply = try RawHTTPClient.get(port: port, path: "/metrics")
        #expect(reply.status == 200)
        #expect(reply.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = reply.body
        for line in [
            "mo_receiver_ingest_requests_total{endpoint=\"mo\",outcome=\"stored\"} 1",
            "mo_receiver_ingest_requests_total{endpoint=\"mo\",outcome=\"duplicate\"} 1",
            "mo_receiver_ingest_requests_total{endpoint=\"mo\",outcome=\"quarantined\"} 1",
            "mo_receiver_ingest_requests_total{endpoint=\"status\",outcome=\"stored\"} 0",
            "mo_receiver_http_requests_total{endpoint=\"mo\",status=\"200\"} 3",  // the quarantined one too
            "mo_receiver_http_requests_total{endpoint=\"mo\",status=\"403\"} 1",
            "mo_receiver_ingest_duration_seconds_count{endpoint=\"mo\"} 3",
            "mo_receiver_ingest_duration_seconds_bucket{endpoint=\"mo\",le=\"+Inf\"} 3",
            "mo_receiver_jobs_finished_total{kind=\"dispatch\",outcome=\"completed\"} 1",
            "mo_receiver_job_duration_seconds_count{kind=\"dispatch\"} 1",
            "mo_receiver_quarantined_last_24h 1",
            "mo_receiver_media_pending 0",
            "mo_receiver_database_up 1",
            "mo_receiver_database_connected{role=\"writer\"} 1",
            "mo_receiver_database_connected{role=\"admin\"} 1",
            "mo_receiver_up 1",
        ] {
            #expect(text.contains("\n" + line + "\n"), "missing: \(line)")
        }
        // Every family has HELP and TYPE; every sample line is NAME{labels} VALUE with a base-unit name.
        let families = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] }
        #expect(families.count >= 20)
        for family in families {
            #expect(family.hasPrefix("mo_receiver_"))
            #expect(text.contains("# HELP \(family) "))
        }
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            #expect(line.wholeMatch(of: /mo_receiver_[a-z0-9_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [-+0-9.eInf]+/) != nil,
                    "not a sample line: \(line)")
        }
        let counters = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") && $0.hasSuffix(" counter") }
        #expect(counters.allSatisfy { $0.split(separator: " ")[2].hasSuffix("_total") })
    }

    @Test("queue depth and the oldest due job are read from the database at the scrape")
    func queueGauges() throws {
        let harness = try ReceiverHarness { config in
            config.handlers = [HandlerSpec(name: "log", type: "log")]
            config.routeEverything(to: ["log"], queueWorkers: 0)  // nothing runs: the jobs wait
        }
        let port = try #require(harness.receiver.adminPort)
        for index in 1...3 { #expect(try harness.post(body: smsBody(index)).status == 200) }
        _ = try harness.query("UPDATE jobs SET scheduled_at = now() - interval '90 seconds'")
        let text = try RawHTTPClient.get(port: port, path: "/metrics").body
        #expect(text.contains("\nmo_receiver_queue_jobs{kind=\"dispatch\",state=\"available\"} 3\n"))
        let age = text.split(separator: "\n").first { $0.hasPrefix("mo_receiver_queue_oldest_due_seconds{kind=\"dispatch\"} ") }
        let seconds = try #require(age.flatMap { Double($0.split(separator: " ")[1]) })
        #expect(seconds >= 90 && seconds < 600)
    }
}
