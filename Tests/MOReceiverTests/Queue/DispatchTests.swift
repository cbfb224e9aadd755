import Foundation
import LibPQ
import MOPolicy
import MOReceiver
import MOStore
import MOTestSupport
import Testing

@Suite("Dispatch to handlers")
struct DispatchTests {
    @Test("an MO posted over HTTP reaches its handler once, with the v1 event document")
    func moReachesHandler() throws {
        let recorder = RecordingHandler()
        let harness = try ReceiverHarness(registry: recorder.registry()) { config in
            config.handlers = [HandlerSpec(name: "rec", type: "recording")]
            config.routeEverything(to: ["rec"])
        }
        #expect(try harness.post(body: smsBody(1)).status == 200)
        #expect(eventually { recorder.calls.count == 1 })
        let call = try #require(recorder.calls.first)
        #expect(call.kind == "mo")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(call.json.utf8)) as? [String: Any])
        #expect(document["schema"] as? String == "mo-receiver.event.v1")
        #expect(document["kind"] as? String == "mo")
        let message = try #require(document["message"] as? [String: Any])
        #expect(message["text"] as? String == "HELP me 1")
        #expect((message["from"] as? [String: Any])?["number"] as? String == "+31612340001")
        #expect(message["channel"] as? String == "SMS")
        // Completed jobs are deleted as they complete (queue.completed_retention_hours = 0).
        #expect(eventually { (try? harness.count("jobs")) == 0 })
        // A CM retry of the same bytes is a duplicate: no new job, no second call.
        #expect(fields(try harness.post(body: smsBody(1)))["result"] as? String == "duplicate")
        Thread.sleep(forTimeInterval: 0.2)
        #expect(recorder.calls.count == 1)
        #expect(try harness.count("jobs") == 0)
    }

