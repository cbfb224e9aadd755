/// A job as a worker holds it after claiming: its kind, and its arguments decoded for that kind (or why they do not
/// decode: the worker discards it with that reason). Value type; lives on the worker thread that claimed it.
public struct Job: Sendable, Equatable {
    public let id: Int64
    public let kind: JobKind
    public let args: Result<JobArgs, JobArgsError>
    /// This attempt's number, from 1.
    public let attempt: Int
    public let maxAttempts: Int
    public let uniqueKey: String?

    public init(id: Int64, kind: JobKind, args: Result<JobArgs, JobArgsError>, attempt: Int, maxAttempts: Int,
                uniqueKey: String?) {
        self.id = id
        self.kind = kind
        self.args = args
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.uniqueKey = uniqueKey
    }

    /// The arguments of a dispatch job, nil for any other job (or one whose arguments did not decode).
    public var dispatch: DispatchArgs? {
        if case .success(.dispatch(let args)) = args { return args }
        return nil
    }
}

/// The states of a job (the `job_state` enum in the database).
public enum JobState: String, Sendable, CaseIterable {
    /// Waiting for a worker (from `scheduled_at` on).
    case available
    /// Held by a worker under a lease.
    case running
    /// Failed and scheduled to run again.
    case retryable
    case completed
    /// Failed for good (permanent failure, or out of attempts): the dead letter, kept for inspection and retry.
    case discarded
    /// Cancelled by an operator.
    case cancelled
}

/// What running a job came to: what a worker records, and what a handler returns for its dispatch job.
public enum JobResult: Sendable, Equatable {
    case completed
    /// A temporary failure: try again after `delay` when given, else after the queue's backoff for this attempt.
    case retry(reason: String, delay: Duration? = nil)
    /// A permanent failure: no more attempts; the job is discarded now (kept for inspection, and an operator can
    /// retry it).
    case discard(reason: String)
    /// Not an attempt (the job was waiting for something, e.g. its media): run again after `delay`, attempt not
    /// counted.
    case snooze(Duration)
}
