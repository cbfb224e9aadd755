import LibPQ
import Logging
import Synchronization

/// One thread's connection to PostgreSQL, reconnected with capped exponential backoff while the database is away:
/// `connect()` hands out the live connection, or opens a new one when the last broke and the backoff allows, or
/// answers nil at once. The first failure after a working connection is logged once (`unavailable`), and so is the
/// connection that ends the outage (`established`); the messages and metadata are the caller's (`Announcements`).
///
/// Used by the ingest writer's threads and by the queue's (workers, notifier, listener, maintenance, retention).
/// Value type; lives on the thread that owns the connection (libpq: one `PGconn` per thread at a time).
public struct DatabaseSession {
    /// What a session logs, with constant messages. `metadata` goes on every line; the unavailable line adds
    /// `db.error`, the established line `db.server_version` when `serverVersion` is set.
    public struct Announcements: Sendable {
        public var unavailable: Logger.Message
        public var established: Logger.Message
        /// Logged at warning level when a connection breaks (nil: nothing).
        public var lost: Logger.Message?
        public var metadata: Logger.Metadata
        public var serverVersion: Bool

        public init(unavailable: Logger.Message, established: Logger.Message, lost: Logger.Message? = nil,
                    metadata: Logger.Metadata = [:], serverVersion: Bool = false) {
            self.unavailable = unavailable
            self.established = established
            self.lost = lost
            self.metadata = metadata
            self.serverVersion = serverVersion
        }
    }

    /// Whether the last attempt of any session sharing this flag reached the database (the ingest writer's
    /// `isDatabaseReachable`). While it is down, the next connection is announced, the very first one included.
    /// Any thread.
    public final class Reachability: Sendable {
        private let value = Atomic<Bool>(false)

        public init() {}

        public var isReachable: Bool { value.load(ordering: .relaxed) }

        func set(_ reachable: Bool) { value.store(reachable, ordering: .relaxed) }
    }

    public let settings: DatabaseSettings
    let logger: Logger
    let announcements: Announcements
    let reachability: Reachability?
    /// Runs on every new connection before it is handed out; a failure counts as a failed attempt.
    let setup: (@Sendable (PGConnection) throws(PGError) -> Void)?
    let initialDelay: Duration
    let maxDelay: Duration
    /// The connection handed out last, while it lives.
    public private(set) var connection: PGConnection?
    /// Why the last attempt failed, while the database stays unreachable (nil once connected).
    public private(set) var lastConnectError: String?
    private var nextAttempt = ContinuousClock.now
    private var delay: Duration

    /// `initialDelay` is the first pause after a failed attempt; each further failure doubles it, up to `maxDelay`.
    public init(settings: DatabaseSettings, logger: Logger, announcements: Announcements,
                initialDelay: Duration, maxDelay: Duration, reachability: Reachability? = nil,
                setup: (@Sendable (PGConnection) throws(PGError) -> Void)? = nil) {
        self.settings = settings
        self.logger = logger
        self.announcements = announcements
        self.reachability = reachability
        self.setup = setup
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.delay = initialDelay
    }

    /// A healthy connection, or nil while the database cannot be reached (tried again once the backoff passed).
    public mutating func connect() -> PGConnection? {
        if let connection, connection.isHealthy { return connection }
        connection = nil
        let now = ContinuousClock.now
        guard now >= nextAttempt else { return nil }
        do {
            let fresh = try settings.connect()
            try setup?(fresh)
            connection = fresh
            delay = initialDelay
            if lastConnectError != nil || reachability?.isReachable == false {
                var metadata = announcements.metadata
                if announcements.serverVersion { metadata["db.server_version"] = "\(fresh.serverVersion)" }
                logger.notice(announcements.established, metadata: metadata)
            }
            lastConnectError = nil
            reachability?.set(true)
            return fresh
        } catch {
            if lastConnectError == nil {
                var metadata = announcements.metadata
                metadata["db.error"] = "\(error.message)"
                logger.error(announcements.unavailable, metadata: metadata)
            }
            lastConnectError = error.message
            reachability?.set(false)
            nextAttempt = now.advanced(by: delay)
            delay = min(delay * 2, maxDelay)
            return nil
        }
    }

    /// Forgets the connection after `error` when the error broke it (a transient error, or a connection that is
    /// no longer healthy); a statement the server refused leaves it in place.
    public mutating func drop(after error: PGError) {
        guard error.isTransient || !(connection?.isHealthy ?? false) else { return }
        if let lost = announcements.lost {
            var metadata = announcements.metadata
            metadata["db.error"] = "\(error.message)"
            logger.warning(lost, metadata: metadata)
        }
        connection = nil
        reachability?.set(false)
    }

    /// Time until the next connection attempt is due (at least 10 ms, so a caller's wait is never a spin).
    public var retryIn: Duration { max(.milliseconds(10), nextAttempt - ContinuousClock.now) }
}
