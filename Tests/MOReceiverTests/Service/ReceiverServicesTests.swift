import Foundation
import Logging
@testable import MOReceiver
import MOTestSupport
import Testing

@Suite("The receiver as an ordered list of services")
struct ReceiverServicesTests {
    @Test("the admin listener starts first and stops last; the writer starts last and stops first", arguments: [true, false])
    func order(withAdmin: Bool) throws {
        var config = ReceiverHarness.config(databaseURL: "postgresql:///unused")
        config.media.enabled = false
        if !withAdmin { config.admin.host = nil }
        let receiver = try buildReceiver(config: config, logger: Logger(label: "test"))
        let expected = (withAdmin ? ["admin listener"] : [])
            + ["webhook listener", "health monitor", "job queue", "ingest writer"]
        #expect(receiver.services.services.map(\.name) == expected)
    }

    @Test("start and shutdown walk the list: the lifecycle is logged, the writer drains before the listeners close")
    func lifecycle() throws {
        let harness = try ReceiverHarness()
        #expect(harness.receiver.currentState == .running)
        harness.receiver.shutdown(grace: .seconds(2))
        #expect(harness.receiver.currentState == .stopped)
        let lines = harness.logs.captured
        let transitions = lines.filter { $0.contains("receiver state changed") }
        #expect(transitions.count == 4)
        let writerStopped = try #require(lines.firstIndex { $0.contains("ingest writer stopped") })
        let draining = try #require(lines.firstIndex { $0.contains("lifecycle.to=draining") })
        let stopped = try #require(lines.firstIndex { $0.contains("lifecycle.to=stopped") })
        #expect(draining < writerStopped && writerStopped < stopped)
    }
}
