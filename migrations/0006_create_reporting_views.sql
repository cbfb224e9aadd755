-- Reporting: the questions operators ask, as views in their own schema. The views are the API (docs/reporting.md):
-- their names and columns stay as they are across versions; a later version may add columns at the end (which is
-- all CREATE OR REPLACE VIEW allows) or new views, never rename or drop one. The tables under them may change.
--
-- Days are UTC days: day = (timestamp AT TIME ZONE 'UTC')::date. Each day-grouped view has an index on that
-- expression so a query for a recent window reads only that window (docs/reporting.md shows how to report in
-- another zone).

CREATE SCHEMA reporting;

COMMENT ON SCHEMA reporting IS 'Stable reporting views over the MOReceiver tables (docs/reporting.md). Grant read access to this schema only.';

-- The current UTC day, for windows like "day > reporting.today() - 7" (stable, so an index can use it).
CREATE FUNCTION reporting.today() RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (now() AT TIME ZONE 'UTC')::date;

COMMENT ON FUNCTION reporting.today() IS 'Today as a UTC day: the day column of the reporting views for rows stored now.';

-- Index-only scans need the visibility map to be current; by default autovacuum visits an insert-mostly table only
-- after 20 % new rows, which at a steady rate leaves weeks of recent pages unmarked. Vacuum them after 2 %.
ALTER TABLE inbound_messages SET (autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_vacuum_scale_factor = 0.02);
ALTER TABLE outbound_messages SET (autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_vacuum_scale_factor = 0.02);
ALTER TABLE status_reports SET (autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_vacuum_scale_factor = 0.02);

-- Inbound volume ----------------------------------------------------------------------------------------------------

-- received_at, from_number and id ride along so a window is answered from the index alone, here and in the
-- auto-reply views (an index-only scan cannot return the day expression without the column it is computed from).
CREATE INDEX inbound_messages_utc_day_idx ON inbound_messages (((received_at AT TIME ZONE 'UTC')::date), channel, to_number)
    INCLUDE (received_at, from_number, id);

CREATE VIEW reporting.inbound_daily AS
SELECT (m.received_at AT TIME ZONE 'UTC')::date AS day,
       m.channel,
       m.to_number,
       count(*) AS messages,
       count(DISTINCT m.from_number) AS senders
FROM inbound_messages m
GROUP BY 1, 2, 3;

COMMENT ON VIEW reporting.inbound_daily IS 'Inbound messages (MO) per UTC day, channel and number they were sent to.';
COMMENT ON COLUMN reporting.inbound_daily.day IS 'UTC day the message was stored (inbound_messages.received_at).';
COMMENT ON COLUMN reporting.inbound_daily.channel IS 'CM channel as sent: SMS, WhatsApp, RCS, Apple Messages for Business, …';
COMMENT ON COLUMN reporting.inbound_daily.to_number IS 'Our number, short code or channel id the customer wrote to (NULL when CM sent none).';
COMMENT ON COLUMN reporting.inbound_daily.messages IS 'Messages stored (a retried delivery counts once).';
COMMENT ON COLUMN reporting.inbound_daily.senders IS 'Distinct customers (from_number as sent) that day on that channel and number.';

-- Delivery funnel ---------------------------------------------------------------------------------------------------

-- Covering, so a window's messages come from the index alone (the rows themselves are wide: body, CM's response).
-- send_state in the index makes the one update after a send a non-HOT update: one send per row, a small price.
CREATE INDEX outbound_messages_utc_day_idx ON outbound_messages (((created_at AT TIME ZONE 'UTC')::date), channel, origin)
    INCLUDE (created_at, reference, recipient, send_state);

-- The funnel's per-message lookup reads only this index: reference with the report's status and recipient. Every
-- other lookup by reference uses it as before.
DROP INDEX status_reports_reference_idx;
CREATE INDEX status_reports_reference_idx ON status_reports (reference) INCLUDE (status, recipient);

