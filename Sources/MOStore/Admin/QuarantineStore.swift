import CMWebhook
import LibPQ
import MOPolicy

/// The quarantined requests (`webhook_requests` with outcome 'quarantined') as `moctl quarantine` sees and steers
/// them: list, show, replay through today's decoder and the ingest statement, drop. Used on the caller's thread with
/// its connection.
public struct QuarantineStore {
    public let connection: PGConnection

    public init(connection: PGConnection) {
        self.connection = connection
    }

    /// Where a quarantined request stands: `open` (waiting for an operator), `replayed` (stored since), `dropped`.
    public enum State: String, Sendable, CaseIterable {
        case open, replayed, dropped, all
    }

    public struct Row: Sendable, Equatable {
        public let id: Int64
        public let endpoint: String
        public let method: String
        public let contentType: String?
        public let clientIP: String
        public let receivedAt: String
        public let lastSeenAt: String
        public let seenCount: Int
        public let reason: String
        public let size: Int
        public let replayedAt: String?
        public let replayedRequestID: Int64?
        public let droppedAt: String?

        public var state: State { replayedAt != nil ? .replayed : droppedAt != nil ? .dropped : .open }
    }

    static let rowColumns = """
        id, endpoint, method, content_type, host(client_ip), format_utc(received_at), format_utc(last_seen_at),
        seen_count, reason, octet_length(body), format_utc(replayed_at), replayed_request_id, format_utc(dropped_at)
        """

    /// Newest first. `since`: only requests received at or after it.
    public func list(state: State = .open, endpoint: String? = nil, since: TimeBound? = nil,
                     limit: Int = 50) throws(PGError) -> [Row] {
        let (ago, at) = since.sqlBounds
        return rows(try connection.execute("""
            SELECT \(unsafeSQL: Self.rowColumns) FROM webhook_requests
            WHERE outcome = 'quarantined'
              AND CASE \(state.rawValue)::text
                      WHEN 'open' THEN replayed_at IS NULL AND dropped_at IS NULL
                      WHEN 'replayed' THEN replayed_at IS NOT NULL
                      WHEN 'dropped' THEN dropped_at IS NOT NULL AND replayed_at IS NULL
                      ELSE true END
              AND (\(endpoint)::text IS NULL OR endpoint = \(endpoint))
              AND received_at >= coalesce(\(at)::timestamptz, now() - make_interval(secs => \(ago)::double precision),
                                          '-infinity')
            ORDER BY received_at DESC, id DESC
            LIMIT \(limit)
            """))
    }

    /// One quarantined request with its body as received.
    public func show(_ id: Int64) throws(PGError) -> (row: Row, body: [UInt8])? {
        let result = try connection.execute("""
            SELECT \(unsafeSQL: Self.rowColumns), body FROM webhook_requests WHERE id = \(id) AND outcome = 'quarantined'
            """)
        guard let row = rows(result).first else { return nil }
        return (row, result.bytes(0, 13) ?? [])
    }

    /// Open quarantined requests in id order after `after` (for `replay --all`), at most `limit`.
    public func openIDs(endpoint: String?, after: Int64, limit: Int) throws(PGError) -> [Int64] {
        let result = try connection.execute("""
            SELECT id FROM webhook_requests
            WHERE outcome = 'quarantined' AND replayed_at IS NULL AND dropped_at IS NULL AND id > \(after)
              AND (\(endpoint)::text IS NULL OR endpoint = \(endpoint))
            ORDER BY id LIMIT \(limit)
            """)
        return (0..<result.rowCount).compactMap { result.int($0, 0).map(Int64.init) }
    }

    /// Open quarantined requests, and the reasons seen most (for `moctl status`).
    public func summary(limit: Int = 3) throws(PGError) -> (open: Int, reasons: [(reason: String, count: Int, last: String)]) {
        let count = try connection.execute("""
            SELECT count(*) FROM webhook_requests
            WHERE outcome = 'quarantined' AND replayed_at IS NULL AND dropped_at IS NULL
            """)
        let reasons = try connection.execute("""
            SELECT reason, count(*), format_utc(max(received_at)) FROM webhook_requests
            WHERE outcome = 'quarantined' AND replayed_at IS NULL AND dropped_at IS NULL
            GROUP BY reason ORDER BY max(received_at) DESC LIMIT \(limit)
            """)
        return (count.int(0, 0) ?? 0,
                (0..<reasons.rowCount).map {
                    (reason: reasons.string($0, 0) ?? "", count: reasons.int($0, 1) ?? 0, last: reasons.string($0, 2) ?? "")
                })
    }

    /// What a replay did.
    public enum ReplayOutcome: Sendable, Equatable {
        /// Parsed now and stored as request `id` (with its normalized rows and dispatch jobs).
        case stored(id: Int64)
        /// Today's decoder still refuses it; the recorded reason is updated to today's.
        case stillMalformed(reason: String)
        case alreadyReplayed(id: Int64?)
        case notFound
    }

