import Foundation
import Logging
import MOStore

/// The queue side of the daemon: worker pool, wake-ups (local and `LISTEN/NOTIFY`), heartbeat, rescuer and
/// cleaner. Built by `buildReceiver`; `start`/`stop` from the controlling thread, `jobsCommitted` from any thread
/// (the ingest writer calls it after a commit that enqueued jobs).
final class JobQueue: Sendable {
    let wakeup = JobWakeup()
    let running = RunningJobs()
    let notifier: QueueNotifier
    let listener: QueueListener
    let workers: WorkerPool
    let maintenance: QueueMaintenance
    let settings: QueueSettings
    let logger: Logger
    /// This daemon instance, as recorded in `jobs.attempted_by`.
    let holder: String

    init(settings: QueueSettings, database: DatabaseSettings, dispatcher: Dispatcher, logger: Logger) {
        self.settings = settings
        self.logger = logger
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count - 1)
        holder = "\(String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))/\(getpid())/\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        notifier = QueueNotifier(database: database, logger: logger)
        listener = QueueListener(database: database, wakeup: wakeup, notifier: notifier, logger: logger)
        workers = WorkerPool(settings: settings, database: database, dispatcher: dispatcher, wakeup: wakeup,
                             running: running, holder: holder, logger: logger)
        maintenance = QueueMaintenance(settings: settings, database: database, running: running, wakeup: wakeup,
                                       holder: holder, logger: logger)
    }

    func start() {
        notifier.start()
        listener.start()
        maintenance.start()
        workers.start()
        logger.info("job queue started", metadata: ["queue.workers": "\(settings.workers)", "queue.holder": "\(holder)"])
    }

    /// New jobs were committed: wake our workers now, and other daemons' through NOTIFY.
    func jobsCommitted() {
        wakeup.signal()
        notifier.poke()
    }

    /// Stops claiming, lets running jobs finish within the grace period, then stops the helpers.
    func stop() {
        let drained = workers.stop(grace: settings.shutdownGrace)
        if !drained {
            logger.warning("jobs still running at shutdown; their leases will expire and they will run again", metadata: [
                "queue.running": "\(running.snapshot.count)",
            ])
        }
        listener.stop()
        notifier.stop()
        maintenance.stop()
    }
}
