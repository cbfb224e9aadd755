-- Retention (docs/retention.md: what is purged when, what is kept forever) and the operator's quarantine actions
-- (moctl quarantine replay|drop). The purger deletes in short batches ordered by an indexed column; the indexes
-- below keep each batch, and the foreign-key checks its deletes cause, from scanning whole tables.

ALTER TABLE webhook_requests
    -- When retention.raw_payloads_days emptied body (the row itself stays while its normalized rows do, so a CM
    -- retry is still recognized as a duplicate and the reports keep their source).
    ADD COLUMN body_purged_at       timestamptz,
    -- moctl quarantine replay: when a quarantined request was parsed again by today's decoder and stored, and the
    -- stored request it became. The replayed row's dedupe_key is moved aside so the stored copy owns the delivery.
    ADD COLUMN replayed_at          timestamptz,
    ADD COLUMN replayed_request_id  bigint,
    -- moctl quarantine drop: an operator gave up on it; CM's retries of it are still counted here.
    ADD COLUMN dropped_at           timestamptz,
    ADD CONSTRAINT webhook_requests_replayed_fkey
        FOREIGN KEY (replayed_request_id) REFERENCES webhook_requests (id) ON DELETE SET NULL;

-- The raw payload purge's scan: requests that still have their body, oldest first.
CREATE INDEX webhook_requests_body_kept_idx ON webhook_requests (received_at) WHERE body_purged_at IS NULL;
-- Deleting a stored request checks for quarantine rows replayed into it.
CREATE INDEX webhook_requests_replayed_idx ON webhook_requests (replayed_request_id)
    WHERE replayed_request_id IS NOT NULL;

-- 'purged': the file was deleted by retention.media_files_days (sha256 and size stay for the record).
ALTER TABLE media_items
    DROP CONSTRAINT media_items_state_check,
    ADD CONSTRAINT media_items_state_check CHECK (state IN ('pending', 'stored', 'failed', 'expired', 'purged')),
    ADD COLUMN purged_at timestamptz;

COMMENT ON COLUMN media_items.state IS 'pending, stored, failed (permanently refused), expired (deadline passed), purged (file deleted by retention)';

-- The media file purge's scan, and the check that no other stored item shares a content-addressed file.
CREATE INDEX media_items_stored_at_idx ON media_items (stored_at) WHERE state = 'stored';
CREATE INDEX media_items_path_idx ON media_items (path) WHERE path IS NOT NULL;

-- The outbound purge's scan, and the foreign-key checks when inbound and outbound messages are deleted.
CREATE INDEX outbound_messages_created_at_idx ON outbound_messages (created_at);
CREATE INDEX outbound_messages_inbound_idx ON outbound_messages (inbound_message_id)
    WHERE inbound_message_id IS NOT NULL;
CREATE INDEX auto_replies_outbound_idx ON auto_replies (outbound_message_id) WHERE outbound_message_id IS NOT NULL;
