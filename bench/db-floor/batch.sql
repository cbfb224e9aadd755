-- bench/run's db-floor mode: the rows of :batch inbound messages written by PostgreSQL alone (pgbench, no HTTP and
-- no daemon), in one statement the shape of the ingest batch: the raw row upserted by its dedupe key, the normalized
-- row, and one dispatch job each. What this costs is the schema's price; the daemon's ingest can only approach it.
-- :batch is set by pgbench -D batch=N; every body is new (the client id and a random number), as CM's messages are.
WITH input AS MATERIALIZED (
    SELECT convert_to('{"from":{"number":"+3161' || lpad((random() * 1e7)::bigint::text, 7, '0') || '"},'
                      || '"to":{"number":"+31970102"},"message":{"text":"db-floor ' || :client_id || ' '
                      || g || ' ' || random() || '"},"channel":"SMS"}', 'UTF8') AS body
    FROM generate_series(1, :batch) AS g
), raw AS (
    INSERT INTO webhook_requests AS r (endpoint, method, dedupe_key, body, body_sha256, content_type, client_ip,
                                       peer_ip, outcome, seen_count)
    SELECT 'mo', 'POST', sha256(convert_to(E'mo\nPOST\n', 'UTF8') || body), body, sha256(body), 'application/json',
           '31.169.56.10', '127.0.0.1', 'stored', 1
    FROM input
    ORDER BY 3
    ON CONFLICT (dedupe_key) DO UPDATE SET seen_count = r.seen_count + excluded.seen_count, last_seen_at = now()
    RETURNING id, (xmax = 0) AS inserted, received_at
), message AS (
    INSERT INTO inbound_messages (request_id, channel, from_number, to_number, text, groupings, received_at)
    SELECT id, 'SMS', '+31612345678', '+31970102', 'db-floor', '{}', received_at FROM raw WHERE inserted
    RETURNING id
)
INSERT INTO jobs (kind, args, unique_key, priority, max_attempts)
SELECT 'dispatch', jsonb_build_object('item', 'mo', 'id', id, 'handler', 'log'), 'dispatch:mo:' || id || ':log', 2, 20
FROM message
ON CONFLICT (unique_key) DO NOTHING;
