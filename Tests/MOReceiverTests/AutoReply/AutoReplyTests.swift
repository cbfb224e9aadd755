import Foundation
import LibPQ
import MOPolicy
import MOReceiver
import MOStore
import MOTestSupport
import Testing

/// A daemon with an auto_reply handler that sends to a fake CM gateway on loopback.
struct AutoReplyRig {
    let gateway: FakeCMGateway
    let harness: ReceiverHarness
    static let token = "00000000-1111-2222-3333-444444444444"

    init(mode: FakeCMGateway.Mode = .accepted, timeoutMilliseconds: Int = 2_000,
         settings: [String: HandlerSettings.Value] = [:], configure: (inout ReceiverConfig) -> Void = { _ in }) throws {
        gateway = try FakeCMGateway(mode: mode, productToken: Self.token)
        var values: [String: HandlerSettings.Value] = [
            "rules": .tables([
                HandlerSettings(["name": .string("hours"), "keywords": .strings(["HOURS", "OPEN"]),
                                 "reply": .string("Hi {name}, we are open 9-17. You wrote: {text}")]),
            ]),
            "default_reply": .string("Thanks {name}, we will answer on {channel} soon."),
            "own_numbers": .strings(["+3197000000000"]),
        ]
        values.merge(settings) { _, new in new }
        let gatewayURL = gateway.url
        harness = try ReceiverHarness { config in
            config.cm.sendURL = gatewayURL
            config.cm.allowHTTP = true
            config.cm.productToken = Array(Self.token.utf8)
            config.cm.timeoutMilliseconds = timeoutMilliseconds
            config.handlers = [HandlerSpec(name: "auto", type: "auto_reply", maxAttempts: 3,
                                           settings: HandlerSettings(values))]
            config.routeEverything(to: ["auto"])
            // The tests read finished jobs' attempts and history.
            config.queue.completedRetention = .seconds(3_600)
            configure(&config)
        }
    }

