import LibPQ

/// The queue's SQL, prepared once per worker connection. Every value is a bound parameter.
///
/// Every transition out of `running` is fenced on (id, attempt, attempted_by): a worker whose lease was taken
/// back by the rescuer (it was frozen, not dead) cannot complete or fail a job that now belongs to someone else.
enum JobStatements {
    /// $1 kinds text[], $2 limit, $3 holder, $4 lease seconds. Claims the next claimable jobs in priority order
    /// (jobs without a deadline; `jobs_claimable_idx`).
    static let claim = claimStatement(name: "mo_job_claim", filter: "deadline IS NULL",
                                      order: "priority, scheduled_at, id")

    /// The same claim, earliest deadline first (media downloads: the job whose file CM deletes first;
    /// `jobs_deadline_claimable_idx`).
    static let claimByDeadline = claimStatement(name: "mo_job_claim_deadline", filter: "deadline IS NOT NULL",
                                                order: "deadline, id")

    /// One claim statement; `filter` and `order` are fixed SQL fragments chosen above, never input.
    private static func claimStatement(name: String, filter: String, order: String) -> PreparedStatement {
        PreparedStatement(name: name, sql: """
            WITH next AS (
                SELECT id FROM jobs
                WHERE state IN ('available', 'retryable') AND scheduled_at <= now() AND kind = ANY($1::text[])
                  AND \(filter)
                ORDER BY \(order)
                LIMIT $2
                FOR UPDATE SKIP LOCKED
            )
            UPDATE jobs AS j
            SET state = 'running', attempt = j.attempt + 1, attempted_at = clock_timestamp(), attempted_by = $3,
                lease_expires_at = clock_timestamp() + make_interval(secs => $4::double precision)
            FROM next
            WHERE j.id = next.id
            RETURNING j.id, j.kind, j.args::text, j.attempt, j.max_attempts, j.unique_key
            """)
    }

    /// $1 id, $2 attempt, $3 holder.
    static let complete = PreparedStatement(name: "mo_job_complete", sql: """
        UPDATE jobs SET state = 'completed', finalized_at = now(), lease_expires_at = NULL
        WHERE id = $1 AND attempt = $2 AND attempted_by = $3 AND state = 'running'
        """)

    /// $1 ids bigint[], $2 attempts int[], $3 holder. Completes several jobs in one statement; returns those that
    /// were still the holder's.
    static let completeMany = PreparedStatement(name: "mo_job_complete_many", sql: """
        UPDATE jobs AS j SET state = 'completed', finalized_at = now(), lease_expires_at = NULL
        FROM unnest($1::bigint[], $2::int[]) AS d(id, attempt)
        WHERE j.id = d.id AND j.attempt = d.attempt AND j.attempted_by = $3 AND j.state = 'running'
        RETURNING j.id
        """)

    /// $1 id, $2 attempt, $3 holder. A completed job that is not kept: one deleted row instead of a new row version
    /// with its index entries now and a delete by the cleaner later.
    static let delete = PreparedStatement(name: "mo_job_delete", sql: """
        DELETE FROM jobs WHERE id = $1 AND attempt = $2 AND attempted_by = $3 AND state = 'running'
        """)

    /// $1 ids bigint[], $2 attempts int[], $3 holder. The same for several jobs; returns those that were still the
    /// holder's.
    static let deleteMany = PreparedStatement(name: "mo_job_delete_many", sql: """
        DELETE FROM jobs AS j
        USING unnest($1::bigint[], $2::int[]) AS d(id, attempt)
        WHERE j.id = d.id AND j.attempt = d.attempt AND j.attempted_by = $3 AND j.state = 'running'
        RETURNING j.id
        """)

    /// $1 id, $2 attempt, $3 holder, $4 error text, $5 permanent, $6 delay seconds. Returns the new state.
    static let fail = PreparedStatement(name: "mo_job_fail", sql: """
        UPDATE jobs
        SET state = CASE WHEN $5::boolean OR attempt >= max_attempts THEN 'discarded' ELSE 'retryable' END::job_state,
            scheduled_at = CASE WHEN $5::boolean OR attempt >= max_attempts THEN scheduled_at
                                ELSE now() + make_interval(secs => $6::double precision) END,
            finalized_at = CASE WHEN $5::boolean OR attempt >= max_attempts THEN now() END,
            lease_expires_at = NULL,
            errors = errors || jsonb_build_array(jsonb_build_object(
                'at', now(), 'attempt', attempt, 'by', attempted_by, 'error', $4::text))
        WHERE id = $1 AND attempt = $2 AND attempted_by = $3 AND state = 'running'
        RETURNING state::text, scheduled_at
        """)

    /// $1 id, $2 attempt, $3 holder, $4 delay seconds. Puts the job back without counting the attempt.
    static let snooze = PreparedStatement(name: "mo_job_snooze", sql: """
        UPDATE jobs
        SET state = 'available', attempt = attempt - 1, lease_expires_at = NULL,
            scheduled_at = now() + make_interval(secs => $4::double precision)
        WHERE id = $1 AND attempt = $2 AND attempted_by = $3 AND state = 'running'
        """)

    /// $1 ids bigint[], $2 holder, $3 lease seconds. Renews the leases of the jobs the holder is running.
    static let heartbeat = PreparedStatement(name: "mo_job_heartbeat", sql: """
        UPDATE jobs SET lease_expires_at = clock_timestamp() + make_interval(secs => $3::double precision)
        WHERE id = ANY($1::bigint[]) AND attempted_by = $2 AND state = 'running'
        """)

    /// $1 limit. Takes back jobs whose lease expired (their worker died or stalled); out of attempts → discarded.
    static let rescue = PreparedStatement(name: "mo_job_rescue", sql: """
        WITH expired AS (
            SELECT id FROM jobs
            WHERE state = 'running' AND lease_expires_at < now()
            ORDER BY lease_expires_at
            LIMIT $1
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
        """)

    /// $1 completed/cancelled age seconds, $2 discarded age seconds, $3 limit. Deletes one batch of old jobs.
    static let clean = PreparedStatement(name: "mo_job_clean", sql: """
        DELETE FROM jobs
        WHERE id IN (
            SELECT id FROM jobs
            WHERE finalized_at IS NOT NULL
              AND ((state IN ('completed', 'cancelled') AND finalized_at < now() - make_interval(secs => $1::double precision))
                OR (state = 'discarded' AND finalized_at < now() - make_interval(secs => $2::double precision)))
            ORDER BY finalized_at
            LIMIT $3
        )
        """)

    /// $1 kinds, $2 args (jsonb text), $3 unique keys, $4 priorities, $5 max attempts. Enqueues jobs; a key that
    /// exists already is skipped. Returns the ids of the new jobs.
    static let enqueue = PreparedStatement(name: "mo_job_enqueue", sql: """
        INSERT INTO jobs (kind, args, unique_key, priority, max_attempts)
        SELECT kind, args::jsonb, unique_key, priority, max_attempts
        FROM unnest($1::text[], $2::text[], $3::text[], $4::smallint[], $5::int[])
             AS j(kind, args, unique_key, priority, max_attempts)
        ON CONFLICT (unique_key) DO NOTHING
        RETURNING id
        """)
}
