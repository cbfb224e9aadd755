-- Media downloads: every media item gets a media_fetch job at ingest, taken earliest deadline first, retried until
-- CM deletes the file (expires_at). The file lands content-addressed under media.directory. See docs/media.md.

ALTER TABLE media_items
    -- What was stored: the path relative to media.directory, its sha256 and size, the type sniffed from the bytes
    -- (content_type stays what CM declared).
    ADD COLUMN path                 text,
    ADD COLUMN sha256               text,
    ADD COLUMN size_bytes           bigint,
    ADD COLUMN sniffed_content_type text,
    ADD COLUMN attempts             integer     NOT NULL DEFAULT 0,
    ADD COLUMN last_error           text,
    ADD COLUMN last_attempt_at      timestamptz,
    ADD COLUMN stored_at            timestamptz,
    -- media.delete_after_download: when CM confirmed the deletion, or why it did not.
    ADD COLUMN deleted_at_source    timestamptz,
    ADD COLUMN delete_error         text,
    ADD CONSTRAINT media_items_stored_check CHECK ((state = 'stored') = (path IS NOT NULL));

-- 'failed': refused for good (a URL outside media.allowed_hosts, a file over media.max_bytes, a 4xx from the host);
-- 'expired': CM's deadline passed before the file could be stored.
COMMENT ON COLUMN media_items.state IS 'pending, stored, failed (permanently refused), expired (deadline passed)';

-- Earliest deadline first: media jobs carry the media item's deadline, and are claimed through an index of their
-- own; the priority index keeps only jobs without a deadline, so a media backlog never slows handler dispatch.
ALTER TABLE jobs ADD COLUMN deadline timestamptz;
CREATE INDEX jobs_deadline_claimable_idx ON jobs (deadline, id)
    WHERE state IN ('available', 'retryable') AND deadline IS NOT NULL;
DROP INDEX jobs_claimable_idx;
CREATE INDEX jobs_claimable_idx ON jobs (priority, scheduled_at, id)
    WHERE state IN ('available', 'retryable') AND deadline IS NULL;
-- A message's dispatch jobs, woken when its last media item is settled.
CREATE INDEX jobs_waiting_dispatch_idx ON jobs (((args->>'id')::bigint))
    WHERE kind = 'dispatch' AND state = 'available' AND args->>'item' = 'mo';
-- (Media at risk, pending with a near deadline, are found through media_items_pending_expires_idx of 0001.)