    static func mo(from: String = "+31612345678", to: String = "+3197012345678", name: String = "Jane",
                   text: String, channel: String = "WhatsApp", minutesAgo: Int = 0) -> [UInt8] {
        let time = Date(timeIntervalSinceNow: Double(-minutesAgo * 60))
        let formatter = ISO8601DateFormatter()
        let escaped = text.replacingOccurrences(of: "\"", with: "\\\"")
        return Array(#"{"from":{"number":"\#(from)","name":"\#(name)"},"to":{"number":"\#(to)"},"message":{"text":"\#(escaped)"},"channel":"\#(channel)","timeUtc":"\#(formatter.string(from: time))","nonce":"\#(UUID().uuidString)"}"#.utf8)
    }

    func post(_ body: [UInt8]) throws {
        let reply = try harness.post(body: body)
        #expect(reply.status == 200, "\(reply.body)")
    }

    /// Waits until every dispatch job is finished (or waiting for a retry) and returns the decisions.
    func decisions(_ count: Int) -> [(decision: String, rule: String?, reason: String?)] {
        _ = eventually {
            (try? harness.query("SELECT count(*) FROM auto_replies").int(0, 0)) == count
                && (try? harness.query("SELECT count(*) FROM jobs WHERE kind = 'dispatch' AND state = 'running'").int(0, 0)) == 0
        }
        guard let rows = try? harness.query("SELECT decision, rule, reason FROM auto_replies ORDER BY inbound_message_id") else { return [] }
        return (0..<rows.rowCount).map { (rows.string($0, 0) ?? "", rows.string($0, 1), rows.string($0, 2)) }
    }
}

@Suite("Auto-replies through CM's send API")
struct AutoReplyTests {
    @Test("a keyword MO gets exactly one correct request at the gateway; the answer is recorded on the outbound row")
    func keywordReply() throws {
        let rig = try AutoReplyRig()
        try rig.post(AutoReplyRig.mo(text: "hours please"))
        let requests = rig.gateway.waitForRequests(count: 1)
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.productTokenHeader == AutoReplyRig.token)
        let message = try #require(request.messages.first)
        #expect(message.to == ["+31612345678"])
        #expect(message.from == "+3197012345678")
        #expect(message.allowedChannels == ["WhatsApp"])
        #expect(message.content == "Hi Jane, we are open 9-17. You wrote: hours please")
        #expect(message.customGrouping3 == "mo-receiver")
        let reference = try #require(message.reference)
        #expect(OutboundReference.isValid(reference))
        #expect(rig.decisions(1).map(\.rule) == ["hours"])
        #expect(eventually {
            (try? rig.harness.query("SELECT send_state FROM outbound_messages").string(0, 0)) == "accepted"
        })
        let row = try rig.harness.query("SELECT reference, origin, handler, recipient, parts FROM outbound_messages")
        #expect(row.string(0, 0) == reference)
        #expect(row.string(0, 1) == "auto_reply")
        #expect(row.int(0, 4) == 1)
        Thread.sleep(forTimeInterval: 0.2)
        #expect(rig.gateway.requests.count == 1)
    }

    @Test("without a keyword the default reply goes out; a status report for it attaches by reference")
    func defaultReplyAndStatus() throws {
        let rig = try AutoReplyRig()
        try rig.post(AutoReplyRig.mo(text: "hello there", channel: "SMS"))
        let message = try #require(rig.gateway.waitForRequests(count: 1).first?.messages.first)
        #expect(message.content == "Thanks Jane, we will answer on SMS soon.")
        let reference = try #require(message.reference)
        let report = Array(#"{"messages":{"msg":{"received":"2026-11-29T10:00:00","to":"0031612345678","reference":"\#(reference)","status":{"code":"2"}}}}"#.utf8)
        #expect(try rig.harness.post("/cm/status", body: report).status == 200)
        #expect(eventually {
            (try? rig.harness.query("SELECT status FROM outbound_message_status").string(0, 0)) == "delivered"
        })
    }

    @Test("the rate limit allows one reply per customer per interval and records the skip")
    func rateLimit() throws {
        let rig = try AutoReplyRig()
        try rig.post(AutoReplyRig.mo(text: "first"))
        _ = rig.gateway.waitForRequests(count: 1)
        _ = rig.decisions(1)
        try rig.post(AutoReplyRig.mo(text: "second"))
        let decisions = rig.decisions(2)
        #expect(decisions.map(\.decision) == ["reply", "skip"])
        #expect(decisions.last?.reason?.contains("rate limit") == true)
        // Another customer is not limited by the first one's reply.
        try rig.post(AutoReplyRig.mo(from: "+31687654321", text: "third"))
        #expect(rig.decisions(3).map(\.decision) == ["reply", "skip", "reply"])
        #expect(rig.gateway.waitForRequests(count: 2).count == 2)
    }

    @Test("loop protection: no reply to our own numbers, to automated-looking messages, or past the conversation limit")
    func loopProtection() throws {
        let rig = try AutoReplyRig(settings: ["min_interval_seconds": .int(0), "max_per_conversation": .int(2)])
        try rig.post(AutoReplyRig.mo(from: "+3197000000000", text: "hello"))
        try rig.post(AutoReplyRig.mo(from: "+31611111111", text: "This is an automatic reply: I am out of office"))
        _ = rig.decisions(2)
        for index in 0..<3 { try rig.post(AutoReplyRig.mo(from: "+31622222222", text: "again \(index)")); _ = rig.decisions(3 + index) }
        let decisions = rig.decisions(5)
        #expect(decisions.map(\.decision) == ["skip", "skip", "reply", "reply", "skip"])
        #expect(decisions[0].reason?.contains("own numbers") == true)
        #expect(decisions[1].reason?.contains("automated") == true)
        #expect(decisions[4].reason?.contains("conversation") == true)
        #expect(rig.gateway.waitForRequests(count: 2).count == 2)
    }

    @Test("no free-form reply on WhatsApp once the 24-hour window closed; SMS has no window")
    func conversationWindow() throws {
        let rig = try AutoReplyRig()
        try rig.post(AutoReplyRig.mo(text: "late", minutesAgo: 25 * 60))
        try rig.post(AutoReplyRig.mo(from: "+31633333333", text: "late sms", channel: "SMS", minutesAgo: 25 * 60))
        let decisions = rig.decisions(2)
        #expect(decisions.map(\.decision).sorted() == ["reply", "skip"])
        #expect(decisions.contains { $0.reason?.contains("window") == true })
        #expect(rig.gateway.waitForRequests(count: 1).first?.messages.first?.allowedChannels == ["SMS"])
    }

    @Test("STOP records an opt-out with one confirmation; later messages get nothing until START")
    func stopThenStart() throws {
        let rig = try AutoReplyRig(settings: ["min_interval_seconds": .int(0), "max_per_conversation": .int(100),
                                              "max_per_day": .int(100)])
        try rig.post(AutoReplyRig.mo(text: "STOP"))
        _ = rig.decisions(1)
        try rig.post(AutoReplyRig.mo(text: "stop!"))
        _ = rig.decisions(2)
        try rig.post(AutoReplyRig.mo(text: "hours?"))
        _ = rig.decisions(3)
        try rig.post(AutoReplyRig.mo(text: "START"))
        _ = rig.decisions(4)
        try rig.post(AutoReplyRig.mo(text: "hours?"))
        let decisions = rig.decisions(5)
        #expect(decisions.map(\.decision) == ["reply", "skip", "skip", "reply", "reply"])
        #expect(decisions.map(\.rule) == ["stop-confirmation", nil, nil, "start-confirmation", "hours"])
        #expect(decisions[2].reason?.contains("opted out") == true)
        let contents = rig.gateway.waitForRequests(count: 3).compactMap { $0.messages.first?.content }
        #expect(contents.count == 3)
        #expect(contents.first?.contains("START") == true)
        #expect(try rig.harness.count("optouts") == 0)
    }

    @Test("a 500 and a timeout are retried with the same intent; a success afterwards sends no second intent")
    func retries() throws {
        let rig = try AutoReplyRig(mode: .serverError, timeoutMilliseconds: 500)
        try rig.post(AutoReplyRig.mo(text: "hours"))
        _ = rig.gateway.waitForRequests(count: 1)
        #expect(eventually { (try? rig.harness.jobStates(kind: "dispatch")) == ["retryable": 1] })
        rig.gateway.mode = .timeout
        _ = try rig.harness.query("UPDATE jobs SET scheduled_at = now() WHERE kind = 'dispatch'")
        _ = try rig.harness.query("NOTIFY mo_jobs")
        _ = rig.gateway.waitForRequests(count: 2, timeout: .seconds(10))
        #expect(eventually { (try? rig.harness.query("SELECT attempt FROM jobs WHERE kind = 'dispatch' AND state = 'retryable'").int(0, 0)) == 2 })
        rig.gateway.mode = .accepted
        _ = try rig.harness.query("UPDATE jobs SET scheduled_at = now() WHERE kind = 'dispatch'")
        _ = try rig.harness.query("NOTIFY mo_jobs")
        #expect(eventually { (try? rig.harness.jobStates(kind: "dispatch")) == ["completed": 1] })
        let references = Set(rig.gateway.requests.compactMap { $0.messages.first?.reference })
        #expect(references.count == 1, "every attempt re-sends the one intent")
        let row = try rig.harness.query("SELECT count(*), max(send_attempts), max(send_state) FROM outbound_messages")
        #expect(row.int(0, 0) == 1)
        #expect(row.int(0, 1) == 3)
        #expect(row.string(0, 2) == "accepted")
    }

    @Test("a refused product token fails loudly and is not retried by itself; a rejected message is final")
    func permanentFailures() throws {
        let rig = try AutoReplyRig(mode: .authenticationFailure)
        try rig.post(AutoReplyRig.mo(text: "hours"))
        #expect(eventually { (try? rig.harness.jobStates(kind: "dispatch")) == ["discarded": 1] })
        let job = try rig.harness.query("SELECT errors->-1->>'error' FROM jobs WHERE kind = 'dispatch'")
        #expect(job.string(0, 0)?.contains("101") == true || job.string(0, 0)?.lowercased().contains("authentication") == true,
                "\(job.string(0, 0) ?? "")")
        #expect(rig.harness.logs.captured.contains { $0.contains("CM refused the account or token") })
        #expect(!rig.harness.logs.captured.contains { $0.contains(AutoReplyRig.token) })
        let intent = try rig.harness.query("SELECT send_state, cm_error_code FROM outbound_messages")
        #expect(intent.string(0, 0) == "intent")
        #expect(intent.int(0, 1) == 101)

        rig.gateway.mode = .partialFailure()
        try rig.post(AutoReplyRig.mo(from: "+31644444444", text: "hours"))
        #expect(eventually {
            (try? rig.harness.query("SELECT count(*) FROM outbound_messages WHERE send_state = 'rejected'").int(0, 0)) == 1
        })
        let rejected = try rig.harness.query("SELECT cm_error_code FROM outbound_messages WHERE send_state = 'rejected'")
        #expect(rejected.int(0, 0) == 304)
    }

    @Test("a replayed job never sends a second time")
    func replayDoesNotResend() throws {
        let rig = try AutoReplyRig()
        try rig.post(AutoReplyRig.mo(text: "hours"))
        _ = rig.gateway.waitForRequests(count: 1)
        #expect(eventually { (try? rig.harness.jobStates(kind: "dispatch")) == ["completed": 1] })
        // What `moctl replay` does: the dispatch job runs again.
        _ = try rig.harness.query("""
            UPDATE jobs SET state = 'available', attempt = 0, finalized_at = NULL, scheduled_at = now()
            WHERE kind = 'dispatch'
            """)
        _ = try rig.harness.query("NOTIFY mo_jobs")
        #expect(eventually { (try? rig.harness.query("SELECT attempt FROM jobs WHERE kind = 'dispatch' AND state = 'completed'").int(0, 0)) == 1 })
        Thread.sleep(forTimeInterval: 0.3)
        #expect(rig.gateway.requests.count == 1)
        #expect(try rig.harness.count("outbound_messages") == 1)
        #expect(try rig.harness.count("auto_replies") == 1)
    }
}
