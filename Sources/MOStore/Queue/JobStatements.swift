import LibPQ

/// The queue's statements, each a type (``PGStatement``) prepared once per worker connection. Every value is a bound
/// parameter, numbered by construction. Value types; run on the thread that owns the connection.
///
/// Every transition out of `running` is fenced on (id, attempt, attempted_by): a worker whose lease was taken
/// back by the rescuer (it was frozen, not dead) cannot complete or fail a job that now belongs to someone else.
enum JobStatements {
    /// A claimed row (id, kind, args, attempt, max attempts, key) as a job, its arguments decoded for its kind.
    static func claimedJob(_ row: PGRow) throws(PGError) -> Job {
        guard let id = row.int64(0), let kind = row.string(1).flatMap(JobKind.init(rawValue:)),
              let attempt = row.int(3), let maxAttempts = row.int(4) else {
            throw PGError(kind: .protocolViolation, message: "claim returned an incomplete job row")
        }
        return Job(id: id, kind: kind, args: JobArgs.decode(kind: kind, json: row.string(2) ?? "{}"),
                   attempt: attempt, maxAttempts: maxAttempts, uniqueKey: row.string(5))
    }

    /// What both claim statements bind.
    protocol ClaimStatement: PGStatement where Row == Job {
        var kinds: [JobKind] { get }
        var limit: Int { get }
        var holder: String { get }
        var lease: Duration { get }
    }

    /// Claims the next claimable jobs of `kinds` in priority order (jobs without a deadline;
    /// `jobs_claimable_idx`).
    struct Claim: ClaimStatement {
        static let name = "mo_job_claim"
        static let sql = claimSQL(Claim.self, filter: "deadline IS NULL", order: "priority, scheduled_at, id")
        static func decodeRow(_ row: PGRow) throws(PGError) -> Job { try claimedJob(row) }
        var kinds: [JobKind], limit: Int, holder: String, lease: Duration
    }

    /// The same claim, earliest deadline first (media downloads: the job whose file CM deletes first;
    /// `jobs_deadline_claimable_idx`).
    struct ClaimByDeadline: ClaimStatement {
        static let name = "mo_job_claim_deadline"
        static let sql = claimSQL(ClaimByDeadline.self, filter: "deadline IS NOT NULL", order: "deadline, id")
        static func decodeRow(_ row: PGRow) throws(PGError) -> Job { try claimedJob(row) }
        var kinds: [JobKind], limit: Int, holder: String, lease: Duration
    }

    /// One claim statement; `filter` and `order` are fixed SQL fragments chosen above, never input.
    private static func claimSQL<S: ClaimStatement>(_: S.Type, filter: String, order: String) -> PGStatementSQL<S> {
        PGStatementSQL("""
            WITH next AS (
                SELECT id FROM jobs
                WHERE state IN ('available', 'retryable') AND scheduled_at <= now() AND kind = ANY($kinds)
                  AND \(filter)
                ORDER BY \(order)
                LIMIT $limit
                FOR UPDATE SKIP LOCKED
            )
            UPDATE jobs AS j
            SET state = 'running', attempt = j.attempt + 1, attempted_at = clock_timestamp(), attempted_by = $holder,
                lease_expires_at = clock_timestamp() + make_interval(secs => $lease)
            FROM next
            WHERE j.id = next.id
            RETURNING j.id, j.kind, j.args::text, j.attempt, j.max_attempts, j.unique_key
            """, [
                .init("kinds", "text[]") { PGTextArray($0.kinds.map(\.rawValue)) },
                .init("limit") { $0.limit },
                .init("holder") { $0.holder },
                .init("lease", "double precision") { $0.lease.seconds },
            ])
    }

    /// The fence of one running job: its id, this attempt, and who holds it.
    struct Fence: Sendable {
        var id: Int64
        var attempt: Int
        var holder: String
    }

    /// A statement that finishes one running job, fenced.
    protocol Fenced: PGStatement {
        var fence: Fence { get }
    }

    /// The fence's parameters, first in every statement that finishes one job.
    /// "Still running": compared as `state::text`, not `state`. With `state = 'running'` the planner could (and under
    /// load did) answer a statement that names its jobs by id from jobs_running_lease_idx, the partial index of every
    /// running job, estimated at a row or two by statistics taken while the queue was idle: a bitmap scan over all
    /// running jobs and their dead versions, then a join to the ids, 5–10 ms a completion batch (auto_explain in
    /// bench/run e2e). The cast cannot match that index's predicate, so the ids are looked up in jobs_pkey, a few
    /// index probes whatever the queue holds. The same rows either way.
    private static let runningByID = "state::text = 'running'"

    /// The fence of every transition of one job out of `running` (its id, attempt and holder, still running).
    private static let fenced = "id = $id AND attempt = $attempt AND attempted_by = $holder AND \(runningByID)"

    /// The same fence for several jobs, joined to `unnest($ids, $attempts) AS d(id, attempt)`.
    private static let fencedMany = "j.id = d.id AND j.attempt = d.attempt AND j.attempted_by = $holder AND j.\(runningByID)"

