import LibPQ
import MOPolicy

/// The `route` jobs earlier versions wrote (one per stored request, `{"request_id": N}`, for a worker to evaluate the
/// routes), turned into the dispatch jobs ingest writes today. Workers no longer run route jobs, and the database
/// cannot route (the routes live in the config), so `moctl migrate` converts leftovers with the routes of the config
/// it was given, after applying the migrations (docs/queue.md). Used on moctl's main thread with its connection.
public enum LegacyRouteJobs {
    /// What a conversion did.
    public struct Conversion: Sendable, Equatable {
        /// Route jobs removed.
        public var routeJobs = 0
        /// Dispatch jobs created (a dispatch that exists already is not created again).
        public var dispatchJobs = 0

        public init(routeJobs: Int = 0, dispatchJobs: Int = 0) {
            self.routeJobs = routeJobs
            self.dispatchJobs = dispatchJobs
        }
    }

    /// Converts every unfinished route job, `batchSize` at a time, each batch in one transaction: the route jobs
    /// are locked, their requests' items read, and one statement deletes the route jobs and enqueues one dispatch
    /// job per item and handler `handlers` names (the route table's answer). A route job without a request id, or
    /// whose request has no items any more, is removed with nothing to dispatch. Idempotent (unique keys).
    public static func convert(on connection: PGConnection, batchSize: Int = 500,
                               handlers: (RoutableItem) -> [(name: String, maxAttempts: Int)]) throws(PGError) -> Conversion {
        var conversion = Conversion()
        while true {
            let batch = try connection.transaction { () throws(PGError) -> Conversion in
                let taken = try connection.execute(Take(limit: batchSize))
                guard !taken.isEmpty else { return Conversion() }
                let requests = taken.compactMap(\.requestID)
                var dispatches: [JobStore.NewDispatch] = []
                for (_, id, item) in try EventDocuments.items(ofRequests: requests, on: connection) {
                    for handler in handlers(item) {
                        dispatches.append(.init(DispatchArgs(item: item.kind, id: id, handler: handler.name),
                                                maxAttempts: handler.maxAttempts))
                    }
                }
                let created = try connection.execute(Convert(routeJobs: taken.map(\.id), dispatches: dispatches))
                return Conversion(routeJobs: taken.count, dispatchJobs: created.count)
            }
            guard batch.routeJobs > 0 else { break }
            conversion.routeJobs += batch.routeJobs
            conversion.dispatchJobs += batch.dispatchJobs
        }
        if conversion.dispatchJobs > 0 { try connection.execute("NOTIFY mo_jobs") }
        return conversion
    }

    /// Locks up to `limit` unfinished route jobs; returns each one's id and request id (nil when it has none).
    struct Take: PGStatement {
        static let name = "mo_legacy_route_take"
        static let sql = PGStatementSQL<Self>("""
            SELECT id, args->>'request_id' FROM jobs
            WHERE kind = 'route' AND state IN ('available', 'retryable', 'running')
            ORDER BY id
            LIMIT $limit
            FOR UPDATE SKIP LOCKED
            """, [.init("limit") { $0.limit }])
        static func decodeRow(_ row: PGRow) throws(PGError) -> (id: Int64, requestID: Int64?) {
            (try row.required(row.int64(0), "id"), row.string(1).flatMap { Int64($0) })
        }
        var limit: Int
    }

    /// Deletes the route jobs and enqueues their dispatch jobs, in one statement; returns the new jobs' ids.
    struct Convert: JobStatements.ReturningIDs {
        static let name = "mo_legacy_route_convert"
        static let table = JobStatements.dispatchTable(Convert.self) { $0.dispatches }
        static let sql = PGStatementSQL<Self>("""
            WITH retired AS (
                DELETE FROM jobs WHERE id = ANY($routeJobs) AND kind = 'route'
            )
            \(JobStatements.dispatchRow.insert)
            FROM \(table.table)
            ON CONFLICT (unique_key) DO NOTHING
            RETURNING id
            """, [.init("routeJobs", "bigint[]") { PGTextArray($0.routeJobs.map { String($0) }) }] + table.parameters)
        var routeJobs: [Int64]
        var dispatches: [JobStore.NewDispatch]
    }
}
