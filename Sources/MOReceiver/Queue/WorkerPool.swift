import LibPQ
import Logging
import MOStore
import MOSystem

/// The worker threads: each claims one job at a time (FOR UPDATE SKIP LOCKED), runs it through the dispatcher,
/// and records the result, then claims the next; idle workers sleep until a wake-up or the poll interval.
/// A `Service` owning its threads (`mo-<name>-N`); `start`, `quiesce` and `stop` are called from the controlling
/// thread (the job queue's).
final class WorkerPool: Service {
    let settings: QueueSettings
    let database: DatabaseSettings
    let runner: any JobRunner
    let workers: Int
    let name: String
    /// This pool's own wake-ups.
    let wakeup = JobWakeup()
    let running: RunningJobs
    let holder: String
    let metrics: Metrics?
    let logger: Logger
    private let threads = ServiceThreads()

    init(name: String, workers: Int, runner: any JobRunner, settings: QueueSettings, database: DatabaseSettings,
         running: RunningJobs, holder: String, metrics: Metrics? = nil, logger: Logger) {
        self.metrics = metrics
        self.name = name
        self.workers = workers
        self.settings = settings
        self.database = database
        self.runner = runner
        self.running = running
        self.holder = holder
        self.logger = logger
    }

    func start() {
        for index in 0..<workers {
            threads.spawn(name: "mo-\(name)-\(index)") { [self] in work(index) }
        }
    }

    /// Stops claiming: idle workers end, busy ones finish the job they run.
    func quiesce() {
        wakeup.stop()
    }

    /// Lets running jobs finish, up to `deadline`; returns false when some did not (the rescuer will take them back
    /// once their leases expire).
    @discardableResult
    func drain(until deadline: ContinuousClock.Instant) -> Bool {
        wakeup.stop()
        return threads.join(until: deadline)
    }

    func stop(deadline: ContinuousClock.Instant) {
        drain(until: deadline)
    }

    private func work(_ index: Int) {
        var session = DatabaseSession.queue(database, logger: logger, role: "worker")
        while !wakeup.isStopped {
            guard let connection = session.connect() else {
                wakeup.wait(after: wakeup.current, timeout: session.retryIn)
                continue
            }
            let seen = wakeup.current
            let jobs: [Job]
            do {
                jobs = try JobStore(connection: connection).claim(kinds: runner.kinds, limit: settings.claimBatch,
                                                                   holder: holder, lease: settings.lease,
                                                                   byDeadline: runner.byDeadline)
            } catch {
                logger.warning("could not claim jobs", metadata: ["db.error": "\(error.message)"])
                session.drop(after: error)
                wakeup.wait(after: seen, timeout: settings.pollInterval)
                continue
            }
            if jobs.isEmpty {
                wakeup.wait(after: seen, timeout: settings.pollInterval)
                continue
            }
            // A full batch means a deep queue: bring another worker in.
            if jobs.count == settings.claimBatch { wakeup.signal() }
            run(jobs, session: &session)
        }
    }

    /// Runs a claimed batch in order. Completions are recorded together at the end (one statement); every other
    /// result at once. Jobs not started when the pool stops go back to the queue, not counted as an attempt.
    private func run(_ jobs: [Job], session: inout DatabaseSession) {
        for job in jobs { running.insert(job.id) }
        var completed: [(job: Job, elapsed: Duration)] = []
        var batch = BatchRun()
        if let connection = session.connection, !wakeup.isStopped {
            do {
                batch = try runner.readAhead(jobs, on: connection)
            } catch {
                session.drop(after: error)
            }
        }
        for job in jobs {
            if wakeup.isStopped {
                record(job, .snooze(.zero), elapsed: .zero, session: &session)
                running.remove(job.id)
                continue
            }
            let started = ContinuousClock.now
            var result: JobResult
            if let connection = session.connection {
                do {
                    result = try runner.run(job, batch: batch, on: connection)
                } catch {
                    session.drop(after: error)
                    result = .retry(reason: "database error: \(error.message)", delay: nil)
                }
            } else {
                result = .retry(reason: "database connection lost", delay: nil)
            }
            let elapsed = ContinuousClock.now - started
            if result == .completed {
                completed.append((job, elapsed))
            } else {
                record(job, result, elapsed: elapsed, session: &session)
                running.remove(job.id)
            }
        }
        recordCompleted(completed, session: &session)
    }

    /// Records completions in one statement; a job that is no longer ours (its lease was taken back) is logged.
    private func recordCompleted(_ completed: [(job: Job, elapsed: Duration)], session: inout DatabaseSession) {
        guard !completed.isEmpty else { return }
        defer { for (job, _) in completed { running.remove(job.id) } }
        for _ in 0..<2 {
            guard let connection = session.connect() else { continue }
            do {
                let ours = try JobStore(connection: connection, keepsCompleted: settings.keepsCompleted).complete(completed.map(\.job), holder: holder)
                for (job, elapsed) in completed {
                    log(job, .completed, state: ours.contains(job.id) ? .completed : nil, elapsed: elapsed)
                }
                return
            } catch {
                session.drop(after: error)
            }
        }
        logger.error("could not record completed jobs; their leases will expire and they will run again", metadata: [
            "job.ids": "\(completed.map(\.job.id))",
        ])
    }

    /// Records the result; on a broken connection, once more on a fresh one. If that fails too, the lease expires
    /// and the rescuer returns the job (it runs again: at-least-once).
    private func record(_ job: Job, _ result: JobResult, elapsed: Duration, session: inout DatabaseSession) {
        for _ in 0..<2 {
            guard let connection = session.connect() else { continue }
            do {
                let state = try JobStore(connection: connection, keepsCompleted: settings.keepsCompleted).finish(job, holder: holder, result: result,
                                                                       backoff: Backoff(maxDelay: settings.maxBackoff),
                                                                       jitter: Double.random(in: 0..<1))
                log(job, result, state: state, elapsed: elapsed)
                return
            } catch {
                session.drop(after: error)
            }
        }
        logger.error("could not record a job's result; its lease will expire and it will run again", metadata: [
            "job.id": "\(job.id)", "job.kind": "\(job.kind)",
        ])
    }

    private func log(_ job: Job, _ result: JobResult, state: JobState?, elapsed: Duration) {
        var metadata: Logger.Metadata = [
            "job.id": "\(job.id)", "job.kind": "\(job.kind)", "job.attempt": "\(job.attempt)",
            "job.ms": "\(elapsed / .microseconds(1) / 1000)",
        ]
        if let handler = job.dispatch?.handler { metadata["handler.name"] = "\(handler)" }
        if let metrics {
            let outcome: String
            switch (result, state) {
            case (_, nil): outcome = "lost"
            case (.completed, _): outcome = "completed"
            case (.snooze, _): outcome = "snoozed"
            case (_, .discarded?): outcome = "discarded"
            default: outcome = "retry"
            }
            metrics.jobsFinished.increment([job.kind.rawValue, outcome])
            metrics.jobDuration.observe([job.kind.rawValue], elapsed)
        }
        guard let state else {
            logger.warning("job was taken back while it ran; its result was not recorded", metadata: metadata)
            return
        }
        metadata["job.state"] = "\(state.rawValue)"
        switch result {
        case .completed, .snooze:
            logger.debug("job finished", metadata: metadata)
        case .retry(let reason, _), .discard(let reason):
            metadata["job.error"] = "\(reason)"
            if state == .discarded {
                logger.error("job failed for good (discarded)", metadata: metadata)
            } else {
                logger.warning("job failed; will retry", metadata: metadata)
            }
        }
    }
}
