import Foundation
import LibPQ
import MOReceiver
import MOStore
import MOTestSupport
import Testing

@Suite("The job queue")
struct QueueTests {
    /// Stores `count` inbound messages straight in SQL, each with its dispatch job to handler `rec` (as ingest
    /// would, through the same job definition), for volume tests.
    static func seedMessages(_ count: Int, url: String) throws {
        let connection = try LibPQConnect.open(url)
        let messages = try connection.execute(script: """
            WITH requests AS (
                INSERT INTO webhook_requests (endpoint, method, dedupe_key, body, body_sha256, client_ip, peer_ip, outcome)
                SELECT 'mo', 'POST', sha256(convert_to('seed' || n, 'UTF8')), convert_to('seed' || n, 'UTF8'),
                       sha256(convert_to('seed' || n, 'UTF8')), '31.169.56.10', '127.0.0.1', 'stored'
                FROM generate_series(1, \(count)) AS n
                RETURNING id
            )
            INSERT INTO inbound_messages (request_id, channel, from_number, text, groupings, received_at)
            SELECT id, 'SMS', '+3161234' || id, 'seed ' || id, '{}', now() FROM requests
            RETURNING id;
            """)
        try JobStore(connection: connection).enqueue((0..<messages.rowCount).map { row in
            JobStore.NewDispatch(DispatchArgs(item: .mo, id: Int64(messages.int(row, 0)!), handler: "rec"), maxAttempts: 20)
        })
    }

    @Test("two daemons on one database run 10,000 messages' jobs, every handler call exactly once")
    func twoDaemonsExactlyOnce() throws {
        let url = try TestDatabase.make()
        try Self.seedMessages(10_000, url: url)
        let recorder = RecordingHandler()
        let configure: (inout ReceiverConfig) -> Void = { config in
            config.handlers = [HandlerSpec(name: "rec", type: "recording")]
            config.routeEverything(to: ["rec"], queueWorkers: 4)
            config.queue.pollInterval = .milliseconds(200)
            config.queue.completedRetention = .seconds(3_600)  // keep the rows: who ran what, how often
        }
        let first = try ReceiverHarness(databaseURL: url, registry: recorder.registry(), configure: configure)
        let second = try ReceiverHarness(databaseURL: url, registry: recorder.registry(), configure: configure)
        #expect(eventually(timeout: .seconds(120)) { (try? first.jobStates(kind: "dispatch")) == ["completed": 10_000] })
        let calls = recorder.calls
        #expect(calls.count == 10_000)
        #expect(Set(calls.map(\.id)).count == 10_000)
        #expect(try first.count("jobs") == 10_000, "one job per message, nothing else")
        let holders = try first.query("SELECT count(DISTINCT attempted_by), max(attempt) FROM jobs")
        #expect(holders.int(0, 0) == 2, "both daemons took jobs")
        #expect(holders.int(0, 1) == 1, "no job ran twice")
        _ = second
    }

    @Test("a job whose worker was killed (lease expired) is taken back by the rescuer and runs again")
    func rescuesExpiredLease() throws {
        let url = try TestDatabase.make()
        try Self.seedMessages(1, url: url)
        let connection = try LibPQConnect.open(url)
        // What a worker killed mid-job leaves behind: running, leased to a dead daemon, lease in the past.
        try connection.execute(script: """
            UPDATE jobs SET state = 'running', attempt = 1, attempted_at = now() - interval '5 minutes',
                            attempted_by = 'dead-host/4242/x', lease_expires_at = now() - interval '1 second'
            """)
        let recorder = RecordingHandler()
        let harness = try ReceiverHarness(databaseURL: url, registry: recorder.registry()) { config in
            config.handlers = [HandlerSpec(name: "rec", type: "recording")]
            config.routeEverything(to: ["rec"])
            config.queue.lease = .seconds(2)
            config.queue.completedRetention = .seconds(3_600)
        }
        #expect(eventually { recorder.calls.count == 1 })
        let rescued = try harness.query("""
            SELECT state::text, attempt, errors->0->>'error', errors->0->>'by' FROM jobs WHERE kind = 'dispatch'
            """)
        #expect(rescued.string(0, 0) == "completed")
        #expect(rescued.int(0, 1) == 2)
        #expect(rescued.string(0, 2)?.contains("lease expired") == true)
        #expect(rescued.string(0, 3) == "dead-host/4242/x")
    }

