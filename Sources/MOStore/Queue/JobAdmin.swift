import LibPQ
import MOPolicy

/// What operators do to jobs (`moctl jobs …`, `moctl replay`). Used on moctl's main thread with its connection.
public enum JobAdmin {
    public struct Count: Sendable, Equatable {
        public let kind: String
        public let state: String
        public let jobs: Int
        public let oldestScheduledAt: String?
    }

    public static func counts(on connection: PGConnection) throws(PGError) -> [Count] {
        let result = try connection.execute("""
            SELECT kind, state::text, jobs, format_utc(oldest_scheduled_at) FROM job_counts ORDER BY kind, state
            """)
        return (0..<result.rowCount).map {
            Count(kind: result.string($0, 0) ?? "", state: result.string($0, 1) ?? "", jobs: result.int($0, 2) ?? 0,
                  oldestScheduledAt: result.string($0, 3))
        }
    }

    /// One job as `jobs list` and `jobs show` print it.
    public struct Row: Sendable, Equatable {
        public let id: Int64
        public let kind: String
        public let state: String
        public let attempt: Int
        public let maxAttempts: Int
        public let args: String
        public let uniqueKey: String?
        public let scheduledAt: String
        public let attemptedAt: String?
        public let attemptedBy: String?
        public let createdAt: String
        public let finalizedAt: String?
        public let lastError: String?
        /// The error history as JSON text (`jobs show`).
        public let errors: String
    }

    public struct Filter: Sendable {
        public var state: String?
        public var kind: String?
        public var handler: String?
        public var limit: Int

        public init(state: String? = nil, kind: String? = nil, handler: String? = nil, limit: Int = 50) {
            self.state = state
            self.kind = kind
            self.handler = handler
            self.limit = limit
        }
    }

    static let rowColumns = """
        id, kind, state::text, attempt, max_attempts, args::text, unique_key, format_utc(scheduled_at),
        format_utc(attempted_at), attempted_by, format_utc(created_at), format_utc(finalized_at),
        errors->-1->>'error', errors::text
        """

    public static func list(_ filter: Filter, on connection: PGConnection) throws(PGError) -> [Row] {
        let query: Query = """
            SELECT \(unsafeSQL: rowColumns) FROM jobs
            WHERE (\(filter.state)::text IS NULL OR state::text = \(filter.state))
              AND (\(filter.kind)::text IS NULL OR kind = \(filter.kind))
              AND (\(filter.handler)::text IS NULL OR args->>'handler' = \(filter.handler))
            ORDER BY id DESC
            LIMIT \(filter.limit)
            """
        return rows(try connection.execute(query))
    }

    public static func show(_ id: Int64, on connection: PGConnection) throws(PGError) -> Row? {
        rows(try connection.execute("SELECT \(unsafeSQL: rowColumns) FROM jobs WHERE id = \(id)")).first
    }

    private static func rows(_ result: PGResult) -> [Row] {
        (0..<result.rowCount).map {
            Row(id: Int64(result.int($0, 0) ?? 0), kind: result.string($0, 1) ?? "", state: result.string($0, 2) ?? "",
                attempt: result.int($0, 3) ?? 0, maxAttempts: result.int($0, 4) ?? 0, args: result.string($0, 5) ?? "{}",
                uniqueKey: result.string($0, 6), scheduledAt: result.string($0, 7) ?? "",
                attemptedAt: result.string($0, 8), attemptedBy: result.string($0, 9),
                createdAt: result.string($0, 10) ?? "", finalizedAt: result.string($0, 11),
                lastError: result.string($0, 12), errors: result.string($0, 13) ?? "[]")
        }
    }

    /// Makes discarded, cancelled or retryable jobs available now, with at least one more attempt. `ids` nil means
    /// every discarded job (of `kind`, when given). Returns the ids made available.
    public static func retry(ids: [Int64]?, kind: String? = nil, on connection: PGConnection) throws(PGError) -> [Int64] {
        let idList = ids.map { PGTextArray($0.map { String($0) }) }
        let result = try connection.execute("""
            UPDATE jobs
            SET state = 'available', scheduled_at = now(), finalized_at = NULL,
                max_attempts = greatest(max_attempts, attempt + 1)
            WHERE state IN ('discarded', 'cancelled', 'retryable')
              AND ((\(idList)::bigint[] IS NULL AND state = 'discarded' AND (\(kind)::text IS NULL OR kind = \(kind)))
                   OR id = ANY(\(idList)::bigint[]))
            RETURNING id
            """)
        return (0..<result.rowCount).compactMap { result.int($0, 0).map(Int64.init) }
    }

    /// Gives up on jobs that have not finished (not while one runs): they become discarded with an entry saying so.
    public static func discard(ids: [Int64], on connection: PGConnection) throws(PGError) -> [Int64] {
        let result = try connection.execute("""
            UPDATE jobs
            SET state = 'discarded', finalized_at = now(),
                errors = errors || jsonb_build_array(jsonb_build_object(
                    'at', now(), 'attempt', attempt, 'by', 'moctl', 'error', 'discarded by an operator'))
            WHERE id = ANY(\(PGTextArray(ids.map { String($0) }))::bigint[]) AND state IN ('available', 'retryable')
            RETURNING id
            """)
        return (0..<result.rowCount).compactMap { result.int($0, 0).map(Int64.init) }
    }

    /// Runs `handlers` again on one item on purpose: each dispatch job is made available again (or created when it
    /// was cleaned away or the handler is new). A dispatch that is running now is left alone. Returns, per
    /// handler, whether it was queued.
    public static func replay(kind: ItemKind, id: Int64, handlers: [(name: String, maxAttempts: Int)],
                              on connection: PGConnection) throws(PGError) -> [(handler: String, queued: Bool)] {
        var outcome: [(String, Bool)] = []
        for handler in handlers {
            let dispatch = JobStore.NewDispatch(DispatchArgs(item: kind, id: id, handler: handler.name),
                                                maxAttempts: handler.maxAttempts)
            let queued = try connection.execute(JobStatements.ReplayDispatches(dispatches: [dispatch]))
            outcome.append((handler.name, queued.count == 1))
        }
        try connection.execute("NOTIFY mo_jobs")
        return outcome
    }
}