-- Each outbound message's path through the funnel, from its status report history. A report belongs to a message
-- exactly as in outbound_message_reports: same reference, and, when other messages share the reference, the same
-- recipient by msisdn_key. Written per message (two index-only probes) so a day window reads only its own messages,
-- and msisdn_key's regular expressions run only for a shared reference spelt differently.
CREATE VIEW reporting.delivery_funnel_daily AS
SELECT (o.created_at AT TIME ZONE 'UTC')::date AS day,
       o.channel,
       o.origin,
       count(*) AS sent,
       count(*) FILTER (WHERE o.send_state IN ('rejected', 'failed')) AS send_refused,
       count(*) FILTER (WHERE s.reached_accepted) AS accepted,
       count(*) FILTER (WHERE s.reached_delivered) AS delivered,
       count(*) FILTER (WHERE s.reached_read) AS read,
       count(*) FILTER (WHERE s.top_rank = delivery_status_rank('failed')) AS failed,
       count(*) FILTER (WHERE s.top_rank = delivery_status_rank('rejected')) AS rejected,
       count(*) FILTER (WHERE s.top_rank IS NULL AND o.send_state = 'accepted') AS unreported
FROM outbound_messages o
CROSS JOIN LATERAL (
    SELECT count(*) AS messages FROM outbound_messages other WHERE other.reference = o.reference
) same_reference
LEFT JOIN LATERAL (
    SELECT bool_or(r.status IN ('accepted', 'delivered', 'read')) AS reached_accepted,
           bool_or(r.status IN ('delivered', 'read')) AS reached_delivered,
           bool_or(r.status = 'read') AS reached_read,
           max(delivery_status_rank(r.status)) AS top_rank
    FROM status_reports r
    WHERE r.reference = o.reference
      AND (same_reference.messages = 1 OR r.recipient = o.recipient
           OR msisdn_key(r.recipient) IS NOT DISTINCT FROM msisdn_key(o.recipient))
) s ON true
GROUP BY 1, 2, 3;

COMMENT ON VIEW reporting.delivery_funnel_daily IS 'Outbound messages per UTC day sent, channel and origin, and how far they got: accepted, delivered, read, failed.';
COMMENT ON COLUMN reporting.delivery_funnel_daily.day IS 'UTC day the message was written (outbound_messages.created_at).';
COMMENT ON COLUMN reporting.delivery_funnel_daily.channel IS 'Channel the message went out on (NULL when none was recorded).';
COMMENT ON COLUMN reporting.delivery_funnel_daily.origin IS '''auto_reply'' or ''moctl''.';
COMMENT ON COLUMN reporting.delivery_funnel_daily.sent IS 'Messages written (every send intent, whatever CM answered).';
COMMENT ON COLUMN reporting.delivery_funnel_daily.send_refused IS 'Messages CM''s send API refused, or that could not be sent at all (send_state rejected or failed).';
COMMENT ON COLUMN reporting.delivery_funnel_daily.accepted IS 'Messages with a status report saying accepted, delivered or read.';
COMMENT ON COLUMN reporting.delivery_funnel_daily.delivered IS 'Messages with a status report saying delivered or read.';
COMMENT ON COLUMN reporting.delivery_funnel_daily.read IS 'Messages with a status report saying read.';
COMMENT ON COLUMN reporting.delivery_funnel_daily.failed IS 'Messages whose current status (by precedence, as in outbound_message_status) is failed.';
COMMENT ON COLUMN reporting.delivery_funnel_daily.rejected IS 'Messages whose current status is rejected (by the operator or CM after the send).';
COMMENT ON COLUMN reporting.delivery_funnel_daily.unreported IS 'Messages CM accepted at send time without any status report yet.';

-- Failure reasons ---------------------------------------------------------------------------------------------------

CREATE INDEX status_reports_failed_utc_day_idx ON status_reports (((received_at AT TIME ZONE 'UTC')::date))
    WHERE status IN ('failed', 'rejected');

CREATE VIEW reporting.delivery_failures AS
SELECT (r.received_at AT TIME ZONE 'UTC')::date AS day,
       r.channel,
       r.status,
       r.error_code,
       e.short_description,
       e.temporary,
       count(*) AS reports,
       count(DISTINCT r.reference) AS messages,
       min(r.error_description) AS reported_description,
       e.description
FROM status_reports r
LEFT JOIN error_codes e ON e.code = r.error_code
WHERE r.status IN ('failed', 'rejected')
GROUP BY 1, 2, 3, 4, e.code;

COMMENT ON VIEW reporting.delivery_failures IS 'Failed and rejected status reports per UTC day, channel, status and CM error code, with the code''s description from error_codes.';
COMMENT ON COLUMN reporting.delivery_failures.day IS 'UTC day the status report was stored (status_reports.received_at).';
COMMENT ON COLUMN reporting.delivery_failures.channel IS 'Channel as reported (NULL for the XML and GET forms, which carry none).';
COMMENT ON COLUMN reporting.delivery_failures.status IS '''failed'' or ''rejected''.';
COMMENT ON COLUMN reporting.delivery_failures.error_code IS 'CM error code as reported (NULL when none was sent).';
COMMENT ON COLUMN reporting.delivery_failures.short_description IS 'error_codes.short_description (NULL for a code CM does not document).';
COMMENT ON COLUMN reporting.delivery_failures.temporary IS 'true: CM calls the condition temporary; false: permanent; NULL: not said or unknown code.';
COMMENT ON COLUMN reporting.delivery_failures.reports IS 'Status reports (one per MSG; a message can fail more than once).';
COMMENT ON COLUMN reporting.delivery_failures.messages IS 'Distinct messages (by reference) among those reports.';
COMMENT ON COLUMN reporting.delivery_failures.reported_description IS 'One of the error descriptions CM sent with these reports (the least, alphabetically).';
COMMENT ON COLUMN reporting.delivery_failures.description IS 'error_codes.description: CM''s full explanation of the code.';

