import Synchronization
import Testing
import MOSystem

/// A service that records what it was asked to do, in one journal shared by the services of a group.
private final class RecordingService: Service {
    let name: String
    let journal: Journal
    let failsToStart: Bool

    init(_ name: String, journal: Journal, failsToStart: Bool = false) {
        self.name = name
        self.journal = journal
        self.failsToStart = failsToStart
    }

    struct StartFailed: Error {}

    func start() throws {
        journal.append("start \(name)")
        if failsToStart { throw StartFailed() }
    }

    func quiesce() { journal.append("quiesce \(name)") }

    func stop(deadline: ContinuousClock.Instant) { journal.append("stop \(name)") }
}

private final class Journal: Sendable {
    private let entries = Mutex<[String]>([])
    func append(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
}

@Suite("Services: one shape, started in order and stopped in reverse")
struct ServiceGroupTests {
    @Test("a group starts its services first to last, then quiesces all and stops all, each pass last to first")
    func order() throws {
        let journal = Journal()
        let group = ServiceGroup(["admin", "listener", "queue", "writer"].map { RecordingService($0, journal: journal) })
        try group.start()
        #expect(journal.all == ["start admin", "start listener", "start queue", "start writer"])
        group.shutdown(deadline: .now.advanced(by: .seconds(1)))
        #expect(journal.all.dropFirst(4) == [
            "quiesce writer", "quiesce queue", "quiesce listener", "quiesce admin",
            "stop writer", "stop queue", "stop listener", "stop admin",
        ])
    }

    @Test("when a service cannot start, it and those started before it are stopped in reverse, the rest never start")
    func failedStart() {
        let journal = Journal()
        let group = ServiceGroup([RecordingService("admin", journal: journal),
                                  RecordingService("listener", journal: journal, failsToStart: true),
                                  RecordingService("writer", journal: journal)])
        #expect(throws: RecordingService.StartFailed.self) { try group.start() }
        #expect(journal.all == ["start admin", "start listener", "quiesce listener", "quiesce admin",
                                "stop listener", "stop admin"])
    }

    @Test("join waits for a service's threads up to its deadline, and says whether they all ended")
    func threads() {
        let threads = ServiceThreads()
        let release = Atomic<Bool>(false)
        let ran = Atomic<Int>(0)
        for index in 0..<3 {
            threads.spawn(name: "mo-test-\(index)") {
                while !release.load(ordering: .relaxed) { SystemThread.sleep(for: .milliseconds(5)) }
                ran.add(1, ordering: .relaxed)
            }
        }
        let started = ContinuousClock.now
        #expect(!threads.join(until: .now.advanced(by: .milliseconds(100))))
        #expect(ContinuousClock.now - started >= .milliseconds(100))
        release.store(true, ordering: .relaxed)
        #expect(threads.join(until: .now.advanced(by: .seconds(5))))
        #expect(ran.load(ordering: .relaxed) == 3)
    }
}
