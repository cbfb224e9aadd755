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
    /// $27 titles.
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
                 time_utc, time_utc_raw, local_time_raw, message_context, custom, received_at)
            SELECT result.id, m.channel, m.from_number, m.from_name, m.to_number, m.text, m.reference,
                   m.groupings::text[], m.time_utc, m.time_utc_raw, m.local_time_raw, m.message_context,
                   m.custom::json, result.received_at
            FROM unnest($10::int[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[],
                        $17::text[], $18::timestamptz[], $19::text[], $20::text[], $21::text[], $22::text[])
                 AS m(ordinal, channel, from_number, from_name, to_number, text, reference, groupings,
                      time_utc, time_utc_raw, local_time_raw, message_context, custom)
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
        )
        SELECT ordinal, id, inserted, outcome, reason FROM result ORDER BY ordinal
        """)
}