-- Auto-reply response times -----------------------------------------------------------------------------------------

CREATE VIEW reporting.auto_reply_responses AS
SELECT m.id AS inbound_message_id,
       (m.received_at AT TIME ZONE 'UTC')::date AS day,
       a.handler,
       m.channel,
       a.decision,
       a.rule,
       a.reason,
       o.id AS outbound_message_id,
       o.send_state,
       m.received_at,
       a.created_at AS decided_at,
       CASE WHEN o.send_state = 'accepted' THEN o.last_attempt_at END AS replied_at,
       CASE WHEN o.send_state = 'accepted' THEN extract(epoch FROM o.last_attempt_at - m.received_at) END
           AS response_seconds
FROM auto_replies a
JOIN inbound_messages m ON m.id = a.inbound_message_id
LEFT JOIN outbound_messages o ON o.id = a.outbound_message_id;

COMMENT ON VIEW reporting.auto_reply_responses IS 'Each auto_reply handler decision on an inbound message, with the time from storing the message to CM accepting the reply.';
COMMENT ON COLUMN reporting.auto_reply_responses.inbound_message_id IS 'inbound_messages.id of the message answered (or skipped).';
COMMENT ON COLUMN reporting.auto_reply_responses.day IS 'UTC day the inbound message was stored.';
COMMENT ON COLUMN reporting.auto_reply_responses.handler IS 'Name of the auto_reply handler (config [[handlers]] name).';
COMMENT ON COLUMN reporting.auto_reply_responses.channel IS 'Channel of the inbound message.';
COMMENT ON COLUMN reporting.auto_reply_responses.decision IS '''reply'' or ''skip''.';
COMMENT ON COLUMN reporting.auto_reply_responses.rule IS 'Rule that chose the reply (a rule name, default, stop-confirmation, start-confirmation); NULL for a skip.';
COMMENT ON COLUMN reporting.auto_reply_responses.reason IS 'Why nothing was sent, for a skip.';
COMMENT ON COLUMN reporting.auto_reply_responses.outbound_message_id IS 'The reply (outbound_messages.id); NULL for a skip.';
COMMENT ON COLUMN reporting.auto_reply_responses.send_state IS 'The reply''s send state: intent, accepted, rejected, failed; NULL for a skip.';
COMMENT ON COLUMN reporting.auto_reply_responses.received_at IS 'When the inbound message was stored (its 200 was sent after this commit).';
COMMENT ON COLUMN reporting.auto_reply_responses.decided_at IS 'When the handler decided (and, for a reply, wrote the send intent).';
COMMENT ON COLUMN reporting.auto_reply_responses.replied_at IS 'When CM''s send API accepted the reply (outbound_messages.last_attempt_at); NULL unless accepted.';
COMMENT ON COLUMN reporting.auto_reply_responses.response_seconds IS 'replied_at - received_at in seconds; NULL unless accepted.';

CREATE VIEW reporting.auto_reply_response_daily AS
SELECT day,
       handler,
       channel,
       count(*) FILTER (WHERE decision = 'reply') AS replies,
       count(*) FILTER (WHERE decision = 'skip') AS skipped,
       count(response_seconds) AS accepted,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY response_seconds))::numeric, 3) AS p50_seconds,
       round((percentile_cont(0.9) WITHIN GROUP (ORDER BY response_seconds))::numeric, 3) AS p90_seconds,
       round((percentile_cont(0.99) WITHIN GROUP (ORDER BY response_seconds))::numeric, 3) AS p99_seconds,
       round(max(response_seconds)::numeric, 3) AS max_seconds
FROM reporting.auto_reply_responses
GROUP BY day, handler, channel;

COMMENT ON VIEW reporting.auto_reply_response_daily IS 'Auto-replies per UTC day, handler and channel, with response time percentiles (message stored → reply accepted by CM).';
COMMENT ON COLUMN reporting.auto_reply_response_daily.day IS 'UTC day the inbound messages were stored.';
COMMENT ON COLUMN reporting.auto_reply_response_daily.handler IS 'Name of the auto_reply handler.';
COMMENT ON COLUMN reporting.auto_reply_response_daily.channel IS 'Channel of the inbound messages.';
COMMENT ON COLUMN reporting.auto_reply_response_daily.replies IS 'Messages the handler decided to answer.';
COMMENT ON COLUMN reporting.auto_reply_response_daily.skipped IS 'Messages the handler decided not to answer (see auto_reply_responses.reason).';
COMMENT ON COLUMN reporting.auto_reply_response_daily.accepted IS 'Replies CM''s send API accepted: the population of the percentiles.';
COMMENT ON COLUMN reporting.auto_reply_response_daily.p50_seconds IS 'Median response time in seconds.';
COMMENT ON COLUMN reporting.auto_reply_response_daily.p90_seconds IS '90th percentile response time in seconds.';
COMMENT ON COLUMN reporting.auto_reply_response_daily.p99_seconds IS '99th percentile response time in seconds.';
COMMENT ON COLUMN reporting.auto_reply_response_daily.max_seconds IS 'Slowest response in seconds.';

-- Media backlog and expiries ----------------------------------------------------------------------------------------

CREATE VIEW reporting.media_backlog AS
SELECT state,
       count(*) AS items,
       count(*) FILTER (WHERE expires_at <= now()) AS past_deadline,
       count(*) FILTER (WHERE expires_at > now() AND expires_at <= now() + interval '24 hours') AS expiring_24h,
       count(*) FILTER (WHERE expires_at > now() AND expires_at <= now() + interval '7 days') AS expiring_7d,
       min(expires_at) FILTER (WHERE expires_at > now()) AS next_expires_at,
       min(created_at) AS oldest_created_at,
       sum(size_bytes) AS size_bytes
FROM media_items
GROUP BY state;

COMMENT ON VIEW reporting.media_backlog IS 'Media items per state, with how many CM deletes within 24 hours and 7 days: the pending row is the download backlog.';
COMMENT ON COLUMN reporting.media_backlog.state IS 'pending (not downloaded yet), stored, failed (refused for good), expired (deadline passed before it was stored).';
COMMENT ON COLUMN reporting.media_backlog.items IS 'Media items in this state.';
COMMENT ON COLUMN reporting.media_backlog.past_deadline IS 'Items whose expires_at has passed (for pending: lost unless stored in the next seconds).';
COMMENT ON COLUMN reporting.media_backlog.expiring_24h IS 'Items CM deletes within the next 24 hours.';
COMMENT ON COLUMN reporting.media_backlog.expiring_7d IS 'Items CM deletes within the next 7 days (includes expiring_24h).';
COMMENT ON COLUMN reporting.media_backlog.next_expires_at IS 'The earliest deadline still ahead.';
COMMENT ON COLUMN reporting.media_backlog.oldest_created_at IS 'When the oldest item in this state was ingested.';
COMMENT ON COLUMN reporting.media_backlog.size_bytes IS 'Bytes on disk (stored items only; NULL otherwise).';

CREATE INDEX media_items_utc_expiry_day_idx ON media_items (((expires_at AT TIME ZONE 'UTC')::date), state);

CREATE VIEW reporting.media_expiries_daily AS
SELECT (expires_at AT TIME ZONE 'UTC')::date AS day,
       state,
       count(*) AS items
FROM media_items
GROUP BY 1, 2;

COMMENT ON VIEW reporting.media_expiries_daily IS 'Media items per UTC day CM deletes them (expires_at) and state: past days show what was lost (expired), future days what is at stake (pending).';
COMMENT ON COLUMN reporting.media_expiries_daily.day IS 'UTC day of expires_at (the message''s timeUtc + 30 days).';
COMMENT ON COLUMN reporting.media_expiries_daily.state IS 'pending, stored, failed or expired.';
COMMENT ON COLUMN reporting.media_expiries_daily.items IS 'Media items.';

-- Opt-outs ----------------------------------------------------------------------------------------------------------

CREATE VIEW reporting.optouts_daily AS
SELECT (created_at AT TIME ZONE 'UTC')::date AS day,
       channel,
       source,
       upper(keyword) AS keyword,
       count(*) AS optouts
FROM optouts
GROUP BY 1, 2, 3, 4;

COMMENT ON VIEW reporting.optouts_daily IS 'Customers currently opted out, per UTC day they opted out, channel, source and keyword. A customer who opted in again (START) is no longer counted.';
COMMENT ON COLUMN reporting.optouts_daily.day IS 'UTC day of the opt-out (optouts.created_at).';
COMMENT ON COLUMN reporting.optouts_daily.channel IS 'Channel the stop word came in on (NULL for an operator''s opt-out without one).';
COMMENT ON COLUMN reporting.optouts_daily.source IS '''keyword'' (the customer sent a stop word) or ''moctl'' (an operator).';
COMMENT ON COLUMN reporting.optouts_daily.keyword IS 'The stop word, upper-cased (NULL for moctl).';
COMMENT ON COLUMN reporting.optouts_daily.optouts IS 'Customers still opted out.';

