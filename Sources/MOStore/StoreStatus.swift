import LibPQ

/// Counts for `moctl status`: what the receiver has stored. Read with the caller's connection.
public struct StoreStatus: Sendable, Equatable {
    public struct EndpointCounts: Sendable, Equatable {
        public let endpoint: String
        public let stored: Int
        public let quarantined: Int
        /// Requests without content (CM's test calls): kept, answered 200, outside the quarantine.
        public let probes: Int
        public let deliveries: Int
        /// Quarantined requests first received in the last 24 hours.
        public let quarantinedLastDay: Int
        /// When a probe last arrived (its last delivery), ISO 8601 UTC.
        public let lastProbeAt: String?
    }

    public let endpoints: [EndpointCounts]
    public let inboundMessages: Int
    public let pendingMedia: Int
    public let lastReceivedAt: String?

    public var stored: Int { endpoints.reduce(0) { $0 + $1.stored } }
    public var quarantined: Int { endpoints.reduce(0) { $0 + $1.quarantined } }
    public var probes: Int { endpoints.reduce(0) { $0 + $1.probes } }
    public var quarantinedLastDay: Int { endpoints.reduce(0) { $0 + $1.quarantinedLastDay } }
    public var lastProbeAt: String? { endpoints.compactMap(\.lastProbeAt).max() }

    static let countsQuery: Query = """
        SELECT endpoint,
               count(*) FILTER (WHERE outcome = 'stored'),
               count(*) FILTER (WHERE outcome = 'quarantined'),
               count(*) FILTER (WHERE outcome = 'probe'),
               coalesce(sum(seen_count), 0),
               count(*) FILTER (WHERE outcome = 'quarantined' AND received_at > now() - interval '24 hours'),
               format_utc(max(last_seen_at) FILTER (WHERE outcome = 'probe'))
        FROM webhook_requests GROUP BY endpoint ORDER BY endpoint
        """

    static let totalsQuery: Query = """
        SELECT (SELECT count(*) FROM inbound_messages),
               (SELECT count(*) FROM media_items WHERE state = 'pending'),
               (SELECT to_char(max(received_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') FROM webhook_requests)
        """

    public static func read(on connection: PGConnection) throws(PGError) -> StoreStatus {
        let counts = try connection.execute(countsQuery)
        var endpoints: [EndpointCounts] = []
        for row in 0..<counts.rowCount {
            endpoints.append(EndpointCounts(endpoint: counts.string(row, 0) ?? "", stored: counts.int(row, 1) ?? 0,
                                            quarantined: counts.int(row, 2) ?? 0, probes: counts.int(row, 3) ?? 0,
                                            deliveries: counts.int(row, 4) ?? 0,
                                            quarantinedLastDay: counts.int(row, 5) ?? 0,
                                            lastProbeAt: counts.string(row, 6)))
        }
        let totals = try connection.execute(totalsQuery)
        return StoreStatus(endpoints: endpoints, inboundMessages: totals.int(0, 0) ?? 0,
                           pendingMedia: totals.int(0, 1) ?? 0, lastReceivedAt: totals.string(0, 2))
    }
}
