import Glibc
import LibPQ
import Logging
import MOStore
import MOSystem

/// The queue side of the daemon: worker pool, wake-ups (local and `LISTEN/NOTIFY`), heartbeat, rescuer and
/// cleaner. A `Service` made of services, each with threads of its own: the helpers (retention, maintenance,
/// notifier, listener) in a `ServiceGroup`, then the worker pools. Built by `buildReceiver`; `start`/`stop` from
/// the controlling thread, `jobsCommitted` from any thread (the ingest writer calls it after a commit that
/// enqueued jobs).
final class JobQueue: Service {
    let running = RunningJobs()
    let notifier: QueueNotifier
    let listener: QueueListener
    let pools: [WorkerPool]
    let maintenance: QueueMaintenance
    /// The periodic retention purge, run beside the queue's maintenance (nil: none).
    let retention: RetentionService?
    /// The helper threads, in start order: stopped after the pools drained, in reverse.
    let helpers: ServiceGroup
    let settings: QueueSettings
    let logger: Logger
    /// This daemon instance, as recorded in `jobs.attempted_by`.
    let holder: String

    /// `runners`: each gets a worker pool of its own size (handler dispatch, media downloads).
    init(settings: QueueSettings, database: DatabaseSettings, runners: [(name: String, workers: Int, runner: any JobRunner)],
         metrics: Metrics? = nil, logger: Logger, retention: RetentionService? = nil) {
        self.retention = retention
        self.settings = settings
        self.logger = logger
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count - 1)
        holder = "\(String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))/\(getpid())/\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        notifier = QueueNotifier(database: database, logger: logger)
        var pools: [WorkerPool] = []
        for entry in runners {
            pools.append(WorkerPool(name: entry.name, workers: entry.workers, runner: entry.runner, settings: settings,
                                    database: database, running: running, holder: holder, metrics: metrics,
                                    logger: logger))
        }
        self.pools = pools
        let wakeups = pools.map(\.wakeup)
        let wake: @Sendable () -> Void = { for wakeup in wakeups { wakeup.signal() } }
        listener = QueueListener(database: database, wake: wake, notifier: notifier, logger: logger)
        maintenance = QueueMaintenance(settings: settings, database: database, running: running, wake: wake,
                                       holder: holder, logger: logger)
        let queueHelpers: [any Service] = [maintenance, notifier, listener]
        helpers = ServiceGroup((retention.map { [$0] } ?? []) + queueHelpers)
    }

    var name: String { "job queue" }

    func start() throws {
        try helpers.start()
        for pool in pools { pool.start() }
        logger.info("job queue started", metadata: [
            "queue.pools": "\(pools.map { "\($0.name)=\($0.workers)" }.joined(separator: ","))", "queue.holder": "\(holder)",
        ])
    }

    /// New jobs were committed: wake a worker of each pool now, and other daemons' through NOTIFY.
    func jobsCommitted() {
        for pool in pools { pool.wakeup.signal() }
        notifier.poke()
    }

    /// Stops claiming, lets running jobs finish within the grace period (`queue.shutdown_grace_seconds`, its own
    /// bound, whatever `deadline` says), then stops the helpers.
    func stop(deadline _: ContinuousClock.Instant) {
        // Every pool stops claiming at once, then each gets what is left of the grace.
        for pool in pools { pool.quiesce() }
        let deadline = ContinuousClock.now.advanced(by: settings.shutdownGrace)
        let drained = pools.map { $0.drain(until: deadline) }.allSatisfy { $0 }
        if !drained {
            logger.warning("jobs still running at shutdown; their leases will expire and they will run again", metadata: [
                "queue.running": "\(running.snapshot.count)",
            ])
        }
        helpers.shutdown(deadline: deadline)
    }
}

extension DatabaseSession {
    /// A queue thread's session: first retry after 100 ms, doubling up to 5 s; the outage and its end logged with
    /// `queue.role`.
    static func queue(_ settings: DatabaseSettings, logger: Logger, role: String) -> DatabaseSession {
        DatabaseSession(
            settings: settings, logger: logger,
            announcements: .init(unavailable: "database unavailable to the queue; retrying",
                                 established: "database connection re-established", metadata: ["queue.role": "\(role)"]),
            initialDelay: .milliseconds(100), maxDelay: .seconds(5),
            setup: { connection throws(PGError) in
                // Job bookkeeping may lose its last commits in a crash (the job then runs again: at-least-once), so
                // queue connections do not wait for the WAL flush. What must be durable (auto-reply intents and CM's
                // answers) says so with SET LOCAL synchronous_commit = on in its own transaction.
                try connection.execute(script: "SET synchronous_commit = off")
            })
    }
}
