-- Data for bench/reporting, generated inside PostgreSQL: :messages inbound messages over the last :days days, and
-- what follows from them in the proportions of a busy WhatsApp/SMS number:
--   webhook_requests  one per inbound message, one per 4 status reports, plus quarantined requests (0.5 %)
--   inbound_messages  channel WhatsApp 55 %, SMS 30 %, RCS 8 %, Instagram 4 %, Apple 3 %; 2-3 numbers each;
--                     200,000 customers
--   media_items       8 % of messages; stored, some pending (the backlog), failed, expired
--   auto_replies      35 % replied (98 % accepted by CM), 8 % skipped with the handler's reasons
--   outbound_messages the replies, plus operator sends (moctl)
--   status_reports    per accepted reply: accepted, then delivered (91 %) or failed (9 %, CM error codes), read
--   optouts           1.5 % of customers
-- Ids are assigned here (OVERRIDING SYSTEM VALUE) so rows can refer to each other without RETURNING; the identity
-- sequences are moved past them at the end. Run with psql -v messages=N -v days=D on a migrated, empty database.
\set ON_ERROR_STOP 1
SET synchronous_commit = off;
-- Rows refer only to rows made here: skip the per-row foreign key triggers (a superuser setting).
SET session_replication_role = replica;
SELECT setseed(0.5);

-- Inbound ----------------------------------------------------------------------------------------------------------
CREATE UNLOGGED TABLE bench_mo AS
SELECT n,
       now() - (:days * 86400 * power(random(), 1.3)) * interval '1 second' AS received_at,
       random() AS pick,
       random() AS reply_pick,
       random() AS media_pick,
       (random() * 200000)::int AS customer
FROM generate_series(1, :messages) AS n;

INSERT INTO webhook_requests (id, endpoint, method, dedupe_key, body, body_sha256, content_type, client_ip, peer_ip,
                              received_at, last_seen_at, seen_count, outcome)
OVERRIDING SYSTEM VALUE
SELECT n, 'mo', 'POST', sha256(convert_to('mo ' || n, 'UTF8')), convert_to('{"bench":' || n || '}', 'UTF8'),
       sha256(convert_to('{"bench":' || n || '}', 'UTF8')), 'application/json', '31.169.56.10', '127.0.0.1',
       received_at, received_at, 1 + (n % 50 = 0)::int, 'stored'
FROM bench_mo;

INSERT INTO inbound_messages (id, request_id, channel, from_number, to_number, text, groupings, time_utc, received_at)
OVERRIDING SYSTEM VALUE
SELECT n, n, c.channel,
       CASE WHEN c.channel = 'Apple Messages for Business' THEN 'urn:mbid:' || md5(customer::text)
            ELSE '+316' || lpad(customer::text, 8, '0') END,
       c.numbers[1 + n % array_length(c.numbers, 1)],
       CASE WHEN n % 200 = 0 THEN 'STOP' ELSE 'Hello, question ' || n END, '{}',
       received_at - interval '2 seconds', received_at
FROM bench_mo
CROSS JOIN LATERAL (
    SELECT CASE WHEN pick < 0.55 THEN 'WhatsApp' WHEN pick < 0.85 THEN 'SMS' WHEN pick < 0.93 THEN 'RCS'
                WHEN pick < 0.97 THEN 'Instagram' ELSE 'Apple Messages for Business' END AS channel
) k
CROSS JOIN LATERAL (
    SELECT k.channel,
           CASE k.channel WHEN 'WhatsApp' THEN ARRAY['+3197010203040', '+3197010203041']
                          WHEN 'SMS' THEN ARRAY['3669', '+3197010203040', '1212']
                          WHEN 'RCS' THEN ARRAY['acme_rcs_agent']
                          WHEN 'Instagram' THEN ARRAY['17841400000000001']
                          ELSE ARRAY['urn:mbid:acme-business'] END AS numbers
) c;

-- Media: 8 % of messages; stored long ago, the rest as a download backlog would leave it ---------------------------
INSERT INTO media_items (message_id, position, uri, content_type, state, expires_at, created_at, path, sha256,
                         size_bytes, stored_at, attempts)
SELECT n, 0, 'https://cdn-1.messaging.cm.com/fileproxy/files/' || md5(n::text), 'image/jpeg', state,
       received_at + interval '30 days', received_at,
       CASE WHEN state = 'stored' THEN substr(md5(n::text), 1, 2) || '/' || md5(n::text) || '.jpg' END,
       CASE WHEN state = 'stored' THEN md5(n::text) END,
       CASE WHEN state = 'stored' THEN 20000 + n % 400000 END,
       CASE WHEN state = 'stored' THEN received_at + interval '3 seconds' END,
       CASE WHEN state = 'pending' THEN 3 ELSE 1 END
