import LibPQ

/// The SQL the ingest writer runs, prepared once per connection. Every value is a bound parameter.
///
/// A whole batch is one statement, and so one round trip and one transaction (autocommit): parallel arrays are
/// `unnest`ed, the raw rows upserted, and the normalized rows of the new ones inserted through data-modifying CTEs.
/// PostgreSQL plans, checks constraints and sets up the executor once per batch rather than once per row, and the
/// writer waits for the network once per batch.
enum IngestStatements {
    /// Inputs must be distinct by endpoint, method and body (``IngestBatch`` folds identical ones into `copies`).
    /// Returns one row per input in input order: `ordinal, id, inserted, outcome, reason`; a repeat reports the
    /// stored outcome and reason, so a retried quarantined body is answered like the first time.
    ///
    /// Raw requests: $1 endpoints, $2 methods, $3 bodies bytea[], $4 content types, $5 client ips, $6 peer ips,
    /// $7 outcomes, $8 reasons, $9 copies int[] (identical deliveries in the batch).
    /// Inbound messages, for the requests that carry one: $10 request ordinals int[], $11 channels,
    /// $12 from numbers, $13 from names, $14 to numbers, $15 texts, $16 references, $17 groupings (each an array
    /// literal), $18 time_utc timestamptz[], $19 time_utc_raw, $20 local_time_raw, $21 message contexts,
    /// $22 custom (json text).
    /// Media items, flattened: $23 request ordinals int[], $24 positions int[], $25 uris, $26 content types,
    /// $27 titles. More inbound message columns: $28 forms, $29 gateway message ids, $30 operator codes.
    /// Status reports, flattened: $31 request ordinals int[], $32 positions int[], $33 forms, $34 references,
    /// $35 recipients, $36 codes as sent, $37 statuses, $38 error codes int[], $39 error codes as sent,
    /// $40 error descriptions, $41 operators, $42 channels, $43 custom groupings (array literals),
    /// $44 reported-at as sent, $45 reported-at timestamptz[], $46 sent as sent.
    /// Events: $47 request ordinals int[], $48 channels, $49 types, $50 from numbers, $51 to numbers,
    /// $52 references, $53 message contexts, $54 groupings (array literals), $55 time_utc timestamptz[],
    /// $56 time_utc_raw, $57 custom (json text), $58 event (json text).
    /// $59 whether to enqueue media downloads. Dispatch jobs, flattened: $60 request ordinals int[], $61 item
    /// positions int[], $62 handler names, $63 max attempts int[].
    /// More status report columns, in the order of $31: $64 send as sent, $65 send timestamptz[],
    /// $66 status descriptions.
    static let ingestBatch = PreparedStatement(name: "ingest_batch", sql: """
        WITH input AS MATERIALIZED (
            SELECT ordinal, endpoint, method, body, content_type, client_ip, peer_ip, outcome, reason, copies,
                   sha256(convert_to(endpoint || E'\\n' || method || E'\\n', 'UTF8') || body) AS dedupe_key
            FROM unnest($1::text[], $2::text[], $3::bytea[], $4::text[], $5::text[], $6::text[], $7::text[],
                        $8::text[], $9::int[])
                 WITH ORDINALITY AS i(endpoint, method, body, content_type, client_ip, peer_ip, outcome, reason, copies,
                                      ordinal)
        ), upserted AS (
            INSERT INTO webhook_requests AS r
                (endpoint, method, dedupe_key, body, body_sha256, content_type, client_ip, peer_ip, outcome, reason,
                 seen_count)
            SELECT endpoint, method, dedupe_key, body, sha256(body), content_type, client_ip::inet, peer_ip::inet,
                   outcome, reason, copies
            FROM input
            ORDER BY dedupe_key  -- one lock order for every writer and daemon: concurrent batches cannot deadlock
            ON CONFLICT (dedupe_key) DO UPDATE
                SET seen_count = r.seen_count + excluded.seen_count, last_seen_at = now()
            RETURNING dedupe_key, id, (xmax = 0) AS inserted, outcome, reason, received_at
        ), result AS MATERIALIZED (
            SELECT input.ordinal, upserted.id, upserted.inserted, upserted.outcome, upserted.reason,
                   upserted.received_at
            FROM input JOIN upserted USING (dedupe_key)
        ), message AS (
            INSERT INTO inbound_messages
                (request_id, channel, from_number, from_name, to_number, text, reference, groupings,
                 time_utc, time_utc_raw, local_time_raw, message_context, custom, received_at,
                 form, gateway_message_id, operator_code)
            SELECT result.id, m.channel, m.from_number, m.from_name, m.to_number, m.text, m.reference,
                   m.groupings::text[], m.time_utc, m.time_utc_raw, m.local_time_raw, m.message_context,
                   m.custom::json, result.received_at, m.form, m.gateway_message_id, m.operator_code
            FROM unnest($10::int[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[],
                        $17::text[], $18::timestamptz[], $19::text[], $20::text[], $21::text[], $22::text[],
                        $28::text[], $29::text[], $30::text[])
                 AS m(ordinal, channel, from_number, from_name, to_number, text, reference, groupings,
                      time_utc, time_utc_raw, local_time_raw, message_context, custom,
                      form, gateway_message_id, operator_code)
            JOIN result USING (ordinal)
            WHERE result.inserted
            RETURNING id, request_id, coalesce(time_utc, received_at) AS sent_at
        ), media AS (
            INSERT INTO media_items (message_id, position, uri, content_type, title, expires_at)
            SELECT message.id, item.position, item.uri, item.content_type, item.title,
                   message.sent_at + interval '30 days'
            FROM unnest($23::int[], $24::int[], $25::text[], $26::text[], $27::text[])
                 AS item(ordinal, position, uri, content_type, title)
            JOIN result USING (ordinal)
            JOIN message ON message.request_id = result.id
            RETURNING id, expires_at
        ), media_job AS (
            -- One download per media item, earliest deadline first, retried until CM deletes the file.
            INSERT INTO jobs (kind, args, unique_key, priority, max_attempts, deadline)
            SELECT 'media_fetch', jsonb_build_object('media_id', media.id), 'media:' || media.id, 1, 10000,
                   media.expires_at
            FROM media
            WHERE $59::boolean
        ), status AS (
            INSERT INTO status_reports
                (request_id, position, form, reference, recipient, code_raw, status, error_code, error_code_raw,
                 error_description, operator, channel, custom_groupings, reported_at_raw, reported_at, sent_raw,
                 received_at, send_raw, send_at, status_description)
            SELECT result.id, s.position, s.form, s.reference, s.recipient, s.code_raw, s.status, s.error_code,
                   s.error_code_raw, s.error_description, s.operator, s.channel, s.custom_groupings::text[],
                   s.reported_at_raw, s.reported_at, s.sent_raw, result.received_at, s.send_raw, s.send_at,
                   s.status_description
            FROM unnest($31::int[], $32::int[], $33::text[], $34::text[], $35::text[], $36::text[], $37::text[],
                        $38::int[], $39::text[], $40::text[], $41::text[], $42::text[], $43::text[], $44::text[],
                        $45::timestamptz[], $46::text[], $64::text[], $65::timestamptz[], $66::text[])
                 AS s(ordinal, position, form, reference, recipient, code_raw, status, error_code, error_code_raw,
                      error_description, operator, channel, custom_groupings, reported_at_raw, reported_at,
                      sent_raw, send_raw, send_at, status_description)
            JOIN result USING (ordinal)
            WHERE result.inserted
            RETURNING id, request_id, position
        ), event AS (
            INSERT INTO events
                (request_id, channel, type, from_number, to_number, reference, message_context, groupings,
                 time_utc, time_utc_raw, custom, event, received_at)
            SELECT result.id, e.channel, e.type, e.from_number, e.to_number, e.reference, e.message_context,
                   e.groupings::text[], e.time_utc, e.time_utc_raw, e.custom::json, e.event::json,
                   result.received_at
            FROM unnest($47::int[], $48::text[], $49::text[], $50::text[], $51::text[], $52::text[], $53::text[],
                        $54::text[], $55::timestamptz[], $56::text[], $57::text[], $58::text[])
                 AS e(ordinal, channel, type, from_number, to_number, reference, message_context, groupings,
                      time_utc, time_utc_raw, custom, event)
            JOIN result USING (ordinal)
            WHERE result.inserted
            RETURNING id, request_id
        ), item AS (
            SELECT 'mo' AS kind, id, request_id, 0 AS position FROM message
            UNION ALL SELECT 'status', id, request_id, position FROM status
            UNION ALL SELECT 'event', id, request_id, 0 FROM event
        ), dispatch AS (
            -- The work after the 200 starts here, committed with the rows it acts on: one job per item and the
            -- handler its routes name (docs/queue.md). The key and arguments are those of JobStore.NewJob.dispatch.
            INSERT INTO jobs (kind, args, unique_key, priority, max_attempts)
            SELECT 'dispatch', jsonb_build_object('item', item.kind, 'id', item.id, 'handler', d.handler),
                   'dispatch:' || item.kind || ':' || item.id || ':' || d.handler, 2, d.max_attempts
            FROM unnest($60::int[], $61::int[], $62::text[], $63::int[]) AS d(ordinal, position, handler, max_attempts)
            JOIN result USING (ordinal)
            JOIN item ON item.request_id = result.id AND item.position = d.position
            ON CONFLICT (unique_key) DO NOTHING
        )
        SELECT ordinal, id, inserted, outcome, reason FROM result ORDER BY ordinal
        """)
}