-- Quarantine --------------------------------------------------------------------------------------------------------

CREATE INDEX webhook_requests_quarantined_utc_day_idx ON webhook_requests (((received_at AT TIME ZONE 'UTC')::date))
    WHERE outcome = 'quarantined';

-- A reason reads "<subject> <problem>: <detail>"; the part before the first ': ' is the class worth counting.
CREATE VIEW reporting.quarantine_by_reason AS
SELECT (received_at AT TIME ZONE 'UTC')::date AS day,
       endpoint,
       split_part(reason, ': ', 1) AS reason_class,
       count(*) AS requests,
       sum(seen_count) AS deliveries,
       min(reason) AS example_reason,
       max(last_seen_at) AS last_seen_at
FROM webhook_requests
WHERE outcome = 'quarantined'
GROUP BY 1, 2, 3;

COMMENT ON VIEW reporting.quarantine_by_reason IS 'Requests still in quarantine per UTC day first received, endpoint and reason class (replayed requests leave quarantine and this view).';
COMMENT ON COLUMN reporting.quarantine_by_reason.day IS 'UTC day the request was first received.';
COMMENT ON COLUMN reporting.quarantine_by_reason.endpoint IS '''mo'', ''status'' or ''event''.';
COMMENT ON COLUMN reporting.quarantine_by_reason.reason_class IS 'The reason without its detail (the text before the first '': ''), e.g. ''MO payload is not valid JSON''.';
COMMENT ON COLUMN reporting.quarantine_by_reason.requests IS 'Distinct quarantined requests (distinct bodies).';
COMMENT ON COLUMN reporting.quarantine_by_reason.deliveries IS 'Times CM delivered them, retries included (sum of seen_count).';
COMMENT ON COLUMN reporting.quarantine_by_reason.example_reason IS 'One full reason of the class (the least, alphabetically).';
COMMENT ON COLUMN reporting.quarantine_by_reason.last_seen_at IS 'Latest delivery of any of them.';
