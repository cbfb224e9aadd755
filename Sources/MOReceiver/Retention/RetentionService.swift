import Logging
import MOStore
import MOSystem
import Synchronization

/// The daemon's periodic purge (docs/retention.md): every retention.purge_interval_minutes, one purge with the
/// configured ages, in batches of short transactions. Started and stopped with the job queue, beside its
/// maintenance thread; owns one thread and the connection that thread uses. Safe with several daemons: the purger
/// takes an advisory lock, so one purge runs at a time. A `Service` with one thread, `mo-retention`.
final class RetentionService: Service {
    let config: ReceiverConfig
    let database: DatabaseSettings
    let logger: Logger
    /// The first purge runs this long after start (the daemon settles first).
    let firstRunDelay: Duration
    private let stopped = Atomic<Bool>(false)
    private let threads = ServiceThreads()

    init(config: ReceiverConfig, database: DatabaseSettings, logger: Logger, firstRunDelay: Duration = .seconds(60)) {
        self.config = config
        self.database = database
        self.logger = logger
        self.firstRunDelay = firstRunDelay
    }

    var name: String { "retention" }

    func start() {
        threads.spawn(name: "mo-retention") { [self] in run() }
    }

    /// Waits up to 5 s for the purge to notice and end (its own bound, whatever `deadline` says).
    func stop(deadline _: ContinuousClock.Instant) {
        stopped.store(true, ordering: .relaxed)
        threads.join(until: .now.advanced(by: .seconds(5)))
    }

    private func run() {
        var session = DatabaseSession.queue(database, logger: logger, role: "retention")
        let clock = ContinuousClock()
        var next = clock.now.advanced(by: firstRunDelay)
        while !stopped.load(ordering: .relaxed) {
            SystemThread.sleep(for: .milliseconds(200))
            guard clock.now >= next else { continue }
            guard let connection = session.connect() else { continue }
            let started = clock.now
            do {
                // Finished jobs are the queue's cleaner's, every minute with the same ages; the daemon's purge
                // leaves them to it (`moctl purge` does both).
                var ages = config.retentionAges
                ages.completedJobs = nil
                ages.discardedJobs = nil
                let report = try Retention.purge(config: config, ages: ages, on: connection,
                                                 shouldStop: { stopped.load(ordering: .relaxed) })
                if report.total > 0 || report.filesDeleted > 0 {
                    logger.info("retention purge done", metadata: [
                        "retention.media_files": "\(report.purged[.mediaFiles] ?? 0)",
                        "retention.files_deleted": "\(report.filesDeleted)",
                        "retention.raw_payloads": "\(report.purged[.rawPayloads] ?? 0)",
                        "retention.normalized_rows": "\(report.purged[.normalizedRows] ?? 0)",
                        "retention.kept": "\(report.kept[.normalizedRows] ?? 0)",
                        "retention.outbound_messages": "\(report.purged[.outboundMessages] ?? 0)",
                        "retention.finished_jobs": "\(report.purged[.finishedJobs] ?? 0)",
                        "retention.batches": "\(report.batches)",
                        "retention.seconds": "\(Double((clock.now - started) / .milliseconds(1)) / 1000)",
                    ])
                }
            } catch {
                switch error {
                case .busy:
                    logger.debug("retention purge skipped: another one is running")
                case .database(let error):
                    logger.warning("retention purge failed; will try again", metadata: ["db.error": "\(error.message)"])
                    session.drop(after: error)
                }
            }
            next = clock.now.advanced(by: .seconds(config.retention.purgeIntervalMinutes * 60))
        }
    }
}
