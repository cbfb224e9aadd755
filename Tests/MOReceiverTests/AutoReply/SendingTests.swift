import Foundation
import LibPQ
import MOPolicy
import MOReceiver
import MOTestSupport
import Testing

/// Issue 16, "Sending": auto-replies and `moctl send` against the real daemon, the built moctl and the fake CM
/// gateway, as CM's documents (seeds 000, 001, 003) ask.
@Suite("Sending as CM documents it")
struct SendingTests {
    static let ours = "+3197012345678"
    static let twitterCustomer = "1263071591262494721"   // a snowflake, seed 001
    static let twitterUs = "1263071591262494000"

    /// Runs the built moctl send with `arguments` after the common ones.
    static func moctlSend(_ config: String, to: String, channel: String, text: String = "From the desk",
                          from: String = ours, _ extra: [String] = []) throws -> (status: Int32, output: String) {
        try runBuiltTool("moctl", ["send", "--config", config, "--to", to, "--channel", channel, "--text", text,
                                   "--from", from] + extra)
    }

    static func rowState(_ rig: AutoReplyRig, _ sql: String = "SELECT send_state, skip_reason FROM outbound_messages ORDER BY id")
        throws -> [(state: String, reason: String?)] {
        let rows = try rig.harness.query(Query(unsafeSQL: sql))
        return (0..<rows.rowCount).map { (rows.string($0, 0) ?? "", rows.string($0, 1)) }
    }

    // MARK: 4. Where the product token goes

    @Test("the product token goes in the body by default, so an endpoint that ignores the header accepts the send")
    func tokenInBodyByDefault() throws {
        let rig = try AutoReplyRig(readsTokenHeader: false)
        try rig.post(AutoReplyRig.mo(text: "hours"))
        let request = try #require(rig.gateway.waitForRequests(count: 1).first)
        #expect(request.productTokenInBody == AutoReplyRig.token)
        #expect(request.productTokenHeader == nil)
        #expect(eventually { (try? Self.rowState(rig).first?.state) == "accepted" })
        #expect(!rig.harness.logs.captured.contains { $0.contains("cm.token_in_body") })
    }