    @Test("a long job keeps its lease by heartbeat and is not rescued while its worker lives")
    func heartbeatKeepsLease() throws {
        let recorder = RecordingHandler(delay: .milliseconds(3_500))
        let harness = try ReceiverHarness(registry: recorder.registry()) { config in
            config.handlers = [HandlerSpec(name: "rec", type: "recording")]
            config.routeEverything(to: ["rec"])
            config.queue.lease = .seconds(1)
            config.queue.completedRetention = .seconds(3_600)
        }
        #expect(try harness.post(body: smsBody(2)).status == 200)
        #expect(eventually(timeout: .seconds(15)) { (try? harness.jobStates(kind: "dispatch")) == ["completed": 1] })
        #expect(recorder.calls.count == 1)
        let job = try harness.query("SELECT attempt, jsonb_array_length(errors) FROM jobs WHERE kind = 'dispatch'")
        #expect(job.int(0, 0) == 1)
        #expect(job.int(0, 1) == 0)
    }

    @Test("a NOTIFY from another daemon wakes an idle worker long before its poll interval")
    func notifyWakesWorkers() throws {
        let url = try TestDatabase.make()
        let recorder = RecordingHandler()
        let harness = try ReceiverHarness(databaseURL: url, registry: recorder.registry()) { config in
            config.handlers = [HandlerSpec(name: "rec", type: "recording")]
            config.routeEverything(to: ["rec"], queueWorkers: 1)
            config.queue.pollInterval = .seconds(60)
        }
        Thread.sleep(forTimeInterval: 0.5)  // the worker's first claim found nothing; it now sleeps up to 60 s
        let started = ContinuousClock.now
        try Self.seedMessages(1, url: url)
        try LibPQConnect.open(url).execute(script: "NOTIFY mo_jobs")
        #expect(eventually(timeout: .seconds(5)) { recorder.calls.count == 1 })
        #expect(ContinuousClock.now - started < .seconds(5))
        _ = harness
    }

    @Test("the ingest writer wakes workers (and other daemons) only when its commit enqueued a job")
    func wakeOnlyForJobs() throws {
        let url = try TestDatabase.make()
        let listener = try LibPQConnect.open(url)
        try listener.execute(script: "LISTEN mo_jobs")
        func text(_ text: String) -> [UInt8] {
            Array(#"{"from":{"number":"+3161234"},"to":{"number":"+3197"},"message":{"text":"\#(text)"},"channel":"SMS"}"#.utf8)
        }
        func picture(_ tag: String) -> [UInt8] {
            Array(#"{"from":{"number":"+3161234"},"to":{"number":"+3197"},"channel":"Instagram","message":{"media":{"mediaUri":"https://cdn.example/\#(tag).jpg"}}}"#.utf8)
        }
        do {
            // No routes and media downloads off: stored rows, no job, so nobody is woken.
            let quiet = try ReceiverHarness(databaseURL: url) { config in config.media.enabled = false }
            #expect(try quiet.post(body: text("no job")).status == 200)
            #expect(try quiet.post(body: picture("no-download")).status == 200)
            #expect(try listener.waitForNotifications(timeout: .seconds(1)).isEmpty)
            #expect(try quiet.count("jobs") == 0)
        }
        do {
            // A media download is a job: the commit that enqueues it wakes the workers.
            let media = try ReceiverHarness(databaseURL: url)
            #expect(try media.post(body: picture("download")).status == 200)
            #expect(try listener.waitForNotifications(timeout: .seconds(5)).contains { $0.channel == "mo_jobs" })
        }
        do {
            // So is a dispatch to a routed handler.
            let recorder = RecordingHandler()
            let routed = try ReceiverHarness(databaseURL: url, registry: recorder.registry()) { config in
                config.media.enabled = false
                config.handlers = [HandlerSpec(name: "rec", type: "recording")]
                config.routeEverything(to: ["rec"], queueWorkers: 1)
            }
            #expect(try routed.post(body: text("routed")).status == 200)
            #expect(try listener.waitForNotifications(timeout: .seconds(5)).contains { $0.channel == "mo_jobs" })
            #expect(eventually(timeout: .seconds(5)) { recorder.calls.count == 1 })
        }
    }
}
