import CMWebhook
import LibPQ

/// The statement the ingest writer runs for a whole batch, prepared once per connection: one round trip and one
/// transaction (autocommit). Parallel arrays are `unnest`ed, the raw rows upserted, and the normalized rows of the
/// new ones inserted through data-modifying CTEs. PostgreSQL plans, checks constraints and sets up the executor once
/// per batch rather than once per row, and the writer waits for the network once per batch.
///
/// Every table the statement reads from its parameters is a ``PGUnnest``: an ordered list of named, typed columns,
/// each saying how to take its array from the batch; the `$n` numbers come from that list. Inputs must be distinct
/// by endpoint, method and body (``IngestBatch`` folds identical ones into `copies`). Returns one row per input in
/// input order; a repeat reports the stored outcome and reason, so a retried quarantined body is answered like the
/// first time. Value type, built and run on the writer thread.
struct IngestBatchStatement: PGStatement {
    static let name = "ingest_batch"

    /// The batch's rows, flattened once per batch; the columns below only map over them.
    let batch: IngestBatch
    /// Enqueue a download per media item.
    let mediaJobs: Bool
    let messages: [(ordinal: String, message: InboundMessage)]
    let media: [(ordinal: String, position: String, media: MediaReference)]
    let reports: [(ordinal: String, position: String, report: StatusReport)]
    let events: [(ordinal: String, event: InboundEvent)]
    let dispatches: [(ordinal: String, dispatch: IngestDispatch)]

    init(_ batch: IngestBatch, mediaJobs: Bool) {
        self.batch = batch
        self.mediaJobs = mediaJobs
        messages = batch.payloads { payload -> InboundMessage? in
            if case .inboundMessage(let message) = payload { return message }
            return nil
        }.map { (ordinal: $0.ordinal, message: $0.payload) }
        var media: [(ordinal: String, position: String, media: MediaReference)] = []
        for (ordinal, message) in messages {
            for (position, item) in message.media.enumerated() {
                media.append((ordinal: ordinal, position: String(position), media: item))
            }
        }
        self.media = media
        reports = batch.payloads { payload -> [StatusReport]? in
            if case .statusReports(let reports) = payload { return reports }
            return nil
        }.flatMap { request in
            request.payload.enumerated().map { (ordinal: request.ordinal, position: String($0.offset), report: $0.element) }
        }
        events = batch.payloads { payload -> InboundEvent? in
            if case .event(let event) = payload { return event }
            return nil
        }.map { (ordinal: $0.ordinal, event: $0.payload) }
        var dispatches: [(ordinal: String, dispatch: IngestDispatch)] = []
        for (slot, request) in batch.distinct.enumerated() {
            for dispatch in request.dispatches { dispatches.append((ordinal: String(slot + 1), dispatch: dispatch)) }
        }
        self.dispatches = dispatches
    }

    /// What each distinct request became in `webhook_requests`, in input order.
    static func decodeRow(_ row: PGRow) throws(PGError) -> IngestBatch.Stored {
        guard row.int(0) == row.index + 1, let id = row.int64(1), let inserted = row.bool(2),
              let outcome = row.string(3) else {
            throw PGError(kind: .protocolViolation, message: "ingest returned an unexpected row")
        }
        return IngestBatch.Stored(id: id, inserted: inserted, outcome: outcome, reason: row.string(4))
    }

    typealias Column = PGUnnest<IngestBatchStatement>.Column

    /// The distinct requests (the raw rows), numbered from 1 by `ordinal`.
    static let requests = PGUnnest<Self>("i", withOrdinality: "ordinal", [
        Column("endpoint", "text") { PGTextArray($0.batch.distinct.map { $0.endpoint.rawValue }) },
        Column("method", "text") { PGTextArray($0.batch.distinct.map(\.method)) },
        Column("body", "bytea") { PGByteaArray($0.batch.distinct.map(\.body)) },
        Column("content_type", "text") { PGTextArray($0.batch.distinct.map(\.contentType)) },
        Column("client_ip", "text") { PGTextArray($0.batch.distinct.map(\.clientIP)) },
        Column("peer_ip", "text") { PGTextArray($0.batch.distinct.map(\.peerIP)) },
        Column("outcome", "text") { PGTextArray($0.batch.distinct.map { $0.storedOutcome.outcome }) },
        Column("reason", "text") { PGTextArray($0.batch.distinct.map { $0.storedOutcome.reason }) },
        Column("copies", "int") { PGTextArray($0.batch.copies.map { String($0) }) },
    ])

