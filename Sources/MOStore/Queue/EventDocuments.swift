import LibPQ
import MOPolicy

/// One stored item (inbound message, status report or event) as handlers see it: the versioned JSON document
/// (`"schema":"mo-receiver.event.v1"`, documented in docs/queue.md) plus the fields routing and logging need.
/// Value type, read fresh from the database each time a dispatch job runs (so media paths are current).
public struct EventDocument: Sendable, Equatable {
    public static let schema = "mo-receiver.event.v1"

    public let kind: ItemKind
    /// The row id in `inbound_messages`, `status_reports` or `events`.
    public let id: Int64
    public let channel: String?
    public let from: String?
    /// The sender's profile name (inbound messages).
    public let name: String?
    public let to: String?
    public let text: String?
    /// Media items of an inbound message still waiting for their download.
    public let pendingMedia: Int
    /// Seconds since the item was received.
    public let ageSeconds: Double
    /// The document, exactly as `http_forward` posts it and `exec` writes it to stdin.
    public let json: String

    public init(kind: ItemKind, id: Int64, channel: String?, from: String?, name: String? = nil, to: String?,
                text: String?, pendingMedia: Int = 0, ageSeconds: Double = 0, json: String) {
        self.kind = kind
        self.id = id
        self.channel = channel
        self.from = from
        self.name = name
        self.to = to
        self.text = text
        self.pendingMedia = pendingMedia
        self.ageSeconds = ageSeconds
        self.json = json
    }

    /// What routes match on.
    public var routable: RoutableItem {
        RoutableItem(kind: kind, channel: channel, from: from, to: to, text: text)
    }
}

/// Reads items and their documents. Used on a worker's thread with its connection.
public enum EventDocuments {
    /// The items stored webhook requests produced (an MO, one status report per MSG, or an event), in order, with
    /// the fields routes match on. One query for any number of requests.
    public static func items(ofRequests requestIDs: [Int64],
                             on connection: PGConnection) throws(PGError) -> [(requestID: Int64, id: Int64, item: RoutableItem)] {
        try connection.execute(ItemsOfRequests(requestIDs: requestIDs)).compactMap { $0 }
    }

    /// `mediaRoot`: the media directory, so stored media appear with absolute paths.
    public static func document(kind: ItemKind, id: Int64, mediaRoot: String = "",
                                on connection: PGConnection) throws(PGError) -> EventDocument? {
        try documents(kind: kind, ids: [id], mediaRoot: mediaRoot, on: connection)[id]
    }

    /// The documents of several items of one kind in one query (a worker's claimed batch), by id; ids that no
    /// longer exist are absent.
    public static func documents(kind: ItemKind, ids: [Int64], mediaRoot: String = "",
                                 on connection: PGConnection) throws(PGError) -> [Int64: EventDocument] {
        guard !ids.isEmpty else { return [:] }
        let rows: [EventDocument?]
        switch kind {
        case .mo: rows = try connection.execute(MODocuments(ids: ids, mediaRoot: mediaRoot))
        case .status: rows = try connection.execute(StatusDocuments(ids: ids))
        case .event: rows = try connection.execute(EventRowDocuments(ids: ids))
        }
        var documents: [Int64: EventDocument] = [:]
        for case let document? in rows { documents[document.id] = document }
        return documents
    }

    /// The items of stored requests, by request id.
    struct ItemsOfRequests: PGStatement {
        static let name = "mo_items_of_requests"
        static let sql = PGStatementSQL<Self>("""
            SELECT 'mo', id, channel, from_number, to_number, text, request_id
            FROM inbound_messages WHERE request_id = ANY($requestIDs)
            UNION ALL
            SELECT 'status', id, channel, NULL, recipient, NULL, request_id
            FROM status_reports WHERE request_id = ANY($requestIDs)
            UNION ALL
            SELECT 'event', id, channel, from_number, to_number, NULL, request_id
            FROM events WHERE request_id = ANY($requestIDs)
            ORDER BY 7, 2
            """, [.init("requestIDs", "bigint[]") { PGTextArray($0.requestIDs.map { String($0) }) }])
        static func decodeRow(_ row: PGRow) -> (requestID: Int64, id: Int64, item: RoutableItem)? {
            guard let kind = row.string(0).flatMap(ItemKind.init(rawValue:)), let id = row.int64(1),
                  let requestID = row.int64(6) else { return nil }
            return (requestID, id, RoutableItem(kind: kind, channel: row.string(2), from: row.string(3),
                                                to: row.string(4), text: row.string(5)))
        }
        var requestIDs: [Int64]
    }

    /// A document query: by ids, returning channel, from, to, text, pending media, document, sender name, age in
    /// seconds, id; a row without its document decodes to nil.
    protocol DocumentStatement: PGStatement where Row == EventDocument? {
        static var kind: ItemKind { get }
    }

    /// The `ids` parameter every document query takes.
    static func idsParameter<S: DocumentStatement>(_: S.Type, _ ids: @escaping @Sendable (S) -> [Int64]) -> PGParameter<S> {
        .init("ids", "bigint[]") { PGTextArray(ids($0).map { String($0) }) }
    }

