import Logging
import MOStore

/// A handler: what the daemon does with a stored item once it is committed (log it, forward it, run a program,
/// auto-reply). One instance per `[[handlers]]` entry, shared by every worker thread, so it must be safe to call
/// from several threads at once. Handlers run on the queue's worker threads (plain threads, never Swift's
/// cooperative pool), so blocking I/O is fine there.
///
/// Adding a handler type is one type conforming to this protocol plus one line in ``HandlerRegistry/builtIn``.
public protocol EventHandler: Sendable {
    /// Handles one item. Called at least once per item and handler (a crash after the effect, before the job is
    /// recorded as done, runs it again): handlers with effects that must not repeat keep an intent row.
    func handle(_ event: EventDocument, context: HandlerContext) -> JobResult
}

/// What a handler knows about the attempt it runs in, and the one piece of the database it may use. Lives on the
/// worker thread for one call; not `Sendable`, because its capabilities wrap the worker's database connection.
public struct HandlerContext {
    /// The `[[handlers]]` entry's name.
    public let handlerName: String
    public let jobID: Int64
    /// This attempt (from 1) and the most there will be.
    public let attempt: Int
    public let maxAttempts: Int
    public let logger: Logger
    /// Auto-reply decisions, opt-outs and outbound intents (what auto_reply keeps), on the worker's connection.
    /// Handlers get no connection of their own: what they may keep is this.
    public let replies: ReplyRecords

    public init(handlerName: String, jobID: Int64, attempt: Int, maxAttempts: Int, logger: Logger,
                replies: ReplyRecords) {
        self.handlerName = handlerName
        self.jobID = jobID
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.logger = logger
        self.replies = replies
    }
}