    /// The inbound messages among the distinct requests, by request ordinal; inserted only for new raw rows.
    static let messageRows = PGUnnest<Self>("m", [
        Column("ordinal", "int") { PGTextArray($0.messages.map(\.ordinal)) },
        Column("channel", "text") { PGTextArray($0.messages.map(\.message.channel)) },
        Column("from_number", "text") { PGTextArray($0.messages.map(\.message.fromNumber)) },
        Column("from_name", "text") { PGTextArray($0.messages.map(\.message.fromName)) },
        Column("to_number", "text") { PGTextArray($0.messages.map(\.message.toNumber)) },
        Column("text", "text") { PGTextArray($0.messages.map(\.message.text)) },
        Column("reference", "text") { PGTextArray($0.messages.map(\.message.reference)) },
        // Each an array literal, cast per row.
        Column("groupings", "text") { PGTextArray($0.messages.map { PGTextArray($0.message.groupings).literal }) },
        Column("time_utc", "timestamptz") { PGTextArray($0.messages.map { $0.message.timeUtc.map(CMTimestamp.format) }) },
        Column("time_utc_raw", "text") { PGTextArray($0.messages.map(\.message.timeUtcRaw)) },
        Column("local_time_raw", "text") { PGTextArray($0.messages.map(\.message.localTimeRaw)) },
        Column("message_context", "text") { PGTextArray($0.messages.map(\.message.messageContext)) },
        Column("custom", "text") { PGTextArray($0.messages.map(\.message.customJSON)) },  // json text
        Column("form", "text") { PGTextArray($0.messages.map { $0.message.form.rawValue }) },
        Column("gateway_message_id", "text") { PGTextArray($0.messages.map(\.message.gatewayMessageID)) },
        Column("operator_code", "text") { PGTextArray($0.messages.map(\.message.operatorCode)) },
    ])

    /// Every media item of those messages, flattened with its request ordinal and position.
    static let mediaRows = PGUnnest<Self>("item", [
        Column("ordinal", "int") { PGTextArray($0.media.map(\.ordinal)) },
        Column("position", "int") { PGTextArray($0.media.map(\.position)) },
        Column("uri", "text") { PGTextArray($0.media.map(\.media.uri)) },
        Column("content_type", "text") { PGTextArray($0.media.map(\.media.contentType)) },
        Column("title", "text") { PGTextArray($0.media.map(\.media.title)) },
    ])

    /// Every status report of every distinct request, flattened with its request ordinal and position.
    static let reportRows = PGUnnest<Self>("s", [
        Column("ordinal", "int") { PGTextArray($0.reports.map(\.ordinal)) },
        Column("position", "int") { PGTextArray($0.reports.map(\.position)) },
        Column("form", "text") { PGTextArray($0.reports.map { $0.report.form.rawValue }) },
        Column("reference", "text") { PGTextArray($0.reports.map(\.report.reference)) },
        Column("recipient", "text") { PGTextArray($0.reports.map(\.report.recipient)) },
        Column("code_raw", "text") { PGTextArray($0.reports.map(\.report.codeRaw)) },
        Column("status", "text") { PGTextArray($0.reports.map { $0.report.status.rawValue }) },
        // error_code is an integer column: only values that fit it.
        Column("error_code", "int") {
            PGTextArray($0.reports.map { $0.report.errorCode.flatMap { Int32(exactly: $0) }.map { String($0) } })
        },
        Column("error_code_raw", "text") { PGTextArray($0.reports.map(\.report.errorCodeRaw)) },
        Column("error_description", "text") { PGTextArray($0.reports.map(\.report.errorDescription)) },
        Column("operator", "text") { PGTextArray($0.reports.map(\.report.operatorCode)) },
        Column("channel", "text") { PGTextArray($0.reports.map(\.report.channel)) },
        Column("custom_groupings", "text") {
            PGTextArray($0.reports.map { PGTextArray($0.report.customGroupings).literal })
        },
        Column("reported_at_raw", "text") { PGTextArray($0.reports.map(\.report.receivedRaw)) },
        Column("reported_at", "timestamptz") { PGTextArray($0.reports.map { $0.report.received.map(CMTimestamp.format) }) },
        Column("sent_raw", "text") { PGTextArray($0.reports.map(\.report.sentRaw)) },
        Column("send_raw", "text") { PGTextArray($0.reports.map(\.report.sendRaw)) },
        Column("send_at", "timestamptz") { PGTextArray($0.reports.map { $0.report.send.map(CMTimestamp.format) }) },
        Column("status_description", "text") { PGTextArray($0.reports.map(\.report.statusDescription)) },
    ])

