-- The work queue: everything after the 200 (routing, handler dispatch, later media downloads and auto-replies)
-- runs from here. Jobs are written in the same transaction as the rows they act on, claimed with
-- FOR UPDATE SKIP LOCKED, held under a lease renewed by heartbeat, and returned by a rescuer when the lease expires
-- (a killed worker). See docs/queue.md.

CREATE TYPE job_state AS ENUM ('available', 'running', 'retryable', 'completed', 'discarded', 'cancelled');

CREATE TABLE jobs (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- 'route' (fan a stored request out to its handlers), 'dispatch' (run one handler on one item).
    kind                text        NOT NULL,
    -- Row ids and names only, never payload copies: the job reads the current rows when it runs.
    args                jsonb       NOT NULL DEFAULT '{}',
    state               job_state   NOT NULL DEFAULT 'available',
    -- Lower runs first.
    priority            smallint    NOT NULL DEFAULT 2,
    attempt             integer     NOT NULL DEFAULT 0,
    max_attempts        integer     NOT NULL DEFAULT 20,
    -- Not before this time (retries are scheduled attempt^4 seconds ahead).
    scheduled_at        timestamptz NOT NULL DEFAULT now(),
    attempted_at        timestamptz,
    -- The daemon instance (host/pid/nonce) holding or last holding the job.
    attempted_by        text,
    -- While running: the holder must renew this by heartbeat; once past, the rescuer takes the job back.
    lease_expires_at    timestamptz,
    -- One entry per failed attempt: {"at", "attempt", "by", "error"}.
    errors              jsonb       NOT NULL DEFAULT '[]',
    -- At most one job per key ever exists (e.g. 'dispatch:mo:42:crm'): a retried or replayed delivery never
    -- doubles a job.
    unique_key          text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    finalized_at        timestamptz,
    CONSTRAINT jobs_unique_key_unique UNIQUE (unique_key),
    CONSTRAINT jobs_attempt_check CHECK (attempt >= 0 AND max_attempts >= 1),
    CONSTRAINT jobs_finalized_check
        CHECK ((state IN ('completed', 'discarded', 'cancelled')) = (finalized_at IS NOT NULL)),
    CONSTRAINT jobs_lease_check CHECK ((state = 'running') = (lease_expires_at IS NOT NULL))
);

-- The claim query's order, over the claimable jobs only.
CREATE INDEX jobs_claimable_idx ON jobs (priority, scheduled_at, id) WHERE state IN ('available', 'retryable');
-- The rescuer's scan.
CREATE INDEX jobs_running_lease_idx ON jobs (lease_expires_at) WHERE state = 'running';
-- The cleaner's scan.
CREATE INDEX jobs_finalized_at_idx ON jobs (finalized_at) WHERE finalized_at IS NOT NULL;

COMMENT ON TABLE jobs IS 'The persistent work queue: routing, handler dispatch, downloads. See docs/queue.md.';

-- One line per kind and state, for moctl and metrics.
CREATE VIEW job_counts AS
SELECT kind, state, count(*) AS jobs,
       min(scheduled_at) FILTER (WHERE state IN ('available', 'retryable')) AS oldest_scheduled_at
FROM jobs
GROUP BY kind, state;

COMMENT ON VIEW job_counts IS 'Jobs by kind and state, with the oldest claimable job''s scheduled time.';

-- ISO 8601 in UTC with milliseconds ("2026-11-29T10:00:00.123Z"): the one time format of the event document.
CREATE FUNCTION format_utc(at timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
