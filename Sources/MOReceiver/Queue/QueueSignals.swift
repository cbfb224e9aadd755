import LibPQ
import Logging
import MOStore
import MOSystem
import Synchronization

/// Tells other daemons' workers that new jobs were committed: `NOTIFY mo_jobs`, sent after the commit by this
/// thread on its own connection, debounced (pokes that arrive while one is being sent, or within `debounce` after,
/// become one notification). Workers of this daemon are woken directly, without the round trip.
/// A `Service` with one thread, `mo-queue-notifier`.
final class QueueNotifier: Service, @unchecked Sendable {
    private let condition = ThreadCondition()
    private var pending = false
    private var stopped = false
    let database: DatabaseSettings
    let logger: Logger
    let debounce: Duration
    /// The backend that sends our notifications, so our own listener can ignore them.
    let backendPID = Atomic<Int>(0)
    private let threads = ServiceThreads()

    init(database: DatabaseSettings, logger: Logger, debounce: Duration = .milliseconds(5)) {
        self.database = database
        self.logger = logger
        self.debounce = debounce
    }

    var name: String { "queue notifier" }

    func start() {
        threads.spawn(name: "mo-queue-notifier") { [self] in run() }
    }

    func poke() {
        condition.lock()
        pending = true
        condition.signal()
        condition.unlock()
    }

    /// Waits up to 2 s for the thread (its own bound, whatever `deadline` says).
    func stop(deadline _: ContinuousClock.Instant) {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
        threads.join(until: .now.advanced(by: .seconds(2)))
    }

    private func run() {
        var session = DatabaseSession.queue(database, logger: logger, role: "notifier")
        while true {
            condition.lock()
            while !pending && !stopped { condition.wait() }
            let done = stopped
            pending = false
            condition.unlock()
            if done { return }
            guard let connection = session.connect() else { continue }
            backendPID.store(connection.backendPID, ordering: .relaxed)
            do {
                try connection.execute(script: "NOTIFY \(QueueChannel.name)")
            } catch {
                session.drop(after: error)
            }
            SystemThread.sleep(for: debounce)
        }
    }
}

/// Wakes this daemon's workers when another daemon committed jobs: `LISTEN mo_jobs` on its own connection.
/// A lost notification (connection drop) costs at most the workers' poll interval.
/// A `Service` with one thread, `mo-queue-listener`.
final class QueueListener: Service {
    let database: DatabaseSettings
    let wake: @Sendable () -> Void
    let notifier: QueueNotifier
    let logger: Logger
    private let stopped = Atomic<Bool>(false)
    private let threads = ServiceThreads()

    init(database: DatabaseSettings, wake: @escaping @Sendable () -> Void, notifier: QueueNotifier, logger: Logger) {
        self.database = database
        self.wake = wake
        self.notifier = notifier
        self.logger = logger
    }

    var name: String { "queue listener" }

    func start() {
        threads.spawn(name: "mo-queue-listener") { [self] in run() }
    }

    /// Waits up to 2 s for the thread (its own bound, whatever `deadline` says).
    func stop(deadline _: ContinuousClock.Instant) {
        stopped.store(true, ordering: .relaxed)
        threads.join(until: .now.advanced(by: .seconds(2)))
    }

    private func run() {
        var session = DatabaseSession.queue(database, logger: logger, role: "listener")
        var listening: ObjectIdentifier?
        while !stopped.load(ordering: .relaxed) {
            guard let connection = session.connect() else {
                SystemThread.sleep(for: min(.milliseconds(250), session.retryIn))
                continue
            }
            do {
                if listening != ObjectIdentifier(connection) {
                    try connection.execute(script: "LISTEN \(QueueChannel.name)")
                    listening = ObjectIdentifier(connection)
                    // Anything committed while we were not listening is found by this wake-up's claim.
                    wake()
                }
                let ours = notifier.backendPID.load(ordering: .relaxed)
                let received = try connection.waitForNotifications(timeout: .milliseconds(250))
                if received.contains(where: { $0.senderPID != ours }) {
                    wake()
                }
            } catch {
                session.drop(after: error)
                listening = nil
            }
        }
    }
}

/// Keeps the queue healthy: renews the leases of the jobs this daemon runs (heartbeat), takes back jobs whose
/// lease expired (rescuer: their worker was killed), and deletes old finished jobs (cleaner). Safe with several
/// daemons on one database: each statement only touches rows in the state it expects.
/// A `Service` with one thread, `mo-queue-maintenance`.
final class QueueMaintenance: Service {
    let settings: QueueSettings
    let database: DatabaseSettings
    let running: RunningJobs
    let wake: @Sendable () -> Void
    let holder: String
    let logger: Logger
    private let stopped = Atomic<Bool>(false)
    private let threads = ServiceThreads()

    init(settings: QueueSettings, database: DatabaseSettings, running: RunningJobs,
         wake: @escaping @Sendable () -> Void, holder: String, logger: Logger) {
        self.settings = settings
        self.database = database
        self.running = running
        self.wake = wake
        self.holder = holder
        self.logger = logger
    }

    var name: String { "queue maintenance" }

    func start() {
        threads.spawn(name: "mo-queue-maintenance") { [self] in run() }
    }

    /// Waits up to 2 s for the thread (its own bound, whatever `deadline` says).
    func stop(deadline _: ContinuousClock.Instant) {
        stopped.store(true, ordering: .relaxed)
        threads.join(until: .now.advanced(by: .seconds(2)))
    }

    private func run() {
        var session = DatabaseSession.queue(database, logger: logger, role: "maintenance")
        let clock = ContinuousClock()
        var nextHeartbeat = clock.now
        var nextRescue = clock.now
        var nextClean = clock.now.advanced(by: .seconds(5))
        while !stopped.load(ordering: .relaxed) {
            SystemThread.sleep(for: .milliseconds(100))
            let now = clock.now
            guard now >= min(nextHeartbeat, nextRescue, nextClean), let connection = session.connect() else { continue }
            let store = JobStore(connection: connection)
            do {
                if now >= nextHeartbeat {
                    try store.heartbeat(ids: running.snapshot, holder: holder, lease: settings.lease)
                    nextHeartbeat = now.advanced(by: settings.heartbeatInterval)
                }
                if now >= nextRescue {
                    let rescued = try store.rescue()
                    for job in rescued {
                        logger.warning("job's lease expired; returned to the queue", metadata: [
                            "job.id": "\(job.id)", "job.kind": "\(job.kind)", "job.holder": "\(job.holder ?? "")",
                        ])
                    }
                    if !rescued.isEmpty { wake() }
                    nextRescue = now.advanced(by: settings.rescueInterval)
                }
                if now >= nextClean {
                    var deleted = 0
                    while !stopped.load(ordering: .relaxed) {
                        let batch = try store.clean(finishedAge: settings.completedRetention,
                                                    discardedAge: settings.discardedRetention)
                        deleted += batch
                        if batch < 1_000 { break }
                    }
                    if deleted > 0 { logger.info("deleted finished jobs", metadata: ["job.deleted": "\(deleted)"]) }
                    nextClean = now.advanced(by: settings.cleanInterval)
                }
            } catch {
                logger.warning("queue maintenance failed; will try again", metadata: ["db.error": "\(error.message)"])
                session.drop(after: error)
            }
        }
    }
}