    /// The events among the distinct requests.
    static let eventRows = PGUnnest<Self>("e", [
        Column("ordinal", "int") { PGTextArray($0.events.map(\.ordinal)) },
        Column("channel", "text") { PGTextArray($0.events.map(\.event.channel)) },
        Column("type", "text") { PGTextArray($0.events.map(\.event.type)) },
        Column("from_number", "text") { PGTextArray($0.events.map(\.event.fromNumber)) },
        Column("to_number", "text") { PGTextArray($0.events.map(\.event.toNumber)) },
        Column("reference", "text") { PGTextArray($0.events.map(\.event.reference)) },
        Column("message_context", "text") { PGTextArray($0.events.map(\.event.messageContext)) },
        Column("groupings", "text") { PGTextArray($0.events.map { PGTextArray($0.event.groupings).literal }) },
        Column("time_utc", "timestamptz") { PGTextArray($0.events.map { $0.event.timeUtc.map(CMTimestamp.format) }) },
        Column("time_utc_raw", "text") { PGTextArray($0.events.map(\.event.timeUtcRaw)) },
        Column("custom", "text") { PGTextArray($0.events.map(\.event.customJSON)) },  // json text
        Column("event", "text") { PGTextArray($0.events.map(\.event.eventJSON)) },  // json text
    ])

    /// The dispatch jobs of the distinct requests, flattened: one per item and handler its routes name.
    static let dispatchRows = PGUnnest<Self>("d", [
        Column("ordinal", "int") { PGTextArray($0.dispatches.map(\.ordinal)) },
        Column("position", "int") { PGTextArray($0.dispatches.map { String($0.dispatch.position) }) },
        Column("handler", "text") { PGTextArray($0.dispatches.map(\.dispatch.handler)) },
        Column("max_attempts", "int") { PGTextArray($0.dispatches.map { String($0.dispatch.maxAttempts) }) },
    ])

    static let sql = PGStatementSQL<Self>("""
        WITH input AS MATERIALIZED (
            SELECT ordinal, endpoint, method, body, content_type, client_ip, peer_ip, outcome, reason, copies,
                   sha256(convert_to(endpoint || E'\\n' || method || E'\\n', 'UTF8') || body) AS dedupe_key
            FROM \(requests.table)
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
            FROM \(messageRows.table)
            JOIN result USING (ordinal)
            WHERE result.inserted
            RETURNING id, request_id, coalesce(time_utc, received_at) AS sent_at
        ), media AS (
            INSERT INTO media_items (message_id, position, uri, content_type, title, expires_at)
            SELECT message.id, item.position, item.uri, item.content_type, item.title,
                   message.sent_at + interval '30 days'
            FROM \(mediaRows.table)
            JOIN result USING (ordinal)
            JOIN message ON message.request_id = result.id
            RETURNING id, expires_at
        ), media_job AS (
            -- One download per media item, earliest deadline first, retried until CM deletes the file.
            \(MediaFetchArgs.jobRow(mediaID: "media.id", deadline: "media.expires_at").insert)
            FROM media
            WHERE $mediaJobs
        ), status AS (
            INSERT INTO status_reports
                (request_id, position, form, reference, recipient, code_raw, status, error_code, error_code_raw,
                 error_description, operator, channel, custom_groupings, reported_at_raw, reported_at, sent_raw,
                 received_at, send_raw, send_at, status_description)
            SELECT result.id, s.position, s.form, s.reference, s.recipient, s.code_raw, s.status, s.error_code,
                   s.error_code_raw, s.error_description, s.operator, s.channel, s.custom_groupings::text[],
                   s.reported_at_raw, s.reported_at, s.sent_raw, result.received_at, s.send_raw, s.send_at,
                   s.status_description
            FROM \(reportRows.table)
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
            FROM \(eventRows.table)
            JOIN result USING (ordinal)
            WHERE result.inserted
            RETURNING id, request_id
        ), item AS (
            SELECT 'mo' AS kind, id, request_id, 0 AS position FROM message
            UNION ALL SELECT 'status', id, request_id, position FROM status
            UNION ALL SELECT 'event', id, request_id, 0 FROM event
        ), dispatch AS (
            -- The work after the 200 starts here, committed with the rows it acts on: one job per item and the
            -- handler its routes name (docs/queue.md), written as every dispatch job is (DispatchArgs.jobRow).
            \(DispatchArgs.jobRow(item: "item.kind", id: "item.id", handler: "d.handler", maxAttempts: "d.max_attempts").insert)
            FROM \(dispatchRows.table)
            JOIN result USING (ordinal)
            JOIN item ON item.request_id = result.id AND item.position = d.position
            ON CONFLICT (unique_key) DO NOTHING
        )
        SELECT ordinal, id, inserted, outcome, reason FROM result ORDER BY ordinal
        """, requests.parameters + messageRows.parameters + mediaRows.parameters + reportRows.parameters
            + eventRows.parameters + dispatchRows.parameters + [PGParameter("mediaJobs", "boolean") { $0.mediaJobs }])
}