    struct MODocuments: DocumentStatement {
        static let kind = ItemKind.mo
        static let name = "mo_document_mo"
        static let sql = PGStatementSQL<Self>("""
            SELECT m.channel, m.from_number, m.to_number, m.text, media.pending,
                   json_build_object(
                       'schema', 'mo-receiver.event.v1', 'kind', 'mo', 'id', m.id, 'request_id', m.request_id,
                       'received_at', format_utc(m.received_at),
                       'message', json_build_object(
                           'channel', m.channel,
                           'from', json_build_object('number', m.from_number, 'name', m.from_name),
                           'to', json_build_object('number', m.to_number),
                           'text', m.text, 'reference', m.reference, 'groupings', to_json(m.groupings),
                           'time_utc', format_utc(m.time_utc), 'time_utc_raw', m.time_utc_raw,
                           'local_time_raw', m.local_time_raw, 'message_context', m.message_context,
                           'custom', m.custom, 'form', m.form, 'gateway_message_id', m.gateway_message_id,
                           'operator_code', m.operator_code),
                       'media', coalesce(media.items, '[]'::json)
                   )::text,
                   m.from_name, extract(epoch FROM now() - m.received_at), m.id
            FROM inbound_messages m
            -- The message's media items, read once by message_id (media_items_message_position_unique) for both the
            -- list and the pending count. A count of its own, WHERE state = 'pending', was planned on the partial
            -- index of pending items and filtered every pending item of every message: 10 ms a document once
            -- downloads fell behind (bench/run e2e, BENCH_STATEMENTS=1).
            CROSS JOIN LATERAL (
                SELECT count(*) FILTER (WHERE i.state = 'pending') AS pending,
                       json_agg(json_build_object(
                           'id', i.id, 'position', i.position, 'uri', i.uri, 'content_type', i.content_type,
                           'title', i.title, 'state', i.state, 'expires_at', format_utc(i.expires_at),
                           'path', CASE WHEN i.path IS NOT NULL THEN rtrim($mediaRoot, '/') || '/' || i.path END,
                           'sha256', i.sha256, 'size', i.size_bytes,
                           'sniffed_content_type', i.sniffed_content_type) ORDER BY i.position) AS items
                FROM media_items i WHERE i.message_id = m.id
            ) AS media
            WHERE m.id = ANY($ids)
            """, [idsParameter(MODocuments.self) { $0.ids }, .init("mediaRoot") { $0.mediaRoot }])
        var ids: [Int64], mediaRoot: String
    }

    struct StatusDocuments: DocumentStatement {
        static let kind = ItemKind.status
        static let name = "mo_document_status"
        static let sql = PGStatementSQL<Self>("""
            SELECT s.channel, NULL, s.recipient, NULL, 0,
                   json_build_object(
                       'schema', 'mo-receiver.event.v1', 'kind', 'status', 'id', s.id, 'request_id', s.request_id,
                       'received_at', format_utc(s.received_at),
                       'status_report', json_build_object(
                           'reference', s.reference, 'recipient', s.recipient, 'status', s.status, 'code', s.code_raw,
                           'error_code', s.error_code, 'error_code_raw', s.error_code_raw,
                           'error_description', s.error_description, 'operator', s.operator, 'channel', s.channel,
                           'custom_groupings', to_json(s.custom_groupings), 'reported_at', format_utc(s.reported_at),
                           'reported_at_raw', s.reported_at_raw, 'form', s.form, 'send_at', format_utc(s.send_at),
                           'send_raw', s.send_raw, 'status_description', s.status_description),
                       'outbound_message_id', (
                           SELECT min(r.outbound_message_id) FROM outbound_message_reports r WHERE r.id = s.id)
                   )::text,
                   NULL, extract(epoch FROM now() - s.received_at), s.id
            FROM status_reports s
            WHERE s.id = ANY($ids)
            """, [idsParameter(StatusDocuments.self) { $0.ids }])
        var ids: [Int64]
    }

    struct EventRowDocuments: DocumentStatement {
        static let kind = ItemKind.event
        static let name = "mo_document_event"
        static let sql = PGStatementSQL<Self>("""
            SELECT e.channel, e.from_number, e.to_number, NULL, 0,
                   json_build_object(
                       'schema', 'mo-receiver.event.v1', 'kind', 'event', 'id', e.id, 'request_id', e.request_id,
                       'received_at', format_utc(e.received_at),
                       'event', json_build_object(
                           'type', e.type, 'channel', e.channel,
                           'from', json_build_object('number', e.from_number),
                           'to', json_build_object('number', e.to_number),
                           'reference', e.reference, 'message_context', e.message_context,
                           'groupings', to_json(e.groupings), 'time_utc', format_utc(e.time_utc),
                           'time_utc_raw', e.time_utc_raw, 'custom', e.custom, 'event', e.event)
                   )::text,
                   NULL, extract(epoch FROM now() - e.received_at), e.id
            FROM events e
            WHERE e.id = ANY($ids)
            """, [idsParameter(EventRowDocuments.self) { $0.ids }])
        var ids: [Int64]
    }
}

extension EventDocuments.DocumentStatement {
    static func decodeRow(_ row: PGRow) -> EventDocument? {
        guard let json = row.string(5), let id = row.int64(8) else { return nil }
        return EventDocument(kind: kind, id: id, channel: row.string(0), from: row.string(1), name: row.string(6),
                             to: row.string(2), text: row.string(3), pendingMedia: row.int(4) ?? 0,
                             ageSeconds: row.double(7) ?? 0, json: json)
    }
}
