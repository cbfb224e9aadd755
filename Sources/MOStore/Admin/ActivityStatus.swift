import LibPQ

/// What `moctl status` shows besides the totals: how fast requests arrive, and the last errors jobs ran into.
/// Read with the caller's connection.
public enum ActivityStatus {
    public struct IngestRate: Sendable, Equatable {
        public let endpoint: String
        /// New requests (not counting CM's retries) in the last 5 minutes and the last hour.
        public let lastFiveMinutes: Int
        public let lastHour: Int
    }

    public static func ingestRates(on connection: PGConnection) throws(PGError) -> [IngestRate] {
        let result = try connection.execute("""
            SELECT endpoint, count(*) FILTER (WHERE received_at >= now() - interval '5 minutes'), count(*)
            FROM webhook_requests WHERE received_at >= now() - interval '1 hour'
            GROUP BY endpoint ORDER BY endpoint
            """)
        return (0..<result.rowCount).map {
            IngestRate(endpoint: result.string($0, 0) ?? "", lastFiveMinutes: result.int($0, 1) ?? 0, lastHour: result.int($0, 2) ?? 0)
        }
    }

    public struct JobError: Sendable, Equatable {
        public let jobID: Int64
        public let kind: String
        public let state: String
        public let handler: String?
        public let at: String
        public let error: String
    }

    /// The latest failures of jobs that are waiting to retry or were given up on, newest first.
    public static func lastErrors(limit: Int = 5, on connection: PGConnection) throws(PGError) -> [JobError] {
        let result = try connection.execute("""
            SELECT id, kind, state::text, args->>'handler', errors->-1->>'at', errors->-1->>'error'
            FROM jobs
            WHERE state IN ('retryable', 'discarded') AND jsonb_array_length(errors) > 0
            ORDER BY errors->-1->>'at' DESC
            LIMIT \(limit)
            """)
        return (0..<result.rowCount).map {
            JobError(jobID: Int64(result.int($0, 0) ?? 0), kind: result.string($0, 1) ?? "", state: result.string($0, 2) ?? "",
                     handler: result.string($0, 3), at: result.string($0, 4) ?? "", error: result.string($0, 5) ?? "")
        }
    }
}
