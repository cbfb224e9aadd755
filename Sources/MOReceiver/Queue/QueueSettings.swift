/// How the queue runs (`[queue]` in the config). Value type.
public struct QueueSettings: Sendable, Equatable {
    /// Worker threads, each with its own database connection, each running one job at a time.
    public var workers = 4
    /// Jobs one worker claims at once when the queue is deep (runs them in order, records completions together).
    public var claimBatch = 16
    /// The polling backstop: an idle worker looks for due jobs at least this often, even without a wake-up
    /// (retries come due, a notification was lost).
    public var pollInterval = Duration.seconds(1)
    /// How long a claimed job is held without a heartbeat before the rescuer takes it back.
    public var lease = Duration.seconds(60)
    /// The longest wait between two attempts (attempt⁴ seconds grows past it).
    public var maxBackoff = Duration.seconds(86_400)
    /// Completed and cancelled jobs are deleted this long after they finished; zero (the default): a completed job
    /// is deleted as it completes (its effects are recorded where they belong: auto_replies, media_items, logs).
    public var completedRetention = Duration.zero
    /// Discarded jobs (the dead letter) are kept longer, for inspection and `moctl jobs retry`.
    public var discardedRetention = Duration.seconds(30 * 86_400)
    /// How long `shutdown` waits for running jobs before leaving them to the rescuer.
    public var shutdownGrace = Duration.seconds(10)

    public init() {}

    /// Whether completed jobs stay as rows until the cleaner deletes them.
    var keepsCompleted: Bool { completedRetention > .zero }
    var heartbeatInterval: Duration { lease / 3 }
    var rescueInterval: Duration { min(lease / 4, .seconds(10)) }
    var cleanInterval: Duration { .seconds(60) }
}

/// The notification channel that tells other daemons' workers there is new work.
enum QueueChannel {
    static let name = "mo_jobs"
}
