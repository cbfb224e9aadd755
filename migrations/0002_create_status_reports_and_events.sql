-- Every payload form CM calls us in, normalized: status reports (one row per MSG), events, and the outbound
-- messages status reports are about. Status reports are append-only; an outbound message's current status is
-- derived from them by precedence (view outbound_message_status), never stored, so arrival order cannot matter
-- and a report that arrives before its outbound row is matched the moment the row exists.

-- Which legacy MO form an inbound message came in ('json' is today's Business Messaging envelope), and the two
-- fields only the legacy Gateway formats carry.
ALTER TABLE inbound_messages
    ADD COLUMN form text NOT NULL DEFAULT 'json',
    ADD COLUMN gateway_message_id text,
    ADD COLUMN operator_code text,
    ADD CONSTRAINT inbound_messages_form_check CHECK (form IN ('json', 'legacy-json', 'legacy-xml'));

-- A comparable form of a phone number: '+31 6-1234', '0031612…' and '31612…' become '31612…'. Non-numeric ids
-- (Apple, Instagram) keep their letters and digits.
CREATE FUNCTION msisdn_key(number text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN regexp_replace(regexp_replace(number, '^\s*(\+|00)', ''), '[^0-9A-Za-z]', '', 'g');

-- How strongly a status says where a message is: the current status of an outbound message is the reported
-- status of highest rank. read implies delivered; failed outranks delivered because CM reports failures after
-- delivery (never the other way round), and a late 'accepted' can never overwrite anything.
CREATE FUNCTION delivery_status_rank(status text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE status WHEN 'read' THEN 6 WHEN 'failed' THEN 5 WHEN 'delivered' THEN 4 WHEN 'rejected' THEN 3
                       WHEN 'accepted' THEN 2 WHEN 'unknown' THEN 1 ELSE 0 END;

CREATE TABLE error_codes (
    code        integer PRIMARY KEY,
    short_description text NOT NULL,
    description text NOT NULL,
    -- true: CM calls the condition temporary; false: permanent; NULL: not said.
    temporary   boolean
);

COMMENT ON TABLE error_codes IS 'CM status report error codes (seed 001, "Status report webhooks" error table).';

INSERT INTO error_codes (code, short_description, description, temporary) VALUES
    (5, 'Message not delivered at third party', 'The message has been confirmed as undelivered but no detailed information related to the failure is known.', NULL),
    (7, 'Message not delivered at operator because recipient has insufficient credit', 'Temporary - Used to indicate to the client that the message has not yet been delivered due to insufficient subscriber credit but is being retried within the network.', true),
    (8, 'Message expired at third party', 'Temporary - Used when a message expired (could not be delivered within the life time of the message) within the operator SMSC but is not associated with a reason for failure.', true),
    (20, 'Message not delivered because of a malformed request', 'Used when a message in its current form is undeliverable.', NULL),
    (21, 'Message expired at operator', 'Temporary - Only occurs where the operator accepts the message before performing the subscriber credit check. If there is insufficient credit then the operator will retry the message until the subscriber tops up or the message expires. If the message expires and the last failure reason is related to credit then this error code will be used.', true),
    (22, 'Message not delivered at operator because recipient has insufficient credit', 'Temporary - Only occurs where the operator performs the subscriber credit check before accepting the message and rejects messages if there are insufficient funds available.', true),
    (23, 'Message not delivered because of an incorrect recipient number (invalid/blacklisted/barred)', 'Used when the message is undeliverable due to an incorrect / invalid / blacklisted / permanently barred Phone Number for this operator. This Phone Number should not be used again for message submissions to this operator.', NULL),
    (24, 'Message not delivered because the recipient was unreachable', 'Temporary - Used when a message is undeliverable because the subscriber is temporarily absent, e.g. his/her phone is switch off, he/she cannot be located on the network.', true),
    (25, 'Message not delivered at third party', 'Temporary - Used when the message has failed due to a temporary condition in the operator network. This could be related to the SS7 layer, SMSC or gateway.', true),
    (26, 'Message not delivered because of a temporary handset issue (sim card full/memory exceeded/SME busy)', 'Temporary - Used when a message has failed due to a temporary phone related error, e.g. SIM card full, SME busy, memory exceeded etc. This does not mean the phone is unable to receive this type of message/content (refer to error code 27).', true),
    (27, 'Message not delivered because of a permanent handset issue (unable to receive SMS)', 'Permanent - Used when a handset is permanently incompatible or unable to receive this type of message.', false),
    (28, 'Message not delivered because submission speed is too high (throttling errors)', 'Used if a message fails or is rejected due to suspicion of SPAM on the operator network. This could indicate in some geographies that the operator has no record of the mandatory MO required for an MT.', NULL),
    (29, 'Message not delivered because content is not permitted', 'Permanent - Used when this specific content is not permitted on the network / shortcode.', false),
    (30, 'Message not delivered because the set spend limit is reached', 'Temporary - Used when message fails or is rejected because the subscriber has reached the predetermined spend limit for the current billing period.', true),
    (31, 'Message not delivered because the recipient was suspended from premium services', 'Used when the Phone Number is for a valid subscriber on the operator but the message fails or is rejected because the subscriber is unable to be billed, e.g. the subscriber account is suspended (either voluntarily or involuntarily), the subscriber is not enabled for bill-tophone services, the subscriber is not eligible for bill-to-phone services, etc.', NULL),
    (33, 'Message not delivered because of parental lock', 'Used when the subscriber cannot receive adult content because of a parental lock.', NULL),
    (34, 'Message not delivered because age check failure', 'Permanent - Used when the subscriber cannot receive adult content because they have previously failed the age verification process.', false),
    (35, 'Message not delivered because age check missing', 'Temporary - Used when the subscriber cannot receive adult content because they have not previously completed age verification.', true),
    (36, 'Message not delivered because age check unavailable', 'Temporary - Used when the subscriber cannot receive adult content because a temporary communication error prevents their status being verified on the age verification platform.', true),
    (37, 'Message not delivered because recipient is in national Do-Not-Call Register (for example, the Dutch SMS DienstenFilter and Chinese DnD list)', 'The Phone Number is on the national blacklist', NULL),
    (38, 'Message not delivered because maximum concatenation tariff exceeded', 'Used when the total tariff of a concatenated message exceeds the maximum tariff per message set by the operator', NULL),
    (39, 'Message not delivered because quota is empty', 'Used when a customer is out of qouta.', NULL),
    (40, 'Message not delivered because the conversation window is closed', 'Message failed to send, conversation window closed. The channel specific conversation window is no longer open to send messages towards this customer.', NULL),
    (41, 'Message not delivered because too many messages were sent from this number', 'Too many messages send from this number, blocked notifications or marked as spam.', NULL),
    (42, 'Message not delivered because recipient is not capable to receive a message from this channel', 'Used when a recipient is not capable to receive a message from this channel. (For example, the user did not install WhatsApp).', NULL),
    (43, 'Message not delivered because a template related error occured', 'Template name does not exist for this language and namespace.', NULL);

-- Messages we sent (auto-replies, moctl send); status reports attach to them by reference (and recipient).
CREATE TABLE outbound_messages (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reference   text        NOT NULL,
    recipient   text        NOT NULL,
    channel     text,
    body        text,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX outbound_messages_reference_idx ON outbound_messages (reference);

COMMENT ON TABLE outbound_messages IS 'Messages sent through CM; their status is in view outbound_message_status.';

-- One row per MSG of a status report (XML, JSON) or per GET call. Append-only.
CREATE TABLE status_reports (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id          bigint      NOT NULL,
    -- The MSG's position within its request, from 0.
    position            integer     NOT NULL,
    form                text        NOT NULL,
    reference           text,
    recipient           text,
    -- The code as sent, and what it means ('unknown' for codes outside 0-4, e.g. legacy 200).
    code_raw            text,
    status              text        NOT NULL,
    error_code          integer,
    error_code_raw      text,
    error_description   text,
    operator            text,
    channel             text,
    custom_groupings    text[]      NOT NULL,
    -- RECEIVED as sent, and parsed reading a time without zone as UTC (see docs/decisions.md).
    reported_at_raw     text,
    reported_at         timestamptz,
    -- The legacy MESSAGES SENT attribute or GET 'sent' parameter, as sent.
    sent_raw            text,
    received_at         timestamptz NOT NULL,
    CONSTRAINT status_reports_request_position_unique UNIQUE (request_id, position),
    CONSTRAINT status_reports_request_fkey FOREIGN KEY (request_id) REFERENCES webhook_requests (id),
    CONSTRAINT status_reports_form_check CHECK (form IN ('xml', 'json', 'query')),
    CONSTRAINT status_reports_status_check
        CHECK (status IN ('accepted', 'rejected', 'delivered', 'failed', 'read', 'unknown'))
);

CREATE INDEX status_reports_reference_idx ON status_reports (reference);
CREATE INDEX status_reports_received_at_idx ON status_reports (received_at);

COMMENT ON TABLE status_reports IS 'Delivery status reports from CM, one row per MSG, append-only.';

-- Events from CM's event webhook (RCS SuggestionClick, Instagram StoryMention, …); any type.
CREATE TABLE events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id      bigint      NOT NULL,
    channel         text        NOT NULL,
    type            text        NOT NULL,
    from_number     text        NOT NULL,
    to_number       text,
    reference       text,
    message_context text,
    groupings       text[]      NOT NULL,
    time_utc        timestamptz,
    time_utc_raw    text,
    -- event.custom and the whole event object, as their exact JSON text.
    custom          json,
    event           json        NOT NULL,
    received_at     timestamptz NOT NULL,
    CONSTRAINT events_request_unique UNIQUE (request_id),
    CONSTRAINT events_request_fkey FOREIGN KEY (request_id) REFERENCES webhook_requests (id)
);

CREATE INDEX events_received_at_idx ON events (received_at);

COMMENT ON TABLE events IS 'Events from CM''s event webhook, normalized; any event type.';

-- Which status reports belong to which outbound message: same reference, and when several outbound messages
-- share that reference, the same recipient (compared by msisdn_key).
CREATE VIEW outbound_message_reports AS
SELECT o.id AS outbound_message_id, r.*
FROM outbound_messages o
JOIN status_reports r ON r.reference = o.reference
WHERE msisdn_key(r.recipient) IS NOT DISTINCT FROM msisdn_key(o.recipient)
   OR NOT EXISTS (SELECT 1 FROM outbound_messages other WHERE other.reference = o.reference AND other.id <> o.id);

COMMENT ON VIEW outbound_message_reports IS 'Status report history per outbound message.';

-- The current status of each outbound message: 'sent' until a report arrives, then the highest-ranked status.
CREATE VIEW outbound_message_status AS
SELECT o.id, o.reference, o.recipient, o.channel, o.created_at,
       coalesce(s.status, 'sent') AS status, s.error_code, s.status_reported_at, coalesce(s.reports, 0) AS reports
FROM outbound_messages o
LEFT JOIN LATERAL (
    SELECT (array_agg(r.status ORDER BY delivery_status_rank(r.status) DESC, r.received_at DESC))[1] AS status,
           (array_agg(r.error_code ORDER BY delivery_status_rank(r.status) DESC, r.received_at DESC))[1] AS error_code,
           max(coalesce(r.reported_at, r.received_at)) AS status_reported_at,
           count(*) AS reports
    FROM outbound_message_reports r
    WHERE r.outbound_message_id = o.id
) s ON true;

COMMENT ON VIEW outbound_message_status IS 'Each outbound message with its current status, derived by precedence.';