    private static func fenceParameters<S: Fenced>(_: S.Type) -> [PGParameter<S>] {
        [.init("id") { $0.fence.id }, .init("attempt") { $0.fence.attempt }, .init("holder") { $0.fence.holder }]
    }

    /// Marks one running job completed (kept until the cleaner deletes it).
    struct Complete: Fenced {
        static let name = "mo_job_complete"
        static let sql = PGStatementSQL<Self>("""
            UPDATE jobs SET state = 'completed', finalized_at = now(), lease_expires_at = NULL
            WHERE \(fenced)
            """, fenceParameters(Complete.self))
        var fence: Fence
    }

    /// A completed job that is not kept: one deleted row instead of a new row version with its index entries now
    /// and a delete by the cleaner later.
    struct Delete: Fenced {
        static let name = "mo_job_delete"
        static let sql = PGStatementSQL<Self>("""
            DELETE FROM jobs WHERE \(fenced)
            """, fenceParameters(Delete.self))
        var fence: Fence
    }


    /// A statement that answers with the ids of the jobs it wrote.
    protocol ReturningIDs: PGStatement where Row == Int64 {}

    /// The parameters of the statements that finish several jobs at once.
    protocol ManyStatement: ReturningIDs {
        var jobs: [Job] { get }
        var holder: String { get }
    }

    private static func manyParameters<S: ManyStatement>(_: S.Type) -> [PGParameter<S>] {
        [.init("ids", "bigint[]") { PGTextArray($0.jobs.map { String($0.id) }) },
         .init("attempts", "int[]") { PGTextArray($0.jobs.map { String($0.attempt) }) },
         .init("holder") { $0.holder }]
    }

    /// Completes several jobs in one statement; returns the ids that were still the holder's.
    struct CompleteMany: ManyStatement {
        static let name = "mo_job_complete_many"
        static let sql = PGStatementSQL<Self>("""
            UPDATE jobs AS j SET state = 'completed', finalized_at = now(), lease_expires_at = NULL
            FROM unnest($ids, $attempts) AS d(id, attempt)
            WHERE \(fencedMany)
            RETURNING j.id
            """, manyParameters(CompleteMany.self))
        var jobs: [Job], holder: String
    }

    /// Deletes several completed jobs in one statement; returns the ids that were still the holder's.
    struct DeleteMany: ManyStatement {
        static let name = "mo_job_delete_many"
        static let sql = PGStatementSQL<Self>("""
            DELETE FROM jobs AS j
            USING unnest($ids, $attempts) AS d(id, attempt)
            WHERE \(fencedMany)
            RETURNING j.id
            """, manyParameters(DeleteMany.self))
        var jobs: [Job], holder: String
    }

    /// Records a failed attempt: retryable after `delay`, or discarded when `permanent` or out of attempts.
    /// Returns the new state.
    struct Fail: Fenced {
        static let name = "mo_job_fail"
        static let sql = PGStatementSQL<Self>("""
            UPDATE jobs
            SET state = CASE WHEN $permanent OR attempt >= max_attempts THEN 'discarded' ELSE 'retryable' END::job_state,
                scheduled_at = CASE WHEN $permanent OR attempt >= max_attempts THEN scheduled_at
                                    ELSE now() + make_interval(secs => $delay) END,
                finalized_at = CASE WHEN $permanent OR attempt >= max_attempts THEN now() END,
                lease_expires_at = NULL,
                errors = errors || jsonb_build_array(jsonb_build_object(
                    'at', now(), 'attempt', attempt, 'by', attempted_by, 'error', $error))
            WHERE \(fenced)
            RETURNING state::text, scheduled_at
            """, fenceParameters(Fail.self) + [
                .init("error", "text") { $0.error },
                .init("permanent", "boolean") { $0.permanent },
                .init("delay", "double precision") { $0.delay.seconds },
            ])
        static func decodeRow(_ row: PGRow) throws(PGError) -> JobState? {
            row.string(0).flatMap(JobState.init(rawValue:))
        }
        var fence: Fence, error: String, permanent: Bool, delay: Duration
    }

    /// Puts the job back without counting the attempt.
    struct Snooze: Fenced {
        static let name = "mo_job_snooze"
        static let sql = PGStatementSQL<Self>("""
            UPDATE jobs
            SET state = 'available', attempt = attempt - 1, lease_expires_at = NULL,
                scheduled_at = now() + make_interval(secs => $delay)
            WHERE \(fenced)
            """, fenceParameters(Snooze.self) + [.init("delay", "double precision") { $0.delay.seconds }])
        var fence: Fence, delay: Duration
    }

    /// Renews the leases of the jobs the holder is running.
    struct Heartbeat: PGStatement {
        static let name = "mo_job_heartbeat"
        static let sql = PGStatementSQL<Self>("""
            UPDATE jobs SET lease_expires_at = clock_timestamp() + make_interval(secs => $lease)
            WHERE id = ANY($ids) AND attempted_by = $holder AND \(runningByID)
            """, [
                .init("ids", "bigint[]") { PGTextArray($0.ids.map { String($0) }) },
                .init("holder") { $0.holder },
                .init("lease", "double precision") { $0.lease.seconds },
            ])
        var ids: [Int64], holder: String, lease: Duration
    }

