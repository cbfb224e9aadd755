-- Ingest: every request that passed the trust boundary, byte-exact, plus the normalized inbound messages and their
-- media references. Written by the ingest writer in one transaction per batch; nothing here is ever updated by
-- ingest except seen_count/last_seen_at on a duplicate delivery.

CREATE TABLE webhook_requests (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Which webhook CM called: 'mo' (inbound messages), 'status' (status reports), 'event' (events).
    endpoint        text        NOT NULL,
    method          text        NOT NULL,
    -- sha256 over endpoint, method and body: the same delivery retried by CM is the same key.
    dedupe_key      bytea       NOT NULL,
    -- The body exactly as received (for GET status reports: the raw query string). Never jsonb: "\u0000" is valid
    -- JSON that jsonb rejects.
    body            bytea       NOT NULL,
    body_sha256     bytea       NOT NULL,
    content_type    text,
    -- The client address the trust boundary decided on, and the TCP peer (the proxy, when there is one).
    client_ip       inet        NOT NULL,
    peer_ip         inet        NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    seen_count      integer     NOT NULL DEFAULT 1,
    -- 'stored': accepted (normalized rows exist when the payload was recognized);
    -- 'quarantined': kept for inspection and replay, with the reason it could not be normalized.
    outcome         text        NOT NULL,
    reason          text,
    CONSTRAINT webhook_requests_dedupe_key_unique UNIQUE (dedupe_key),
    CONSTRAINT webhook_requests_endpoint_check CHECK (endpoint IN ('mo', 'status', 'event')),
    CONSTRAINT webhook_requests_outcome_check CHECK (outcome IN ('stored', 'quarantined')),
    CONSTRAINT webhook_requests_reason_check CHECK ((outcome = 'quarantined') = (reason IS NOT NULL)),
    CONSTRAINT webhook_requests_seen_count_check CHECK (seen_count >= 1)
);

CREATE INDEX webhook_requests_received_at_idx ON webhook_requests (received_at);
CREATE INDEX webhook_requests_quarantined_idx ON webhook_requests (received_at) WHERE outcome = 'quarantined';

COMMENT ON TABLE webhook_requests IS 'Every CM webhook request that passed the trust boundary, byte-exact, deduplicated.';

-- Inbound messages (MO), one per stored request of a recognized MO payload. Every field of CM's MO webhook.
CREATE TABLE inbound_messages (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id      bigint      NOT NULL,
    channel         text        NOT NULL,
    from_number     text        NOT NULL,
    from_name       text,
    to_number       text,
    text            text        NOT NULL,
    reference       text,
    -- CM sends "exactly three strings"; other lengths are kept as they came.
    groupings       text[]      NOT NULL,
    -- timeUtc parsed as UTC, and as sent.
    time_utc        timestamptz,
    time_utc_raw    text,
    -- The optional "time" field (NL local time), as sent.
    local_time_raw  text,
    -- A string as sent; an object as its JSON text.
    message_context text,
    -- message.custom as its exact JSON text (json, not jsonb, so "\u0000" survives).
    custom          json,
    received_at     timestamptz NOT NULL,
    CONSTRAINT inbound_messages_request_unique UNIQUE (request_id),
    CONSTRAINT inbound_messages_request_fkey FOREIGN KEY (request_id) REFERENCES webhook_requests (id)
);

CREATE INDEX inbound_messages_received_at_idx ON inbound_messages (received_at);
CREATE INDEX inbound_messages_from_number_idx ON inbound_messages (from_number, received_at);

COMMENT ON TABLE inbound_messages IS 'Inbound messages (MO) as normalized from CM''s MO webhook.';

-- Media attachments referenced by inbound messages. CM deletes the file 30 days after the message.
CREATE TABLE media_items (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id      bigint      NOT NULL,
    position        smallint    NOT NULL,
    uri             text        NOT NULL,
    content_type    text,
    title           text,
    state           text        NOT NULL DEFAULT 'pending',
    -- When CM deletes the file: timeUtc + 30 days (received_at + 30 days when timeUtc is missing).
    expires_at      timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT media_items_message_position_unique UNIQUE (message_id, position),
    CONSTRAINT media_items_message_fkey FOREIGN KEY (message_id) REFERENCES inbound_messages (id),
    CONSTRAINT media_items_state_check CHECK (state IN ('pending', 'stored', 'failed', 'expired'))
);

CREATE INDEX media_items_pending_expires_idx ON media_items (expires_at) WHERE state = 'pending';

COMMENT ON TABLE media_items IS 'Media referenced by inbound messages, with the deadline CM deletes them at.';
