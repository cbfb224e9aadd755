import LibPQ
import Logging
import MOSystem
import Synchronization

/// Writes ingest requests to PostgreSQL with group commit: the requests that arrive while one transaction is in
/// flight go together into the next (bounded by item count and bytes, with no artificial wait when idle). Each
/// request is answered only after its transaction committed (or with `unavailable`).
///
/// A `Service`: owns its writer threads (`mo-ingest-writer-N`), each with the one `PGConnection` it uses through
/// its `DatabaseSession`; `submit` may be called from any thread. A request that is not answered by its deadline
/// (database down, unreachable or slow) is answered `unavailable` by a separate reaper thread (`mo-ingest-reaper`);
/// if its write commits later anyway, CM's retry finds it as a duplicate.
public final class IngestWriter: Service {
    public struct Settings: Sendable, Equatable {
        /// false: one transaction per request (for comparison and debugging).
        public var batching: Bool
        public var maxBatchItems: Int
        public var maxBatchBytes: Int
        /// Writer threads, each with its own connection and transaction in flight. One is best on 2 cores.
        public var writers: Int
        /// How long a request may wait for its commit before it is answered `unavailable`.
        public var requestTimeout: Duration
        /// The longest pause between reconnection attempts while the database is down.
        public var maxReconnectDelay: Duration
        /// Enqueue a `media_fetch` job with every media item (the downloader runs).
        public var mediaDownloads = true

        public init(batching: Bool = true, maxBatchItems: Int = 64, maxBatchBytes: Int = 4 << 20, writers: Int = 1,
                    requestTimeout: Duration = .seconds(2), maxReconnectDelay: Duration = .milliseconds(500),
                    mediaDownloads: Bool = true) {
            self.mediaDownloads = mediaDownloads
            self.batching = batching
            self.writers = writers
            self.maxBatchItems = maxBatchItems
            self.maxBatchBytes = maxBatchBytes
            self.requestTimeout = requestTimeout
            self.maxReconnectDelay = maxReconnectDelay
        }
    }

    let database: DatabaseSettings
    let settings: Settings
    let logger: Logger
    let queue = WriteQueue()
    private let threads = ServiceThreads()
    private let started = Atomic<Bool>(false)
    /// True while the last attempt to reach the database succeeded.
    let databaseReachable = DatabaseSession.Reachability()
    /// Transactions committed, requests in them, and microseconds spent in them (writer thread writes, anyone reads).
    let committedBatches = Atomic<Int>(0)
    let committedRequests = Atomic<Int>(0)
    let transactionMicroseconds = Atomic<Int>(0)

    /// What the writer has done so far: for metrics, the benchmark and the shutdown log line.
    public struct Statistics: Sendable, Equatable {
        public var batches: Int
        public var requests: Int
        public var transactionSeconds: Double
        public var meanBatchSize: Double { batches == 0 ? 0 : Double(requests) / Double(batches) }
    }

    public var statistics: Statistics {
        Statistics(batches: committedBatches.load(ordering: .relaxed),
                   requests: committedRequests.load(ordering: .relaxed),
                   transactionSeconds: Double(transactionMicroseconds.load(ordering: .relaxed)) / 1e6)
    }

    /// Called on the writer's thread after a commit that stored new requests (with their dispatch jobs), so the
    /// queue can wake its workers without waiting for a poll.
    let jobsCommitted: @Sendable () -> Void

    public init(database: DatabaseSettings, settings: Settings, logger: Logger,
                jobsCommitted: @escaping @Sendable () -> Void = {}) {
        self.database = database
        self.settings = settings
        self.logger = logger
        self.jobsCommitted = jobsCommitted
    }

    public var name: String { "ingest writer" }

    /// Starts the writer and reaper threads and tries a first connection (failure is not fatal: it retries).
    public func start() {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        for index in 0..<max(1, settings.writers) {
            threads.spawn(name: "mo-ingest-writer-\(index)") { [self] in
                var session = WriterSession(writer: self, index: index)
                session.run()
            }
        }
        SystemThread.detach(name: "mo-ingest-reaper") { [self] in reap() }
    }

    /// Hands a request to the writer; `completion` is called exactly once, on the writer's or the reaper's thread.
    public func submit(_ request: IngestRequest, completion: @escaping @Sendable (IngestOutcome) -> Void) {
        let pending = PendingWrite(request: request,
                                   deadline: ContinuousClock.now.advanced(by: settings.requestTimeout),
                                   completion: completion)
        if !queue.append(pending) {
            pending.complete(.unavailable(reason: "the receiver is shutting down"))
        }
    }

    /// Whether the database answered the writer's last attempt.
    public var isDatabaseReachable: Bool { databaseReachable.isReachable }

    /// Stops taking requests, writes what is queued, and waits up to `timeout` for the writer to finish. Whatever is
    /// still unanswered then is answered `unavailable`.
    public func shutdown(timeout: Duration = .seconds(5)) {
        shutdown(deadline: ContinuousClock.now.advanced(by: timeout), timeout: timeout)
    }

    /// `shutdown(timeout:)` with the time that is left until `deadline`.
    public func stop(deadline: ContinuousClock.Instant) {
        shutdown(deadline: deadline, timeout: max(.zero, deadline - ContinuousClock.now))
    }

    private func shutdown(deadline: ContinuousClock.Instant, timeout: Duration) {
        queue.close()
        guard started.load(ordering: .acquiring) else { return }
        if !threads.join(until: deadline) {
            logger.error("ingest writer did not finish in time", metadata: ["shutdown.timeout": "\(timeout)"])
            queue.failAll(reason: "the receiver is shutting down")
        }
        let stats = statistics
        logger.info("ingest writer stopped", metadata: [
            "ingest.batches": "\(stats.batches)", "ingest.requests": "\(stats.requests)",
            "ingest.mean_batch": "\((stats.meanBatchSize * 10).rounded() / 10)",
            "ingest.transaction_seconds": "\((stats.transactionSeconds * 1000).rounded() / 1000)",
        ])
    }

    /// Answers requests whose deadline passed, every 50 ms, until the queue is closed and empty.
    private func reap() {
        while true {
            let (expired, done) = queue.takeExpired(now: ContinuousClock.now)
            for pending in expired {
                pending.complete(.unavailable(reason: "the database did not answer in time"))
            }
            if done { return }
            SystemThread.sleep(for: .milliseconds(50))
        }
    }
}

/// One request waiting for its commit. The first `complete` wins; later ones are ignored.
final class PendingWrite: Sendable {
    let request: IngestRequest
    let deadline: ContinuousClock.Instant
    private let completion: @Sendable (IngestOutcome) -> Void
    private let answered = Atomic<Bool>(false)

    init(request: IngestRequest, deadline: ContinuousClock.Instant,
         completion: @escaping @Sendable (IngestOutcome) -> Void) {
        self.request = request
        self.deadline = deadline
        self.completion = completion
    }

    var isAnswered: Bool { answered.load(ordering: .acquiring) }

    func complete(_ outcome: IngestOutcome) {
        if !answered.exchange(true, ordering: .acquiringAndReleasing) {
            completion(outcome)
        }
    }
}