    /// Takes back up to `limit` jobs whose lease expired (their worker died or stalled); out of attempts →
    /// discarded.
    struct Rescue: PGStatement {
        static let name = "mo_job_rescue"
        static let sql = PGStatementSQL<Self>("""
            WITH expired AS (
                SELECT id FROM jobs
                WHERE state = 'running' AND lease_expires_at < now()
                ORDER BY lease_expires_at
                LIMIT $limit
                FOR UPDATE SKIP LOCKED
            )
            UPDATE jobs AS j
            SET state = CASE WHEN j.attempt >= j.max_attempts THEN 'discarded' ELSE 'retryable' END::job_state,
                finalized_at = CASE WHEN j.attempt >= j.max_attempts THEN now() END,
                scheduled_at = now(), lease_expires_at = NULL,
                errors = j.errors || jsonb_build_array(jsonb_build_object(
                    'at', now(), 'attempt', j.attempt, 'by', j.attempted_by,
                    'error', 'lease expired: the worker stopped without finishing (killed or stalled)'))
            FROM expired
            WHERE j.id = expired.id
            RETURNING j.id, j.kind, j.attempted_by
            """, [.init("limit") { $0.limit }])
        static func decodeRow(_ row: PGRow) -> JobStore.Rescued {
            JobStore.Rescued(id: row.int64(0) ?? 0, kind: row.string(1) ?? "", holder: row.string(2))
        }
        var limit: Int
    }

    /// Deletes one batch of old finished jobs; a nil age keeps those jobs (NULL compares with nothing).
    struct Clean: PGStatement {
        static let name = "mo_job_clean"
        static let sql = PGStatementSQL<Self>("""
            DELETE FROM jobs
            WHERE id IN (
                SELECT id FROM jobs
                WHERE finalized_at IS NOT NULL
                  AND ((state IN ('completed', 'cancelled') AND finalized_at < now() - make_interval(secs => $finishedAge))
                    OR (state = 'discarded' AND finalized_at < now() - make_interval(secs => $discardedAge)))
                ORDER BY finalized_at
                LIMIT $limit
            )
            """, [
                .init("finishedAge", "double precision") { $0.finishedAge.map(\.seconds) },
                .init("discardedAge", "double precision") { $0.discardedAge.map(\.seconds) },
                .init("limit") { $0.limit },
            ])
        var finishedAge: Duration?
        var discardedAge: Duration?
        var limit: Int
    }

    /// Dispatch jobs to enqueue, as a table (`d`: item, id, handler, max_attempts) whose rows become jobs through
    /// ``DispatchArgs/jobRow(item:id:handler:maxAttempts:)``.
    static func dispatchTable<S>(_: S.Type, _ dispatches: @escaping @Sendable (S) -> [JobStore.NewDispatch]) -> PGUnnest<S> {
        PGUnnest("d", [
            .init("item", "text") { PGTextArray(dispatches($0).map(\.args.item.rawValue)) },
            .init("id", "bigint") { PGTextArray(dispatches($0).map { String($0.args.id) }) },
            .init("handler", "text") { PGTextArray(dispatches($0).map(\.args.handler)) },
            .init("max_attempts", "int") { PGTextArray(dispatches($0).map { String($0.maxAttempts) }) },
        ])
    }

    /// The dispatch job row of the table above.
    static let dispatchRow = DispatchArgs.jobRow(item: "d.item", id: "d.id", handler: "d.handler",
                                                 maxAttempts: "d.max_attempts")

    /// Enqueues dispatch jobs; a key that exists already is skipped. Returns the ids of the new jobs.
    struct EnqueueDispatches: ReturningIDs {
        static let name = "mo_job_enqueue_dispatches"
        static let table = dispatchTable(EnqueueDispatches.self) { $0.dispatches }
        static let sql = PGStatementSQL<Self>("""
            \(dispatchRow.insert)
            FROM \(table.table)
            ON CONFLICT (unique_key) DO NOTHING
            RETURNING id
            """, table.parameters)
        var dispatches: [JobStore.NewDispatch]
    }

    /// Runs handlers again on one item on purpose: each dispatch job is made available again (or created when it
    /// was cleaned away or the handler is new); one that is running now is left alone. Returns the ids queued.
    struct ReplayDispatches: ReturningIDs {
        static let name = "mo_job_replay_dispatches"
        static let table = dispatchTable(ReplayDispatches.self) { $0.dispatches }
        static let sql = PGStatementSQL<Self>("""
            \(dispatchRow.insert)
            FROM \(table.table)
            ON CONFLICT (unique_key) DO UPDATE
                SET state = 'available', attempt = 0, scheduled_at = now(), finalized_at = NULL,
                    max_attempts = excluded.max_attempts
                WHERE jobs.state <> 'running'
            RETURNING id
            """, table.parameters)
        var dispatches: [JobStore.NewDispatch]
    }
}

extension JobStatements.ReturningIDs {
    static func decodeRow(_ row: PGRow) throws(PGError) -> Int64 { try row.required(row.int64(0), "id") }
}
