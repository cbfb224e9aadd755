-- CM's test call. Seed 001: "When configuring the webhook URL, you must ensure this URL returns HTTP status code
-- 200(OK) on the test call we make. If our call to the webhook fails, we will not use the provided URL." A request
-- without content (an empty body, {}, [], null, an XML root without MSG, a GET without a query string) is a probe:
-- answered 200 and kept here with outcome 'probe', deduplicated like any other request, with no normalized rows,
-- no jobs, and outside the quarantine (docs/decisions.md).
ALTER TABLE webhook_requests DROP CONSTRAINT webhook_requests_outcome_check;
ALTER TABLE webhook_requests ADD CONSTRAINT webhook_requests_outcome_check
    CHECK (outcome IN ('stored', 'quarantined', 'probe'));

COMMENT ON COLUMN webhook_requests.outcome IS '''stored'' (accepted; normalized rows when recognized), ''quarantined'' (kept with the reason it could not be read, for inspection and replay) or ''probe'' (no content: CM''s test call when a webhook URL is configured).';