    @Test("ingest commits one dispatch job per item and matching handler with the request; a repeat adds none")
    func ingestEnqueuesDispatches() throws {
        let harness = try ReceiverHarness { config in
            config.handlers = [HandlerSpec(name: "a", type: "log", maxAttempts: 7), HandlerSpec(name: "b", type: "log")]
            config.routes = [try! Route(name: "mo", kinds: [.mo], handlers: ["a", "b"]),
                             try! Route(name: "status", kinds: [.status], handlers: ["b", "unknown"])]
            config.queue.workers = 0  // nothing runs them: the jobs stay exactly as ingest wrote them
        }
        #expect(try harness.post(body: smsBody(3)).status == 200)
        let xml = Array("""
            <?xml version="1.0"?><MESSAGES><MSG><TO>+31612345678</TO><REFERENCE>r1</REFERENCE><STATUS><CODE>2</CODE></STATUS></MSG><MSG><TO>+31612345679</TO><REFERENCE>r2</REFERENCE><STATUS><CODE>3</CODE></STATUS></MSG></MESSAGES>
            """.utf8)
        #expect(try harness.post("/cm/status", body: xml, contentType: "text/xml").status == 200)
        let event = Array(#"{"from":{"number":"+31612345678"},"event":{"type":"SuggestionClick"},"channel":"RCS"}"#.utf8)
        #expect(try harness.post("/cm/events", body: event).status == 200)
        let mo = try #require(try harness.query("SELECT id FROM inbound_messages").int(0, 0))
        let reports = try harness.query("SELECT id FROM status_reports ORDER BY position")
        let first = try #require(reports.int(0, 0)), second = try #require(reports.int(1, 0))
        func jobs() throws -> [String] {
            let rows = try harness.query("""
                SELECT unique_key || ' ' || max_attempts || ' ' || state || ' ' || (args->>'item') || '/' ||
                       (args->>'id') || '/' || (args->>'handler')
                FROM jobs ORDER BY unique_key
                """)
            return (0..<rows.rowCount).map { rows.string($0, 0) ?? "" }
        }
        let expected = [
            "dispatch:mo:\(mo):a 7 available mo/\(mo)/a", "dispatch:mo:\(mo):b 20 available mo/\(mo)/b",
            "dispatch:status:\(first):b 20 available status/\(first)/b",
            "dispatch:status:\(second):b 20 available status/\(second)/b",
        ]
        #expect(try jobs() == expected)
        // The job ingest wrote is the one a Swift enqueue (`moctl replay`, converted route jobs) writes: the same
        // definition, so enqueueing it again finds its key taken, and its arguments decode to what was asked.
        let store = JobStore(connection: try LibPQConnect.open(harness.databaseURL))
        let asked = DispatchArgs(item: .mo, id: Int64(mo), handler: "a")
        #expect(try store.enqueue([JobStore.NewDispatch(asked, maxAttempts: 7)]) == 0)
        try store.connection.execute(script: "BEGIN")  // claimed only to read them back, then rolled back
        let claimed = try store.claim(kinds: [.dispatch], limit: 10, holder: "test", lease: .seconds(30))
        try store.connection.execute(script: "ROLLBACK")
        #expect(claimed.compactMap(\.dispatch).contains(asked))
        // CM's retries of the same bodies store nothing and enqueue nothing.
        #expect(fields(try harness.post(body: smsBody(3)))["result"] as? String == "duplicate")
        #expect(fields(try harness.post("/cm/status", body: xml, contentType: "text/xml"))["result"] as? String == "duplicate")
        #expect(try jobs() == expected)
    }

    @Test("a claimed batch reads its documents together; every handler call still gets its own item's document")
    func batchDocuments() throws {
        let first = RecordingHandler(), second = RecordingHandler()
        var registry = HandlerRegistry.builtIn
        registry.register("first") { _, _ in first }
        registry.register("second") { _, _ in second }
        let harness = try ReceiverHarness(registry: registry) { config in
            config.handlers = [HandlerSpec(name: "first", type: "first"), HandlerSpec(name: "second", type: "second")]
            config.routeEverything(to: ["first", "second"], queueWorkers: 0)
        }
        for index in 1...20 { #expect(try harness.post(body: smsBody(index)).status == 200) }
        // One worker started now finds 40 jobs waiting: it claims them 16 at a time.
        let worker = try ReceiverHarness(databaseURL: harness.databaseURL, registry: registry) { config in
            config.handlers = [HandlerSpec(name: "first", type: "first"), HandlerSpec(name: "second", type: "second")]
            config.routeEverything(to: ["first", "second"], queueWorkers: 1)
        }
        #expect(eventually { first.calls.count == 20 && second.calls.count == 20 })
        let texts = try harness.query("SELECT id, text FROM inbound_messages")
        var textByID: [Int64: String] = [:]
        for row in 0..<texts.rowCount { textByID[Int64(texts.int(row, 0)!)] = texts.string(row, 1) }
        for call in first.calls + second.calls {
            let document = try #require(try JSONSerialization.jsonObject(with: Data(call.json.utf8)) as? [String: Any])
            #expect((document["id"] as? NSNumber)?.int64Value == call.id)
            #expect((document["message"] as? [String: Any])?["text"] as? String == textByID[call.id])
        }
        #expect(Set(first.calls.map(\.id)) == Set(textByID.keys))
        #expect(Set(second.calls.map(\.id)) == Set(textByID.keys))
        _ = worker
    }

    @Test("status reports and events are dispatched as their own kinds, one item per status MSG")
    func statusAndEvents() throws {
        let recorder = RecordingHandler()
        let harness = try ReceiverHarness(registry: recorder.registry()) { config in
            config.handlers = [HandlerSpec(name: "rec", type: "recording")]
            config.routeEverything(to: ["rec"])
        }
        let xml = Array("""
            <?xml version="1.0"?><MESSAGES><MSG RECEIVED="2026-11-29T10:00:00"><TO>+31612345678</TO><REFERENCE>r1</REFERENCE><STATUS><CODE>2</CODE></STATUS></MSG><MSG RECEIVED="2026-11-29T10:00:01"><TO>+31612345679</TO><REFERENCE>r2</REFERENCE><STATUS><CODE>3</CODE><ERRORCODE>24</ERRORCODE></STATUS></MSG></MESSAGES>
            """.utf8)
        #expect(try harness.post("/cm/status", body: xml, contentType: "text/xml").status == 200)
        let event = Array(#"{"from":{"number":"+31612345678"},"to":{"number":"3669"},"event":{"type":"SuggestionClick"},"channel":"RCS"}"#.utf8)
        #expect(try harness.post("/cm/events", body: event).status == 200)
        #expect(eventually { recorder.calls.count == 3 })
        #expect(recorder.calls.filter { $0.kind == "status" }.count == 2)
        #expect(recorder.calls.filter { $0.kind == "event" }.count == 1)
        let failed = try #require(recorder.calls.first { $0.json.contains("\"r2\"") })
        #expect(failed.json.contains("\"status\" : \"failed\"") || failed.json.contains("\"status\":\"failed\""))
    }

    @Test("routes choose the handlers: kind, channel and keyword criteria, all matching routes apply")
    func routing() throws {
        let help = RecordingHandler()
        let all = RecordingHandler()
        var registry = HandlerRegistry.builtIn
        registry.register("help") { _, _ in help }
        registry.register("all") { _, _ in all }
        let harness = try ReceiverHarness(registry: registry) { config in
            config.handlers = [HandlerSpec(name: "help", type: "help"), HandlerSpec(name: "all", type: "all")]
            config.routes = [
                try! Route(name: "help", kinds: [.mo], channels: ["sms"], keywords: ["HELP"], handlers: ["help"]),
                try! Route(name: "mo", kinds: [.mo], handlers: ["all"]),
            ]
        }
        #expect(try harness.post(body: smsBody(1)).status == 200)
        let other = Array(#"{"from":{"number":"+31612345678"},"message":{"text":"hello"},"channel":"SMS"}"#.utf8)
        #expect(try harness.post(body: other).status == 200)
        #expect(eventually { all.calls.count == 2 })
        Thread.sleep(forTimeInterval: 0.2)
        #expect(help.calls.count == 1)
        #expect(help.calls.first?.json.contains("HELP me 1") == true)
    }

    @Test("a handler that fails twice and then succeeds runs three times; the failures are in the job's history")
    func retriesUntilSuccess() throws {
        let recorder = RecordingHandler { call in
            call < 2 ? .retry(reason: "not yet (\(call))", delay: .milliseconds(20)) : .completed
        }
        let harness = try ReceiverHarness(registry: recorder.registry()) { config in
            config.handlers = [HandlerSpec(name: "rec", type: "recording")]
            config.routeEverything(to: ["rec"])
            config.queue.completedRetention = .seconds(3_600)
        }
        #expect(try harness.post(body: smsBody(7)).status == 200)
        #expect(eventually { (try? harness.jobStates(kind: "dispatch")) == ["completed": 1] })
        #expect(recorder.calls.map(\.attempt) == [1, 2, 3])
        let job = try harness.query("""
            SELECT attempt, jsonb_array_length(errors), errors->0->>'error', errors->1->>'attempt'
            FROM jobs WHERE kind = 'dispatch'
            """)
        #expect(job.int(0, 0) == 3)
        #expect(job.int(0, 1) == 2)
        #expect(job.string(0, 2) == "not yet (0)")
        #expect(job.string(0, 3) == "2")
    }

    @Test("a permanent failure discards the job at once; running out of attempts discards it too")
    func discards() throws {
        let permanent = RecordingHandler { _ in .discard(reason: "the CRM refused it") }
        let flaky = RecordingHandler { _ in .retry(reason: "still down", delay: .milliseconds(10)) }
        var registry = HandlerRegistry.builtIn
        registry.register("permanent") { _, _ in permanent }
        registry.register("flaky") { _, _ in flaky }
        let harness = try ReceiverHarness(registry: registry) { config in
            config.handlers = [HandlerSpec(name: "permanent", type: "permanent"),
                               HandlerSpec(name: "flaky", type: "flaky", maxAttempts: 3)]
            config.routeEverything(to: ["permanent", "flaky"])
        }
        #expect(try harness.post(body: smsBody(3)).status == 200)
        #expect(eventually { (try? harness.jobStates(kind: "dispatch")) == ["discarded": 2] })
        #expect(permanent.calls.count == 1)
        #expect(flaky.calls.count == 3)
        let reasons = try harness.query("""
            SELECT args->>'handler', attempt, errors->-1->>'error', finalized_at IS NOT NULL
            FROM jobs WHERE kind = 'dispatch' ORDER BY args->>'handler'
            """)
        #expect(reasons.string(0, 0) == "flaky")
        #expect(reasons.int(0, 1) == 3)
        #expect(reasons.string(1, 2) == "the CRM refused it")
        #expect(reasons.bool(1, 3) == true)
    }
}
