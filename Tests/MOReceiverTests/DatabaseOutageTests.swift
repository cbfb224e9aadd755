import Foundation
import MOReceiver
import MOTestSupport
import Testing

@Suite("PostgreSQL unavailable", .serialized)
struct DatabaseOutageTests {
    @Test("while PostgreSQL is stopped requests get 503 with Retry-After within 2 s; once it is back, 200 again without a restart")
    func outageAndRecovery() throws {
        // A cluster of its own, since this test stops it.
        let cluster = try PostgresCluster()
        try cluster.start()
        let admin = try LibPQConnect.open(cluster.url())
        try admin.execute(script: "CREATE DATABASE mo")
        try MigrateFor.tests(cluster.url(database: "mo"))
        let harness = try ReceiverHarness(databaseURL: cluster.url(database: "mo"))
        let body = try fixture("mo/whatsapp-text.json")
        #expect(try harness.post(body: body).status == 200)

        try cluster.stop(mode: "immediate")
        var outageReplies: [(status: Int, seconds: Double, retryAfter: String?)] = []
        for index in 0..<3 {
            let started = ContinuousClock.now
            let reply = try harness.post(body: Array(#"{"from":{"number":"+3160000000\#(index)"},"channel":"SMS"}"#.utf8))
            let elapsed = ContinuousClock.now - started
            outageReplies.append((reply.status, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                                  reply.headers["retry-after"]))
        }
        for reply in outageReplies {
            #expect(reply.status == 503)
            #expect(reply.seconds < 2.0)
            #expect(reply.retryAfter != nil)
        }

        try cluster.start()
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        var recovered = false
        while ContinuousClock.now < deadline {
            if try harness.post(body: Array(#"{"from":{"number":"+31600000099"},"channel":"SMS"}"#.utf8)).status == 200 {
                recovered = true
                break
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(recovered)
        #expect(try harness.count("inbound_messages") == 2)
        #expect(harness.logs.captured.contains { $0.contains("database unavailable") })
    }
}
