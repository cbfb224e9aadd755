import CMWebhook
import LibPQ
import MOPolicy

/// The queue operations on one connection. Lives on the thread that owns the connection (a worker, the
/// maintenance thread, moctl's main thread).
public struct JobStore {
    public let connection: PGConnection
    /// Whether a completed job stays as a `completed` row (for `queue.completed_retention_hours`, until the cleaner
    /// deletes it) or is deleted as it completes. Deleting writes a fraction of the WAL and index entries.
    public let keepsCompleted: Bool

    public init(connection: PGConnection, keepsCompleted: Bool = false) {
        self.connection = connection
        self.keepsCompleted = keepsCompleted
    }

    /// A dispatch job to enqueue: the item, the handler, and how many attempts it gets.
    public struct NewDispatch: Sendable, Equatable {
        public var args: DispatchArgs
        public var maxAttempts: Int

        public init(_ args: DispatchArgs, maxAttempts: Int) {
            self.args = args
            self.maxAttempts = maxAttempts
        }
    }

    /// Claims up to `limit` claimable jobs of `kinds` for `holder`, each under a lease of `lease`: by priority, or
    /// earliest deadline first.
    public func claim(kinds: [JobKind], limit: Int, holder: String, lease: Duration,
                      byDeadline: Bool = false) throws(PGError) -> [Job] {
        let jobs = byDeadline
            ? try connection.execute(JobStatements.ClaimByDeadline(kinds: kinds, limit: limit, holder: holder, lease: lease))
            : try connection.execute(JobStatements.Claim(kinds: kinds, limit: limit, holder: holder, lease: lease))
        return jobs.sorted { $0.id < $1.id }
    }

    /// Records what running `job` came to. Returns the job's new state, or nil when the job was no longer this
    /// holder's (its lease was taken back meanwhile).
    @discardableResult
    public func finish(_ job: Job, holder: String, result: JobResult,
                       backoff: Backoff, jitter: Double) throws(PGError) -> JobState? {
        let fence = JobStatements.Fence(id: job.id, attempt: job.attempt, holder: holder)
        switch result {
        case .completed:
            let done = keepsCompleted ? try connection.executeCounting(JobStatements.Complete(fence: fence))
                                      : try connection.executeCounting(JobStatements.Delete(fence: fence))
            return done == 1 ? .completed : nil
        case .snooze(let delay):
            return try connection.executeCounting(JobStatements.Snooze(fence: fence, delay: delay)) == 1 ? .available : nil
        case .retry(let reason, let delay):
            let wait = delay ?? backoff.delay(afterAttempt: job.attempt, jitter: jitter)
            return try fail(fence, reason: reason, permanent: false, delay: wait)
        case .discard(let reason):
            return try fail(fence, reason: reason, permanent: true, delay: .zero)
        }
    }

    /// Records several jobs as completed (or deletes them) in one statement; returns the ids that were still this
    /// holder's.
    public func complete(_ jobs: [Job], holder: String) throws(PGError) -> Set<Int64> {
        guard !jobs.isEmpty else { return [] }
        return Set(keepsCompleted ? try connection.execute(JobStatements.CompleteMany(jobs: jobs, holder: holder))
                                  : try connection.execute(JobStatements.DeleteMany(jobs: jobs, holder: holder)))
    }

    private func fail(_ fence: JobStatements.Fence, reason: String, permanent: Bool,
                      delay: Duration) throws(PGError) -> JobState? {
        let rows = try connection.execute(JobStatements.Fail(fence: fence, error: JobStore.storable(reason),
                                                             permanent: permanent, delay: delay))
        guard rows.count == 1 else { return nil }
        return rows[0]
    }

    /// Renews the leases of `ids` held by `holder`.
    public func heartbeat(ids: [Int64], holder: String, lease: Duration) throws(PGError) {
        guard !ids.isEmpty else { return }
        try connection.executeCounting(JobStatements.Heartbeat(ids: ids, holder: holder, lease: lease))
    }

    /// A job the rescuer took back.
    public struct Rescued: Sendable, Equatable {
        public let id: Int64
        public let kind: String
        public let holder: String?
    }

    /// Takes back up to `limit` jobs whose lease expired.
    public func rescue(limit: Int = 1_000) throws(PGError) -> [Rescued] {
        try connection.execute(JobStatements.Rescue(limit: limit))
    }

    /// Deletes one batch (up to `limit`) of finished jobs older than their retention; returns how many. A nil age
    /// keeps those jobs (it binds NULL, and no age comparison with NULL holds).
    public func clean(finishedAge: Duration?, discardedAge: Duration?, limit: Int = 1_000) throws(PGError) -> Int {
        try connection.executeCounting(JobStatements.Clean(finishedAge: finishedAge, discardedAge: discardedAge,
                                                           limit: limit))
    }

    /// Enqueues dispatch jobs; those whose unique key exists already are skipped. Returns how many were new.
    @discardableResult
    public func enqueue(_ dispatches: [NewDispatch]) throws(PGError) -> Int {
        guard !dispatches.isEmpty else { return 0 }
        return try connection.execute(JobStatements.EnqueueDispatches(dispatches: dispatches)).count
    }

    /// Error text fit for a jsonb string: no NUL (jsonb refuses it), at most 4,000 characters.
    static func storable(_ text: String) -> String {
        var clean = text.replacingNUL
        if clean.count > 4_000 { clean = String(clean.prefix(4_000)) + "…" }
        return clean
    }
}

extension Duration {
    /// Seconds as a decimal number, for `make_interval(secs => …)`.
    var seconds: String {
        let (whole, fraction) = components
        return String(Double(whole) + Double(fraction) / 1e18)
    }
}
