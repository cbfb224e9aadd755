-- reporting.quarantine_by_reason promised that replayed requests leave it (docs/reporting.md), but counted every
-- request whose outcome is 'quarantined', and a replay or a drop leaves the outcome as it was. It now counts the
-- requests still waiting for an operator, as `moctl quarantine list` does: neither replayed nor dropped. Same
-- columns (the views are an API: CREATE OR REPLACE VIEW only).
CREATE OR REPLACE VIEW reporting.quarantine_by_reason AS
SELECT (received_at AT TIME ZONE 'UTC')::date AS day,
       endpoint,
       split_part(reason, ': ', 1) AS reason_class,
       count(*) AS requests,
       sum(seen_count) AS deliveries,
       min(reason) AS example_reason,
       max(last_seen_at) AS last_seen_at
FROM webhook_requests
WHERE outcome = 'quarantined' AND replayed_at IS NULL AND dropped_at IS NULL
GROUP BY 1, 2, 3;

COMMENT ON VIEW reporting.quarantine_by_reason IS 'Requests still in quarantine per UTC day first received, endpoint and reason class (replayed or dropped requests leave quarantine and this view).';
