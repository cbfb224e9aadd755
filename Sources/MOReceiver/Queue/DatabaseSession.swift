import LibPQ
import Logging
import MOStore

/// One background thread's database connection, reconnected with capped backoff while PostgreSQL is away.
/// Lives on its thread only.
struct DatabaseSession {
    let settings: DatabaseSettings
    let logger: Logger
    let role: String
    private(set) var connection: PGConnection?
    private var nextAttempt = ContinuousClock.now
    private var delay = Duration.milliseconds(100)
    private var reported = false

    init(settings: DatabaseSettings, logger: Logger, role: String) {
        self.settings = settings
        self.logger = logger
        self.role = role
    }

    /// A healthy connection, or nil while the database cannot be reached (retried after a backoff).
    mutating func connect() -> PGConnection? {
        if let connection, connection.isHealthy { return connection }
        connection = nil
        let now = ContinuousClock.now
        guard now >= nextAttempt else { return nil }
        do {
            let fresh = try settings.connect()
            // Job bookkeeping may lose its last commits in a crash (the job then runs again: at-least-once), so
            // queue connections do not wait for the WAL flush. What must be durable (auto-reply intents and CM's
            // answers) says so with SET LOCAL synchronous_commit = on in its own transaction.
            try fresh.execute(script: "SET synchronous_commit = off")
            connection = fresh
            delay = .milliseconds(100)
            if reported {
                logger.notice("database connection re-established", metadata: ["queue.role": "\(role)"])
                reported = false
            }
            return fresh
        } catch {
            if !reported {
                logger.error("database unavailable to the queue; retrying", metadata: [
                    "queue.role": "\(role)", "db.error": "\(error.message)",
                ])
                reported = true
            }
            nextAttempt = now.advanced(by: delay)
            delay = min(delay * 2, .seconds(5))
            return nil
        }
    }

    /// Forgets the connection after an error that broke it.
    mutating func drop(after error: PGError) {
        if error.isTransient || !(connection?.isHealthy ?? false) {
            connection = nil
        }
    }

    /// Time until the next connection attempt is due.
    var retryIn: Duration { max(.milliseconds(10), nextAttempt - ContinuousClock.now) }
}