    @Test("the header with a send_url other than CM's Cloudflare endpoint is warned about at start and by check-config, naming the key")
    func headerOutsideCloudflareWarns() throws {
        let rig = try AutoReplyRig(configure: { $0.cm.tokenInBody = false })
        #expect(rig.harness.logs.captured.contains {
            $0.contains("cm.token_in_body") && $0.contains("https://gw.messaging.cm.com/v1.0/message")
        }, "\(rig.harness.logs.captured.suffix(5))")
        try rig.post(AutoReplyRig.mo(text: "hours"))
        #expect(rig.gateway.waitForRequests(count: 1).first?.productTokenHeader == AutoReplyRig.token)

        let warned = try runBuiltTool("moctl", ["check-config", "--config", try rig.moctlConfig(cm: "token_in_body = false")])
        #expect(warned.status == 0)
        #expect(warned.output.contains("warning: cm.token_in_body"), "\(warned.output)")
        let json = try runBuiltTool("moctl", ["check-config", "--json", "--config", try rig.moctlConfig(cm: "token_in_body = false")])
        #expect(json.output.contains(#""key":"cm.token_in_body""#), "\(json.output)")
        // The default (body), and the header on the Cloudflare endpoint itself, draw no warning.
        let quiet = try runBuiltTool("moctl", ["check-config", "--config", try rig.moctlConfig()])
        #expect(quiet.status == 0)
        #expect(!quiet.output.contains("warning"), "\(quiet.output)")
        let cloudflare = try MOCtlTests.config(url: rig.harness.databaseURL, extra: """

            [cm]
            send_url = "https://gw.messaging.cm.com/v1.0/message"
            token_in_body = false
            """)
        let onCloudflare = try runBuiltTool("moctl", ["check-config", "--config", cloudflare])
        #expect(onCloudflare.status == 0)
        #expect(!onCloudflare.output.contains("warning"), "\(onCloudflare.output)")
    }

    // MARK: 5. The conversation window, before every send attempt

    @Test("a reply retried after the WhatsApp window closed is skipped (window_closed) and never reaches CM")
    func retryAfterWindowClosed() throws {
        let rig = try AutoReplyRig(mode: .serverError)
        try rig.post(AutoReplyRig.mo(text: "hours"))
        #expect(rig.gateway.waitForRequests(count: 1).count == 1)
        #expect(eventually { (try? rig.harness.jobStates(kind: "dispatch")) == ["retryable": 1] })
        // Days later the customer's message is three days old; CM works again.
        _ = try rig.harness.query("""
            UPDATE inbound_messages SET time_utc = now() - interval '3 days', received_at = now() - interval '3 days'
            """)
        rig.gateway.mode = .accepted
        _ = try rig.harness.query("UPDATE jobs SET scheduled_at = now() WHERE kind = 'dispatch'")
        _ = try rig.harness.query("NOTIFY mo_jobs")
        #expect(eventually { (try? rig.harness.jobStates(kind: "dispatch")) == ["completed": 1] })
        #expect(try Self.rowState(rig).map(\.state) == ["skipped"])
        #expect(try Self.rowState(rig).map(\.reason) == ["window_closed"])
        Thread.sleep(forTimeInterval: 0.3)
        #expect(rig.gateway.requests.count == 1)
        #expect(rig.harness.logs.captured.contains { $0.contains("window_closed") })
    }

    @Test("moctl replay of an unanswered reply days later sends nothing once the window closed")
    func replayAfterWindowClosed() throws {
        let rig = try AutoReplyRig(mode: .authenticationFailure)
        try rig.post(AutoReplyRig.mo(text: "hours"))
        #expect(eventually { (try? rig.harness.jobStates(kind: "dispatch")) == ["discarded": 1] })
        _ = try rig.harness.query("""
            UPDATE inbound_messages SET time_utc = now() - interval '2 days', received_at = now() - interval '2 days'
            """)
        rig.gateway.mode = .accepted
        let id = try #require(try rig.harness.query("SELECT id FROM inbound_messages").int(0, 0))
        let config = try rig.moctlConfig(cm: """

            [[handlers]]
            name = "auto"
            type = "auto_reply"
            default_reply = "Thanks"
            """)
        let replay = try runBuiltTool("moctl", ["replay", "--config", config, String(id), "--handler", "auto"])
        #expect(replay.status == 0, "\(replay.output)")
        #expect(eventually { (try? Self.rowState(rig).first?.state) == "skipped" })
        #expect(try Self.rowState(rig).first?.reason == "window_closed")
        Thread.sleep(forTimeInterval: 0.3)
        #expect(rig.gateway.requests.count == 1, "only the first, refused, attempt reached CM")
    }

    @Test("moctl send to WhatsApp without a recent message from the customer warns, sends nothing, and sends with --force")
    func moctlSendNeedsForceOutsideWindow() throws {
        let rig = try AutoReplyRig()
        let config = try rig.moctlConfig()
        let refused = try Self.moctlSend(config, to: "+31655555555", channel: "whatsapp")
        #expect(refused.status == 1)
        #expect(refused.output.contains("window_closed") && refused.output.contains("--force"), "\(refused.output)")
        Thread.sleep(forTimeInterval: 0.3)
        #expect(rig.gateway.requests.isEmpty)
        #expect(try Self.rowState(rig).map(\.state) == ["skipped"])

        let forced = try Self.moctlSend(config, to: "+31655555555", channel: "whatsapp", ["--force"])
        #expect(forced.status == 0, "\(forced.output)")
        let message = try #require(rig.gateway.waitForRequests(count: 1).first?.messages.first)
        #expect(message.allowedChannels == ["WhatsApp"])
        #expect(message.to == ["0031655555555"])

        // Once the customer wrote, the same send needs no --force (their message also gets its auto-reply).
        try rig.post(AutoReplyRig.mo(from: "0031655555555", text: "hello"))
        #expect(rig.gateway.waitForRequests(count: 2).count == 2)
        let allowed = try Self.moctlSend(config, to: "+31655555555", channel: "WhatsApp")
        #expect(allowed.status == 0, "\(allowed.output)")
        #expect(rig.gateway.waitForRequests(count: 3).count == 3)
    }

    // MARK: 6. Channel names in allowedChannels

    @Test("Apple Messages for Business is sent as Apple Business Chat, and inbound names match in any case")
    func channelNamesMapped() throws {
        let rig = try AutoReplyRig(settings: ["min_interval_seconds": .int(0)])
        let apple = "0b9a1c2e-53e4-4bb4-9d3e-1f2a3b4c5d6e"
        try rig.post(AutoReplyRig.mo(from: apple, to: "f2d1c0b9-business", text: "hours",
                                     channel: "Apple Messages for Business"))
        #expect(rig.gateway.waitForRequests(count: 1).count == 1)
        try rig.post(AutoReplyRig.mo(from: "+31622222222", text: "hours", channel: "whatsapp"))
        let requests = rig.gateway.waitForRequests(count: 2)
        let messages = requests.compactMap(\.messages.first)
        #expect(messages.map(\.allowedChannels) == [["Apple Business Chat"], ["WhatsApp"]])
        #expect(messages.first?.to == [apple], "an Apple id is sent as given")
        #expect(eventually { (try? Self.rowState(rig).map(\.state)) == ["accepted", "accepted"] })
    }

    @Test("no channel or an unknown one: allowed_channels is used, else the reply is skipped with the reason; never [\"\"]")
    func channelFallback() throws {
        let bare = try AutoReplyRig(settings: ["min_interval_seconds": .int(0)])
        try bare.post(AutoReplyRig.mo(text: "hours", channel: nil))
        try bare.post(AutoReplyRig.mo(from: "+31633333333", text: "hours", channel: "Carrier Pigeon"))
        let decisions = bare.decisions(2)
        #expect(decisions.map(\.decision) == ["skip", "skip"])
        #expect(decisions.allSatisfy { $0.reason?.contains("allowed_channels") == true }, "\(decisions)")
        Thread.sleep(forTimeInterval: 0.3)
        #expect(bare.gateway.requests.isEmpty)

        let configured = try AutoReplyRig(settings: ["min_interval_seconds": .int(0),
                                                     "allowed_channels": .strings(["sms"])])
        try configured.post(AutoReplyRig.mo(text: "hours", channel: nil))
        let message = try #require(configured.gateway.waitForRequests(count: 1).first?.messages.first)
        #expect(message.allowedChannels == ["SMS"])
        #expect(!configured.gateway.requests.contains { $0.messages.contains { $0.allowedChannels.contains("") } })
    }

    // MARK: 7. Numbers as CM asks for them

    @Test("replies go to 00 + country code whatever form the customer's number came in; ids stay as they are",
          arguments: [("+31612345678", "0031612345678"), ("0031612345678", "0031612345678"),
                      ("+44 7911 123456", "00447911123456")])
    func recipientNormalized(from: String, expected: String) throws {
        let rig = try AutoReplyRig()
        try rig.post(AutoReplyRig.mo(from: from, text: "hours"))
        #expect(rig.gateway.waitForRequests(count: 1).first?.messages.first?.to == [expected])
    }

    // MARK: 8. A failed send is visible as failed

    @Test("a refused token records the reply as failed with CM's code and text, counted by moctl status; after the fix moctl jobs retry sends it")
    func failedSendVisible() throws {
        let rig = try AutoReplyRig(mode: .authenticationFailure)
        try rig.post(AutoReplyRig.mo(text: "hours"))
        #expect(eventually { (try? rig.harness.jobStates(kind: "dispatch")) == ["discarded": 1] })
        let row = try rig.harness.query("SELECT send_state, cm_error_code, cm_details FROM outbound_messages")
        #expect(row.string(0, 0) == "failed")
        #expect(row.int(0, 1) == 101)
        #expect(row.string(0, 2)?.contains("Authentication") == true, "\(row.string(0, 2) ?? "")")
        let config = try rig.moctlConfig()
        let status = try runBuiltTool("moctl", ["status", "--json", "--config", config])
        #expect(status.output.contains(#""send_failures_24h":1"#), "\(status.output)")
        let text = try runBuiltTool("moctl", ["status", "--config", config])
        #expect(text.output.contains("1 x CM error 101"), "\(text.output)")

        // The operator fixes the token (here: CM accepts again) and retries the discarded job.
        rig.gateway.mode = .accepted
        let retry = try runBuiltTool("moctl", ["jobs", "retry", "--discarded", "--config", config])
        #expect(retry.status == 0, "\(retry.output)")
        #expect(eventually { (try? Self.rowState(rig).first?.state) == "accepted" })
        let references = Set(rig.gateway.requests.compactMap { $0.messages.first?.reference })
        #expect(rig.gateway.requests.count == 2)
        #expect(references.count == 1, "the retry sends the same intent")
        #expect(try rig.harness.count("outbound_messages") == 1)
    }

    // MARK: 9. Twitter's allotment

    @Test("Twitter: 5 messages since the customer's last one (auto-replies and moctl send together), the 6th skipped or needing --force; their next message resets")
    func twitterAllotment() throws {
        let rig = try AutoReplyRig(mode: .serverError, settings: [
            "min_interval_seconds": .int(0), "max_per_day": .int(100), "max_per_conversation": .int(100),
        ])
        let customer = Self.twitterCustomer, us = Self.twitterUs
        try rig.post(AutoReplyRig.mo(from: customer, to: us, text: "hi", channel: "Twitter"))
        #expect(rig.gateway.waitForRequests(count: 1).count == 1)
        #expect(eventually { (try? rig.harness.jobStates(kind: "dispatch")) == ["retryable": 1] })
        // The retry waits until the test calls it: its backoff alone could land it among the desk's sends below.
        _ = try rig.harness.query("UPDATE jobs SET scheduled_at = now() + interval '1 hour' WHERE kind = 'dispatch'")
        rig.gateway.mode = .accepted

        // Meanwhile the desk sends 5: all allowed.
        let config = try rig.moctlConfig()
        for index in 1...5 {
            let sent = try Self.moctlSend(config, to: customer, channel: "twitter", text: "desk \(index)", from: us)
            #expect(sent.status == 0, "\(index): \(sent.output)")
        }
        #expect(rig.gateway.waitForRequests(count: 6).count == 6)
        // The 6th from the desk needs --force.
        let sixth = try Self.moctlSend(config, to: customer, channel: "Twitter", text: "desk 6", from: us)
        #expect(sixth.status == 1)
        #expect(sixth.output.contains("twitter_allotment") && sixth.output.contains("--force"), "\(sixth.output)")
        // The auto-reply's retry is the 6th too: skipped, whatever max_per_day says.
        _ = try rig.harness.query("UPDATE jobs SET scheduled_at = now() WHERE kind = 'dispatch'")
        _ = try rig.harness.query("NOTIFY mo_jobs")
        #expect(eventually { (try? rig.harness.jobStates(kind: "dispatch")) == ["completed": 1] })
        let reply = try Self.rowState(rig, "SELECT send_state, skip_reason FROM outbound_messages WHERE origin = 'auto_reply'")
        #expect(reply.map(\.state) == ["skipped"])
        #expect(reply.map(\.reason) == ["twitter_allotment"])
        Thread.sleep(forTimeInterval: 0.3)
        #expect(rig.gateway.requests.count == 6)

        // The customer writes again: the count starts over.
        try rig.post(AutoReplyRig.mo(from: customer, to: us, text: "still there?", channel: "Twitter"))
        #expect(rig.gateway.waitForRequests(count: 7).count == 7)
        let again = try Self.moctlSend(config, to: customer, channel: "Twitter", text: "yes", from: us)
        #expect(again.status == 0, "\(again.output)")
        let last = try #require(rig.gateway.waitForRequests(count: 8).last?.messages.first)
        #expect(last.allowedChannels == ["Twitter"])
        #expect(last.to == [customer], "a snowflake is sent as given")
    }
}
