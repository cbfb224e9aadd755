import LibPQ

/// The purger's SQL. Each statement is one batch and its own short transaction (autocommit): it picks at most $2
/// rows in the order of an index, locks them with SKIP LOCKED (a row someone else holds is simply left for the next
/// run), and deletes or empties them with everything that references them. $1 is always the age in seconds.
enum RetentionStatements {
    /// Stored media files older than the age: the rows become 'purged' (path cleared); returns one row per relative path
    /// no other stored item shares (the caller deletes those files), each with the batch's size (path NULL when none).
    static let mediaFiles = PreparedStatement(name: "mo_retention_media_files", sql: """
        WITH batch AS MATERIALIZED (
            SELECT id, path FROM media_items
            WHERE state = 'stored' AND stored_at < now() - make_interval(secs => $1::double precision)
            ORDER BY stored_at
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        ), purged AS (
            UPDATE media_items m SET state = 'purged', path = NULL, purged_at = now()
            FROM batch WHERE m.id = batch.id
            RETURNING batch.path
        )
        SELECT counted.touched, shared.path
        FROM (SELECT count(*) AS touched FROM batch) counted
        LEFT JOIN (
            SELECT DISTINCT purged.path FROM purged
            WHERE NOT EXISTS (SELECT 1 FROM media_items other
                              WHERE other.path = purged.path AND other.state = 'stored'
                                AND other.id NOT IN (SELECT id FROM batch))
        ) shared ON true
        """)

    /// Raw bodies older than the age: a quarantined request is deleted whole (nothing references it); a stored
    /// request keeps its row (its normalized rows refer to it, and its dedupe key still answers CM's retries) with
    /// an empty body. Returns (deleted, emptied).
    static let rawPayloads = PreparedStatement(name: "mo_retention_raw_payloads", sql: """
        WITH batch AS MATERIALIZED (
            SELECT id, outcome FROM webhook_requests
            WHERE body_purged_at IS NULL AND received_at < now() - make_interval(secs => $1::double precision)
            ORDER BY received_at
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        ), deleted AS (
            DELETE FROM webhook_requests r USING batch
            WHERE r.id = batch.id AND batch.outcome = 'quarantined'
            RETURNING r.id
        ), emptied AS (
            UPDATE webhook_requests r SET body = ''::bytea, body_purged_at = now()
            FROM batch WHERE r.id = batch.id AND batch.outcome = 'stored'
            RETURNING r.id
        )
        SELECT (SELECT count(*) FROM deleted), (SELECT count(*) FROM emptied)
        """)

    /// The newest request id older than the age: the normalized purge walks ids up to it.
    static let normalizedHorizon = PreparedStatement(name: "mo_retention_normalized_horizon", sql: """
        SELECT id FROM webhook_requests
        WHERE received_at < now() - make_interval(secs => $1::double precision)
        ORDER BY received_at DESC
        LIMIT 1
        """)