FROM (
    SELECT n, received_at,
           CASE WHEN n % 1000 < 10 THEN 'failed'
                WHEN n % 1000 < 25 AND received_at < now() - interval '30 days' THEN 'expired'
                WHEN n % 1000 < 45 AND received_at >= now() - interval '30 days' THEN 'pending'
                ELSE 'stored' END AS state
    FROM bench_mo WHERE media_pick < 0.08
) m;

-- Auto-replies: 35 % answered, 8 % skipped --------------------------------------------------------------------------
CREATE UNLOGGED TABLE bench_reply AS
SELECT row_number() OVER (ORDER BY b.n) AS o, b.n, b.received_at, m.channel, m.from_number, m.to_number,
       b.received_at + (0.08 + power(random(), 3) * 4) * interval '1 second' AS replied_at,
       CASE WHEN b.n % 100 = 7 THEN 'rejected' WHEN b.n % 100 = 8 THEN 'failed' ELSE 'accepted' END AS send_state
FROM bench_mo b JOIN inbound_messages m ON m.id = b.n
WHERE b.reply_pick < 0.35;

INSERT INTO outbound_messages (id, reference, recipient, channel, body, created_at, origin, handler,
                               inbound_message_id, sender, send_state, send_attempts, last_attempt_at, cm_error_code)
OVERRIDING SYSTEM VALUE
SELECT o, 'auto-' || o, from_number, channel, 'Thanks, we will get back to you.',
       replied_at - interval '60 milliseconds', 'auto_reply', 'auto', n, to_number, send_state, 1, replied_at,
       CASE WHEN send_state = 'rejected' THEN 203 END
FROM bench_reply;

INSERT INTO auto_replies (inbound_message_id, handler, decision, rule, outbound_message_id, created_at)
SELECT n, 'auto', 'reply', CASE WHEN n % 200 = 0 THEN 'stop-confirmation' WHEN n % 3 = 0 THEN 'opening-hours'
                                ELSE 'default' END, o, replied_at - interval '60 milliseconds'
FROM bench_reply;

INSERT INTO auto_replies (inbound_message_id, handler, decision, reason, created_at)
SELECT b.n, 'auto', 'skip',
       (ARRAY['rate limit: an auto-reply went to this customer 12 s ago (at most one per 60 s)',
              'the customer opted out', 'the message looks automated',
              'the WhatsApp conversation window closed before the reply could be sent'])[1 + b.n % 4],
       b.received_at + interval '50 milliseconds'
FROM bench_mo b
WHERE b.reply_pick >= 0.35 AND b.reply_pick < 0.43;

SELECT setval(pg_get_serial_sequence('outbound_messages', 'id'), (SELECT max(id) FROM outbound_messages));

-- Operator sends: 1 per 500 messages --------------------------------------------------------------------------------
INSERT INTO outbound_messages (reference, recipient, channel, body, created_at, origin, sender, send_state,
                               send_attempts, last_attempt_at)
SELECT 'op-' || n, '+316' || lpad(customer::text, 8, '0'), 'SMS', 'Your order has shipped', received_at, 'moctl',
       'ACME', 'accepted', 1, received_at + interval '200 milliseconds'
FROM bench_mo WHERE n % 500 = 0;

-- Status reports: accepted, then delivered or failed, then read; 4 per request -------------------------------------
CREATE UNLOGGED TABLE bench_report AS
SELECT row_number() OVER (ORDER BY at) - 1 AS k, *
FROM (
    SELECT o.reference, o.recipient, o.channel, s.status, s.at,
           CASE WHEN s.status = 'failed' THEN (ARRAY[24, 26, 27, 40, 42, 23, 5, 20, 24, 40])[1 + o.id % 10] END
               AS error_code
    -- One draw per message (a VALUES (random()) lateral would be evaluated once for all of them).
    FROM (SELECT *, random() AS x FROM outbound_messages) o
    CROSS JOIN LATERAL (
        VALUES ('accepted', o.last_attempt_at + interval '1 second', true),
               ('delivered', o.last_attempt_at + interval '5 seconds', o.x >= 0.09),
               ('failed', o.last_attempt_at + interval '40 seconds', o.x < 0.09),
               ('read', o.last_attempt_at + interval '10 minutes', o.x >= 0.4 AND o.channel IN ('WhatsApp', 'RCS'))
    ) s(status, at, present)
    WHERE o.send_state = 'accepted' AND s.present AND s.at < now()
) reports;