    /// Decodes a quarantined request again with `decode` (the daemon's own decoder) and, when it parses now, stores
    /// it through the daemon's ingest statement as a new request, in one transaction that also marks the quarantined
    /// row replayed and moves its dedupe key aside (so a later CM retry of the same bytes is a duplicate of the stored
    /// copy). `mediaJobs`: enqueue downloads for its media, as the daemon does when media.enabled.
    /// `route`: the dispatch jobs for the decoded payload (today's routes).
    public func replay(_ id: Int64, mediaJobs: Bool,
                       decode: (_ endpoint: ItemKind, _ method: String, _ contentType: String?, _ body: [UInt8]) -> IngestPayload,
                       route: (IngestPayload) -> [IngestDispatch])
        throws(PGError) -> ReplayOutcome {
        try connection.transaction { () throws(PGError) -> ReplayOutcome in
            let found = try connection.execute("""
                SELECT endpoint, method, content_type, host(client_ip), host(peer_ip), body, replayed_at IS NOT NULL,
                       replayed_request_id
                FROM webhook_requests WHERE id = \(id) AND outcome = 'quarantined'
                FOR UPDATE
                """)
            guard found.rowCount == 1, let endpoint = found.string(0, 0).flatMap(ItemKind.init(rawValue:)),
                  let method = found.string(0, 1) else { return .notFound }
            if found.bool(0, 6) == true { return .alreadyReplayed(id: found.int(0, 7).map(Int64.init)) }
            let body = found.bytes(0, 5) ?? []
            let contentType = found.string(0, 2)
            let payload = decode(endpoint, method, contentType, body)
            if case .malformed(let reason) = payload {
                try connection.execute("UPDATE webhook_requests SET reason = \(reason) WHERE id = \(id)")
                return .stillMalformed(reason: reason)
            }
            try connection.execute("""
                UPDATE webhook_requests
                SET dedupe_key = sha256(convert_to('replayed ' || id::text || E'\\n', 'UTF8') || dedupe_key)
                WHERE id = \(id)
                """)
            let request = IngestRequest(endpoint: endpoint, method: method, body: body, contentType: contentType,
                                        clientIP: found.string(0, 3) ?? "0.0.0.0", peerIP: found.string(0, 4) ?? "0.0.0.0",
                                        payload: payload, dispatches: route(payload))
            let stored = try connection.execute(IngestBatchStatement(IngestBatch([request]), mediaJobs: mediaJobs))
            guard stored.count == 1, let newID = stored.first?.id, ["stored", "probe"].contains(stored[0].outcome) else {
                throw PGError(kind: .protocolViolation, message: "the ingest statement did not store the replayed request")
            }
            try connection.execute("""
                UPDATE webhook_requests SET replayed_at = now(), replayed_request_id = \(newID) WHERE id = \(id)
                """)
            try connection.execute("NOTIFY mo_jobs")
            return .stored(id: newID)
        }
    }

    /// Marks open quarantined requests dropped (or, with `delete`, deletes them with their bytes). Returns the ids
    /// affected; replayed requests are left alone.
    public func drop(ids: [Int64], delete: Bool) throws(PGError) -> [Int64] {
        let idList = PGTextArray(ids.map { String($0) })
        let result = delete
            ? try connection.execute("""
                DELETE FROM webhook_requests
                WHERE id = ANY(\(idList)::bigint[]) AND outcome = 'quarantined' AND replayed_at IS NULL
                RETURNING id
                """)
            : try connection.execute("""
                UPDATE webhook_requests SET dropped_at = now()
                WHERE id = ANY(\(idList)::bigint[]) AND outcome = 'quarantined' AND replayed_at IS NULL
                  AND dropped_at IS NULL
                RETURNING id
                """)
        return (0..<result.rowCount).compactMap { result.int($0, 0).map(Int64.init) }
    }

    private func rows(_ result: PGResult) -> [Row] {
        (0..<result.rowCount).map {
            Row(id: Int64(result.int($0, 0) ?? 0), endpoint: result.string($0, 1) ?? "", method: result.string($0, 2) ?? "",
                contentType: result.string($0, 3), clientIP: result.string($0, 4) ?? "",
                receivedAt: result.string($0, 5) ?? "", lastSeenAt: result.string($0, 6) ?? "",
                seenCount: result.int($0, 7) ?? 0, reason: result.string($0, 8) ?? "", size: result.int($0, 9) ?? 0,
                replayedAt: result.string($0, 10), replayedRequestID: result.int($0, 11).map(Int64.init),
                droppedAt: result.string($0, 12))
        }
    }
}

extension Optional where Wrapped == TimeBound {
    /// The two bind values a `since` filter is written with: seconds ago, or an absolute time (one of them nil).
    var sqlBounds: (ago: Int?, at: String?) {
        switch self {
        case .none: (nil, nil)
        case .ago(let seconds)?: (seconds, nil)
        case .at(let text)?: (nil, text)
        }
    }
}
