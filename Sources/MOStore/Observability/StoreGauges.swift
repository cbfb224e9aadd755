import LibPQ

/// What the database says about the work in hand, read at each `/metrics` scrape with the admin listener's
/// connection: queue depth by kind and state, the age of the oldest due job, media waiting and at risk. Every query
/// is served by an index or by the (small, since completed jobs are deleted) jobs table.
public struct StoreGauges: Sendable, Equatable {
    public struct JobCount: Sendable, Equatable {
        public let kind: String
        public let state: String
        public let jobs: Int
    }

    public var jobs: [JobCount] = []
    /// Seconds since the oldest job that is due (available or retryable, scheduled in the past) became due, by kind.
    public var oldestDueSeconds: [String: Double] = [:]
    public var mediaPending = 0
    /// Pending media whose file CM deletes within `media.at_risk_hours`.
    public var mediaAtRisk = 0
    /// Quarantined requests received in the last 24 hours.
    public var quarantinedLastDay = 0

    public init() {}

    public static func read(atRiskHours: Int, on connection: PGConnection) throws(PGError) -> StoreGauges {
        var gauges = StoreGauges()
        let jobs = try connection.execute(jobCounts, [])
        for row in 0..<jobs.rowCount {
            guard let kind = jobs.string(row, 0), let state = jobs.string(row, 1) else { continue }
            gauges.jobs.append(JobCount(kind: kind, state: state, jobs: jobs.int(row, 2) ?? 0))
            if let age = jobs.string(row, 3).flatMap(Double.init) {
                gauges.oldestDueSeconds[kind] = max(gauges.oldestDueSeconds[kind] ?? 0, age)
            }
        }
        let media = try connection.execute(mediaCounts, [atRiskHours.pgValue])
        gauges.mediaPending = media.int(0, 0) ?? 0
        gauges.mediaAtRisk = media.int(0, 1) ?? 0
        gauges.quarantinedLastDay = try connection.execute(quarantined, []).int(0, 0) ?? 0
        return gauges
    }

    static let jobCounts = PreparedStatement(name: "mo_metrics_jobs", sql: """
        SELECT kind, state::text, count(*),
               extract(epoch FROM now() - min(scheduled_at)
                   FILTER (WHERE state IN ('available', 'retryable') AND scheduled_at <= now()))
        FROM jobs GROUP BY kind, state
        """)

    /// $1 at-risk hours. Both counts come from media_items_pending_expires_idx.
    static let mediaCounts = PreparedStatement(name: "mo_metrics_media", sql: """
        SELECT count(*), count(*) FILTER (WHERE expires_at < now() + make_interval(hours => $1::int))
        FROM media_items WHERE state = 'pending'
        """)

    static let quarantined = PreparedStatement(name: "mo_metrics_quarantined", sql: """
        SELECT count(*) FROM webhook_requests
        WHERE outcome = 'quarantined' AND received_at > now() - interval '24 hours'
        """)
}