INSERT INTO webhook_requests (id, endpoint, method, dedupe_key, body, body_sha256, content_type, client_ip, peer_ip,
                              received_at, last_seen_at, outcome)
OVERRIDING SYSTEM VALUE
SELECT :messages + 1 + k / 4, 'status', 'POST', sha256(convert_to('status ' || k / 4, 'UTF8')),
       convert_to('<MESSAGES/>', 'UTF8'), sha256(convert_to('<MESSAGES/>', 'UTF8')), 'application/xml',
       '31.169.56.10', '127.0.0.1', max(at), max(at), 'stored'
FROM bench_report GROUP BY k / 4;

INSERT INTO status_reports (request_id, position, form, reference, recipient, code_raw, status, error_code,
                            error_code_raw, error_description, channel, custom_groupings, reported_at, received_at)
-- CM reports the recipient as 00<digits> where we sent +<digits>.
SELECT :messages + 1 + k / 4, k % 4, 'json', r.reference, regexp_replace(r.recipient, '^\+', '00'),
       CASE r.status WHEN 'accepted' THEN '0' WHEN 'delivered' THEN '2' WHEN 'failed' THEN '3' ELSE '4' END,
       r.status, r.error_code, r.error_code::text, e.short_description, r.channel, '{}', r.at, r.at
FROM bench_report r LEFT JOIN error_codes e ON e.code = r.error_code;

SELECT setval(pg_get_serial_sequence('webhook_requests', 'id'), (SELECT max(id) FROM webhook_requests));

-- Quarantine: 0.5 % of requests, a few kinds of malformed payload ---------------------------------------------------
INSERT INTO webhook_requests (endpoint, method, dedupe_key, body, body_sha256, client_ip, peer_ip, received_at,
                              last_seen_at, seen_count, outcome, reason)
SELECT q.endpoint, 'POST', sha256(convert_to('bad ' || n, 'UTF8')), convert_to('bad ' || n, 'UTF8'),
       sha256(convert_to('bad ' || n, 'UTF8')), '31.169.56.10', '127.0.0.1', at, at + interval '15 minutes',
       1 + n % 5, 'quarantined', q.reason
FROM (
    SELECT n, now() - :days * random() * interval '1 day' AS at, n % 5 AS kind
    FROM generate_series(1, :messages / 200) AS n
) g
CROSS JOIN LATERAL (VALUES
    (CASE g.kind WHEN 0 THEN 'mo' WHEN 1 THEN 'mo' WHEN 2 THEN 'mo' WHEN 3 THEN 'status' ELSE 'event' END,
     CASE g.kind WHEN 0 THEN 'MO payload is not valid JSON: unexpected character at byte ' || (g.n % 90)
                 WHEN 1 THEN 'MO payload has no from.number'
                 WHEN 2 THEN 'MO payload field message.text is a number, expected a string'
                 WHEN 3 THEN 'status report is not well-formed XML: mismatched tag at line ' || (1 + g.n % 7)
                 ELSE 'event payload has no type' END)
) q(endpoint, reason);

-- Opt-outs: customers who sent STOP, and a few operator entries -----------------------------------------------------
INSERT INTO optouts (number_key, number, channel, source, keyword, inbound_message_id, created_at)
SELECT DISTINCT ON (msisdn_key(m.from_number)) msisdn_key(m.from_number), m.from_number, m.channel, 'keyword', 'STOP',
       m.id, m.received_at + interval '1 second'
FROM inbound_messages m WHERE m.text = 'STOP'
ORDER BY msisdn_key(m.from_number), m.id;

INSERT INTO optouts (number_key, number, channel, source, created_at)
SELECT msisdn_key(number), number, NULL, 'moctl', now() - (n % :days) * interval '1 day'
FROM (SELECT n, '+315' || lpad(n::text, 8, '0') AS number FROM generate_series(1, :messages / 2000) AS n) o
ON CONFLICT (number_key) DO NOTHING;

-- Identity sequences past the ids given above; staging tables gone ------------------------------------------------
SELECT setval(pg_get_serial_sequence('webhook_requests', 'id'), (SELECT max(id) FROM webhook_requests));
SELECT setval(pg_get_serial_sequence('inbound_messages', 'id'), (SELECT max(id) FROM inbound_messages));
SELECT setval(pg_get_serial_sequence('outbound_messages', 'id'), (SELECT max(id) FROM outbound_messages));
DROP TABLE bench_mo, bench_reply, bench_report;
