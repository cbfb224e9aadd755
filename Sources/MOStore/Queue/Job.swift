import CMWebhook
import JSON

/// A job as a worker holds it after claiming. Value type; lives on the worker thread that claimed it.
public struct Job: Sendable, Equatable {
    public let id: Int64
    public let kind: String
    /// The job's arguments (a flat JSON object of ids and names), each value as text.
    public let args: [String: String]
    /// This attempt's number, from 1.
    public let attempt: Int
    public let maxAttempts: Int
    public let uniqueKey: String?

    public init(id: Int64, kind: String, args: [String: String], attempt: Int, maxAttempts: Int, uniqueKey: String?) {
        self.id = id
        self.kind = kind
        self.args = args
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.uniqueKey = uniqueKey
    }

    /// An integer argument (a row id).
    public func id(_ key: String) -> Int64? { args[key].flatMap { Int64($0) } }

    /// Reads the flat object the database returns for `args` (strings, numbers, booleans; nested values are
    /// kept as their JSON text).
    static func parseArgs(_ text: String) -> [String: String] {
        guard let document = try? JSONParser.parse(Array(text.utf8)),
              case .object(let members, _) = document.root else { return [:] }
        var args: [String: String] = [:]
        for (key, value) in members {
            switch value {
            case .string(let text, _): args[key] = text
            case .number(let literal, _): args[key] = literal
            case .bool(let flag, _): args[key] = flag ? "true" : "false"
            case .null: break
            case .array, .object: args[key] = document.rawText(of: value)
            }
        }
        return args
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
