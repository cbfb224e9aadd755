import LibPQ

/// The SQL the ingest writer runs, prepared once per connection. Every value is a bound parameter.
enum IngestStatements {
    /// Inserts the raw request, or counts a repeated delivery of the same bytes. Returns the row id, whether this call
    /// inserted it, and the stored outcome and reason (so a duplicate is answered like the original).
    /// $1 endpoint, $2 method, $3 body (binary), $4 content type, $5 client ip, $6 peer ip, $7 outcome, $8 reason.
    static let upsertRequest = PreparedStatement(name: "ingest_upsert_request", sql: """
        INSERT INTO webhook_requests AS r
            (endpoint, method, dedupe_key, body, body_sha256, content_type, client_ip, peer_ip, outcome, reason)
        VALUES ($1, $2, sha256(convert_to($1 || E'\\n' || $2 || E'\\n', 'UTF8') || $3::bytea), $3, sha256($3::bytea),
                $4, $5::inet, $6::inet, $7, $8)
        ON CONFLICT (dedupe_key) DO UPDATE
            SET seen_count = r.seen_count + 1, last_seen_at = now()
        RETURNING id, (xmax = 0) AS inserted, outcome, reason
        """)

    /// Inserts an inbound message and its media items (arrays of equal length, in order).
    /// $1 request id, $2 channel, $3 from number, $4 from name, $5 to number, $6 text, $7 reference,
    /// $8 groupings text[], $9 time_utc, $10 time_utc_raw, $11 local_time_raw, $12 message_context, $13 custom json,
    /// $14 media uris text[], $15 media content types text[], $16 media titles text[].
    static let insertInboundMessage = PreparedStatement(name: "ingest_insert_inbound_message", sql: """
        WITH message AS (
            INSERT INTO inbound_messages
                (request_id, channel, from_number, from_name, to_number, text, reference, groupings,
                 time_utc, time_utc_raw, local_time_raw, message_context, custom, received_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9::timestamptz, $10, $11, $12, $13::json, now())
            RETURNING id, coalesce(time_utc, received_at) AS sent_at
        )
        INSERT INTO media_items (message_id, position, uri, content_type, title, expires_at)
        SELECT message.id, media.ordinality - 1, media.uri, media.content_type, media.title,
               message.sent_at + interval '30 days'
        FROM message,
             unnest($14::text[], $15::text[], $16::text[]) WITH ORDINALITY AS media(uri, content_type, title, ordinality)
        """)
}
