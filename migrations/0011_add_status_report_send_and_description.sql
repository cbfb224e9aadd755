-- Seed 001 lists "Send" ("The moment when the status report was sent to customer's/your endpoint") and "Status
-- Description" ("The description of the current state of the message") among the status report fields; the
-- decoders now keep both in every form (XML, JSON, GET). The legacy MESSAGES SENT attribute / GET 'sent' parameter
-- stays in sent_raw: probably the same moment, but no CM document says so (docs/decisions.md).
--
-- Nullable columns without a default: adding them rewrites nothing and takes no time on a large table.
ALTER TABLE status_reports
    ADD COLUMN send_raw text,
    ADD COLUMN send_at timestamptz,
    ADD COLUMN status_description text;

COMMENT ON COLUMN status_reports.send_raw IS 'CM''s Send (SEND / send) as sent: when CM sent this report to us.';
COMMENT ON COLUMN status_reports.send_at IS 'send_raw parsed, reading a time without zone as UTC (NULL when absent or unreadable).';
COMMENT ON COLUMN status_reports.status_description IS 'CM''s Status Description (STATUSDESCRIPTION / statusDescription) as sent.';
COMMENT ON COLUMN status_reports.sent_raw IS 'The legacy MESSAGES SENT attribute or GET ''sent'' parameter, as sent (kept apart from send_raw).';

-- r.* was expanded when the view was made: make it again so the history per outbound message carries the new
-- columns (appended at the end, which is what CREATE OR REPLACE VIEW allows).
CREATE OR REPLACE VIEW outbound_message_reports AS
SELECT o.id AS outbound_message_id, r.*
FROM outbound_messages o
JOIN status_reports r ON r.reference = o.reference
WHERE msisdn_key(r.recipient) IS NOT DISTINCT FROM msisdn_key(o.recipient)
   OR NOT EXISTS (SELECT 1 FROM outbound_messages other WHERE other.reference = o.reference AND other.id <> o.id);

-- The failure reasons gain CM's own words for the state and when CM last sent such a report: columns at the end,
-- the released ones unchanged (docs/reporting.md, "The promise").
CREATE OR REPLACE VIEW reporting.delivery_failures AS
SELECT (r.received_at AT TIME ZONE 'UTC')::date AS day,
       r.channel,
       r.status,
       r.error_code,
       e.short_description,
       e.temporary,
       count(*) AS reports,
       count(DISTINCT r.reference) AS messages,
       min(r.error_description) AS reported_description,
       e.description,
       min(r.status_description) AS reported_status_description,
       max(r.send_at) AS last_send_at
FROM status_reports r
LEFT JOIN error_codes e ON e.code = r.error_code
WHERE r.status IN ('failed', 'rejected')
GROUP BY 1, 2, 3, 4, e.code;

COMMENT ON COLUMN reporting.delivery_failures.reported_status_description IS 'One of the status descriptions CM sent with these reports (Status Description; the least, alphabetically; NULL when none carried one).';
COMMENT ON COLUMN reporting.delivery_failures.last_send_at IS 'The latest moment CM sent one of these reports to us (its Send field; NULL when none carried one).';
