import LibPQ

/// The media_items rows the downloader and `moctl media` work on. Used on the caller's thread with its connection.
public struct MediaItems {
    public let connection: PGConnection

    public init(connection: PGConnection) {
        self.connection = connection
    }

    /// One item as the downloader needs it.
    public struct Item: Sendable, Equatable {
        public let id: Int64
        public let messageID: Int64
        public let uri: String
        public let state: String
        /// CM's declared content type.
        public let contentType: String?
        /// Seconds until CM deletes the file (negative once it has).
        public let secondsLeft: Double
        public let attempts: Int
    }

    public func item(_ id: Int64) throws(PGError) -> Item? {
        let result = try connection.execute("""
            SELECT id, message_id, uri, state, content_type, extract(epoch FROM expires_at - now()), attempts
            FROM media_items WHERE id = \(id)
            """)
        guard result.rowCount == 1, let uri = result.string(0, 2), let state = result.string(0, 3) else { return nil }
        return Item(id: id, messageID: Int64(result.int(0, 1) ?? 0), uri: uri, state: state,
                    contentType: result.string(0, 4), secondsLeft: result.string(0, 5).flatMap(Double.init) ?? 0,
                    attempts: result.int(0, 6) ?? 0)
    }

    public func recordStored(_ id: Int64, path: String, sha256: String, size: Int, sniffedType: String) throws(PGError) {
        try connection.execute("""
            UPDATE media_items
            SET state = 'stored', path = \(path), sha256 = \(sha256), size_bytes = \(size),
                sniffed_content_type = \(sniffedType), stored_at = now(), attempts = attempts + 1,
                last_attempt_at = now(), last_error = NULL
            WHERE id = \(id) AND state = 'pending'
            """)
    }

    /// A failed attempt that will be retried.
    public func recordFailure(_ id: Int64, error: String) throws(PGError) {
        try connection.execute("""
            UPDATE media_items SET attempts = attempts + 1, last_attempt_at = now(), last_error = \(error)
            WHERE id = \(id)
            """)
    }

    /// The end of the road: 'failed' (refused for good) or 'expired' (CM's deadline passed).
    public func recordFinal(_ id: Int64, state: String, error: String) throws(PGError) {
        try connection.execute("""
            UPDATE media_items
            SET state = \(state), attempts = attempts + 1, last_attempt_at = now(), last_error = \(error)
            WHERE id = \(id) AND state = 'pending'
            """)
    }

    public func recordDeletion(_ id: Int64, error: String?) throws(PGError) {
        try connection.execute("""
            UPDATE media_items
            SET deleted_at_source = CASE WHEN \(error)::text IS NULL THEN now() END, delete_error = \(error)
            WHERE id = \(id)
            """)
    }

    /// Items not stored whose deadline is within `hours`: how many, and the soonest deadline.
    public func atRisk(hours: Int) throws(PGError) -> (count: Int, soonest: String?) {
        let result = try connection.execute("""
            SELECT count(*), format_utc(min(expires_at)) FROM media_items
            WHERE state = 'pending' AND expires_at < now() + make_interval(hours => \(hours))
            """)
        return (result.int(0, 0) ?? 0, result.string(0, 1))
    }

    /// One item as `moctl media list/show` prints it.
    public struct Row: Sendable, Equatable {
        public let id: Int64
        public let messageID: Int64
        public let state: String
        public let uri: String
        public let contentType: String?
        public let sniffedType: String?
        public let size: Int?
        public let sha256: String?
        public let path: String?
        public let expiresAt: String
        public let attempts: Int
        public let lastError: String?
        public let storedAt: String?
    }

    static let rowColumns = """
        id, message_id, state, uri, content_type, sniffed_content_type, size_bytes, sha256, path, format_utc(expires_at),
        attempts, last_error, format_utc(stored_at)
        """

    public func list(state: String?, atRiskHours: Int?, limit: Int) throws(PGError) -> [Row] {
        rows(try connection.execute("""
            SELECT \(unsafeSQL: Self.rowColumns) FROM media_items
            WHERE (\(state)::text IS NULL OR state = \(state))
              AND (\(atRiskHours)::int IS NULL OR (state = 'pending' AND expires_at < now() + make_interval(hours => \(atRiskHours))))
            ORDER BY CASE WHEN state = 'pending' THEN expires_at END, id DESC
            LIMIT \(limit)
            """))
    }

    public func row(_ id: Int64) throws(PGError) -> Row? {
        rows(try connection.execute("SELECT \(unsafeSQL: Self.rowColumns) FROM media_items WHERE id = \(id)")).first
    }

    /// A message's media items, by position.
    public func rows(messageID: Int64) throws(PGError) -> [Row] {
        rows(try connection.execute(
            "SELECT \(unsafeSQL: Self.rowColumns) FROM media_items WHERE message_id = \(messageID) ORDER BY position"))
    }

    private func rows(_ result: PGResult) -> [Row] {
        (0..<result.rowCount).map {
            Row(id: Int64(result.int($0, 0) ?? 0), messageID: Int64(result.int($0, 1) ?? 0), state: result.string($0, 2) ?? "",
                uri: result.string($0, 3) ?? "", contentType: result.string($0, 4), sniffedType: result.string($0, 5),
                size: result.int($0, 6), sha256: result.string($0, 7), path: result.string($0, 8),
                expiresAt: result.string($0, 9) ?? "", attempts: result.int($0, 10) ?? 0, lastError: result.string($0, 11),
                storedAt: result.string($0, 12))
        }
    }

    /// Puts failed (or given) items back to pending and their download jobs back in the queue, now. `first`:
    /// ahead of everything else (fetch-now). Returns the ids queued.
    public func requeue(ids: [Int64]?, failedOnly: Bool, first: Bool) throws(PGError) -> [Int64] {
        let idList = ids.map { PGTextArray($0.map { String($0) }) }
        let result = try connection.execute("""
            WITH chosen AS (
                UPDATE media_items SET state = 'pending', last_error = NULL
                WHERE state IN ('pending', 'failed')
                  AND ((\(idList)::bigint[] IS NULL AND state = 'failed' AND \(failedOnly))
                       OR id = ANY(\(idList)::bigint[]))
                RETURNING id, expires_at
            ), queued AS (
                \(unsafeSQL: MediaFetchArgs.jobRow(
                    mediaID: "chosen.id",
                    deadline: "CASE WHEN requested.first THEN '-infinity'::timestamptz ELSE chosen.expires_at END").insert)
                FROM chosen, (SELECT \(first)::boolean AS first) AS requested
                ON CONFLICT (unique_key) DO UPDATE
                    SET state = 'available', attempt = 0, scheduled_at = now(), finalized_at = NULL,
                        deadline = excluded.deadline
                    WHERE jobs.state <> 'running'
                RETURNING id
            )
            SELECT id FROM chosen
            """)
        try connection.execute("NOTIFY mo_jobs")
        return (0..<result.rowCount).compactMap { result.int($0, 0).map(Int64.init) }
    }
}
