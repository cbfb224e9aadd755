import Foundation
import LibPQ
import MOPolicy
import MOReceiver
import MOTestSupport
import Testing

/// Issue 16 point 11, over real HTTP: on a shared number with a claimed keyword (seed 004), routes' keywords,
/// auto-reply rules and STOP/START see the text after the claim; the stored message keeps its text as received.
@Suite("Keyword claims on shared numbers, over HTTP")
struct KeywordClaimTests {
    static let shared = "+3197010203040"
    static let dedicated = "+3197012345678"

    /// The claims as an operator writes them in config.toml.
    static func claims() throws -> KeywordClaims {
        try ReceiverConfig.parse("""
            [database]
            url = "postgresql:///unused"

            [[numbers]]
            number = "0031 97 010203040"
            claimed_keywords = ["JOIN"]
            """, file: "claims.toml").keywordClaims
    }

    static func mo(to: String, text: String, from: String = "+31612345678") -> [UInt8] {
        Array(#"{"from":{"number":"\#(from)"},"to":{"number":"\#(to)"},"message":{"text":"\#(text)"},"channel":"SMS","nonce":"\#(UUID().uuidString)"}"#.utf8)
    }

    @Test("a keyword route matches the word after the claim on the shared number, and only there")
    func routeAfterClaim() throws {
        let help = RecordingHandler()
        let all = RecordingHandler()
        var registry = HandlerRegistry.builtIn
        registry.register("help") { _, _ in help }
        registry.register("all") { _, _ in all }
        let claims = try Self.claims()
        let harness = try ReceiverHarness(registry: registry) { config in
            config.handlers = [HandlerSpec(name: "help", type: "help"), HandlerSpec(name: "all", type: "all")]
            config.routes = [
                try! Route(name: "help", kinds: [.mo], keywords: ["HELP"], handlers: ["help"]),
                try! Route(name: "mo", kinds: [.mo], handlers: ["all"]),
            ]
            config.keywordClaims = claims
        }
        #expect(try harness.post(body: Self.mo(to: Self.shared, text: "JOIN help me")).status == 200)
        #expect(try harness.post(body: Self.mo(to: Self.dedicated, text: "JOIN help me")).status == 200)
        #expect(eventually { all.calls.count == 2 })
        Thread.sleep(forTimeInterval: 0.2)
        #expect(help.calls.count == 1)
        #expect(help.calls.first?.json.contains(Self.shared) == true)
        let texts = try harness.query("SELECT text FROM inbound_messages ORDER BY id")
        #expect((0..<texts.rowCount).map { texts.string($0, 0) } == ["JOIN help me", "JOIN help me"])
    }

    @Test("JOIN STOP to the shared number opts the customer out; the same text to another number does not")
    func stopAfterClaim() throws {
        let claims = try Self.claims()
        let rig = try AutoReplyRig(settings: ["min_interval_seconds": .int(0)]) { config in
            config.keywordClaims = claims
        }
        try rig.post(Self.mo(to: Self.shared, text: "JOIN STOP", from: "+31611111111"))
        _ = rig.decisions(1)
        try rig.post(Self.mo(to: Self.dedicated, text: "JOIN STOP", from: "+31622222222"))
        _ = rig.decisions(2)
        try rig.post(Self.mo(to: Self.shared, text: "join hours", from: "+31633333333"))
        let decisions = rig.decisions(3)
        #expect(decisions.map(\.rule) == ["stop-confirmation", "default", "hours"])

        let optouts = try rig.harness.query("SELECT number, keyword FROM optouts")
        #expect(optouts.rowCount == 1)
        #expect(optouts.string(0, 0).map(RouteAddress.normalize) == "31611111111")
        #expect(optouts.string(0, 1)?.uppercased() == "STOP")

        let contents = rig.gateway.waitForRequests(count: 3).compactMap { $0.messages.first?.content }
        #expect(contents.contains { $0.hasSuffix("You wrote: hours") })
        let texts = try rig.harness.query("SELECT text FROM inbound_messages ORDER BY id")
        #expect((0..<texts.rowCount).map { texts.string($0, 0) } == ["JOIN STOP", "JOIN STOP", "join hours"])
    }
}