    /// Stored requests older than the age, walked by id ($3 < id <= $4), deleted with their normalized rows: inbound
    /// messages (their media rows and auto-reply decisions; outbound replies forget the link), status reports and
    /// events. A request is kept while anything still needs it: a dispatch job not finished (or a route job an
    /// earlier version left that `moctl migrate` has not converted yet, see ``LegacyRouteJobs``), a media item
    /// still pending or with its file stored. Returns (last id looked at, looked at, deleted, kept).
    static let normalizedRows = PreparedStatement(name: "mo_retention_normalized_rows", sql: """
        WITH batch AS MATERIALIZED (
            SELECT id FROM webhook_requests
            WHERE id > $3 AND id <= $4 AND outcome = 'stored'
              AND received_at < now() - make_interval(secs => $1::double precision)
            ORDER BY id
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        ), open_jobs AS MATERIALIZED (
            SELECT kind, args->>'item' AS item, coalesce(args->>'id', args->>'request_id') AS ref
            FROM jobs WHERE state IN ('available', 'running', 'retryable') AND kind IN ('route', 'dispatch')
        ), message AS MATERIALIZED (
            SELECT m.id, m.request_id FROM inbound_messages m JOIN batch ON m.request_id = batch.id
        ), held AS MATERIALIZED (
            SELECT batch.id FROM batch JOIN open_jobs j ON j.kind = 'route' AND j.ref = batch.id::text
            UNION
            SELECT message.request_id FROM message
            JOIN open_jobs j ON j.kind = 'dispatch' AND j.item = 'mo' AND j.ref = message.id::text
            UNION
            SELECT message.request_id FROM message
            JOIN media_items i ON i.message_id = message.id AND i.state IN ('pending', 'stored')
            UNION
            SELECT s.request_id FROM status_reports s JOIN batch ON s.request_id = batch.id
            JOIN open_jobs j ON j.kind = 'dispatch' AND j.item = 'status' AND j.ref = s.id::text
            UNION
            SELECT e.request_id FROM events e JOIN batch ON e.request_id = batch.id
            JOIN open_jobs j ON j.kind = 'dispatch' AND j.item = 'event' AND j.ref = e.id::text
        ), doomed AS MATERIALIZED (
            SELECT id FROM batch EXCEPT SELECT id FROM held
        ), doomed_message AS MATERIALIZED (
            SELECT message.id FROM message JOIN doomed ON doomed.id = message.request_id
        ), auto_reply AS (
            DELETE FROM auto_replies a USING doomed_message d WHERE a.inbound_message_id = d.id
        ), reply AS (
            UPDATE outbound_messages o SET inbound_message_id = NULL
            FROM doomed_message d WHERE o.inbound_message_id = d.id
        ), media AS (
            DELETE FROM media_items i USING doomed_message d WHERE i.message_id = d.id
        ), inbound AS (
            DELETE FROM inbound_messages m USING doomed d WHERE m.request_id = d.id
        ), report AS (
            DELETE FROM status_reports s USING doomed d WHERE s.request_id = d.id
        ), event AS (
            DELETE FROM events e USING doomed d WHERE e.request_id = d.id
        ), request AS (
            DELETE FROM webhook_requests r USING doomed d WHERE r.id = d.id
            RETURNING r.id
        )
        SELECT (SELECT max(id) FROM batch), (SELECT count(*) FROM batch), (SELECT count(*) FROM request),
               (SELECT count(*) FROM held)
        """)

    /// Outbound messages (auto-replies, moctl send) older than the age, with the auto-reply decisions that point at
    /// them. Returns the number deleted.
    static let outboundMessages = PreparedStatement(name: "mo_retention_outbound_messages", sql: """
        WITH batch AS MATERIALIZED (
            SELECT id FROM outbound_messages
            WHERE created_at < now() - make_interval(secs => $1::double precision)
            ORDER BY created_at
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        ), decision AS (
            DELETE FROM auto_replies a USING batch WHERE a.outbound_message_id = batch.id
        ), outbound AS (
            DELETE FROM outbound_messages o USING batch WHERE o.id = batch.id
            RETURNING o.id
        )
        SELECT count(*) FROM outbound
        """)

    /// Finished jobs older than their ages ($1 completed and cancelled, $2 discarded), at most $3.
    /// $1 relative media paths text[]: those no stored media item uses (the files to delete).
    static let unusedPaths = PreparedStatement(name: "mo_retention_unused_paths", sql: """
        SELECT p FROM unnest($1::text[]) AS p
        WHERE NOT EXISTS (SELECT 1 FROM media_items WHERE path = p AND state = 'stored')
        """)

    /// How many rows each part would purge now, before the checks that keep rows still needed: the same conditions
    /// as the statements above and `JobStatements.clean`. Ages in seconds, each NULL when its part is off (NULL
    /// counts nothing): $1 media files, $2 raw payloads, $3 normalized rows (and outbound messages), $4 completed
    /// jobs, $5 discarded jobs. Columns in `RetentionPurger.Part` order.
    static let dryRun = PreparedStatement(name: "mo_retention_dry_run", sql: """
        SELECT
          (SELECT count(*) FROM media_items
           WHERE state = 'stored' AND stored_at < now() - make_interval(secs => $1::double precision)),
          (SELECT count(*) FROM webhook_requests
           WHERE body_purged_at IS NULL AND received_at < now() - make_interval(secs => $2::double precision)),
          (SELECT count(*) FROM webhook_requests
           WHERE outcome = 'stored' AND received_at < now() - make_interval(secs => $3::double precision)),
          (SELECT count(*) FROM outbound_messages
           WHERE created_at < now() - make_interval(secs => $3::double precision)),
          (SELECT count(*) FROM jobs
           WHERE finalized_at IS NOT NULL
             AND ((state IN ('completed', 'cancelled') AND finalized_at < now() - make_interval(secs => $4::double precision))
               OR (state = 'discarded' AND finalized_at < now() - make_interval(secs => $5::double precision))))
        """)
}
