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
    /// the fields routes match on. One query for any number of requests (route jobs run in batches).
    public static func items(ofRequests requestIDs: [Int64],
                             on connection: PGConnection) throws(PGError) -> [(requestID: Int64, id: Int64, item: RoutableItem)] {
        let result = try connection.execute(itemsOfRequests, [PGTextArray(requestIDs.map { String($0) }).pgValue])
        return (0..<result.rowCount).compactMap { row in
            guard let kind = result.string(row, 0).flatMap(ItemKind.init(rawValue:)),
                  let id = result.int(row, 1), let requestID = result.int(row, 6) else { return nil }
            return (Int64(requestID), Int64(id),
                    RoutableItem(kind: kind, channel: result.string(row, 2), from: result.string(row, 3),
                                 to: result.string(row, 4), text: result.string(row, 5)))
        }
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
        let statement: PreparedStatement
        switch kind {
        case .mo: statement = moDocument
        case .status: statement = statusDocument
        case .event: statement = eventDocument
        }
        let array = PGTextArray(ids.map { String($0) }).pgValue
        let result = try connection.execute(statement, kind == .mo ? [array, mediaRoot.pgValue] : [array])
        var documents: [Int64: EventDocument] = [:]
        for row in 0..<result.rowCount {
            guard let json = result.string(row, 5), let id = result.int(row, 8).map(Int64.init) else { continue }
            documents[id] = EventDocument(kind: kind, id: id, channel: result.string(row, 0), from: result.string(row, 1),
                                          name: result.string(row, 6), to: result.string(row, 2),
                                          text: result.string(row, 3), pendingMedia: result.int(row, 4) ?? 0,
                                          ageSeconds: result.string(row, 7).flatMap(Double.init) ?? 0, json: json)
        }
        return documents
    }

    static let itemsOfRequests = PreparedStatement(name: "mo_items_of_requests", sql: """
        SELECT 'mo', id, channel, from_number, to_number, text, request_id
        FROM inbound_messages WHERE request_id = ANY($1::bigint[])
        UNION ALL
        SELECT 'status', id, channel, NULL, recipient, NULL, request_id
        FROM status_reports WHERE request_id = ANY($1::bigint[])
        UNION ALL
        SELECT 'event', id, channel, from_number, to_number, NULL, request_id
        FROM events WHERE request_id = ANY($1::bigint[])
        ORDER BY 7, 2
        """)

    // Each document query takes $1 ids bigint[] and returns: channel, from, to, text, pending media, document,
    // sender name, age in seconds, id.

    static let moDocument = PreparedStatement(name: "mo_document_mo", sql: """
        SELECT m.channel, m.from_number, m.to_number, m.text,
               (SELECT count(*) FROM media_items p WHERE p.message_id = m.id AND p.state = 'pending'),
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
                   'media', coalesce((
                       SELECT json_agg(json_build_object(
                                  'id', i.id, 'position', i.position, 'uri', i.uri, 'content_type', i.content_type,
                                  'title', i.title, 'state', i.state, 'expires_at', format_utc(i.expires_at),
                                  'path', CASE WHEN i.path IS NOT NULL THEN rtrim($2, '/') || '/' || i.path END,
                                  'sha256', i.sha256, 'size', i.size_bytes,
                                  'sniffed_content_type', i.sniffed_content_type) ORDER BY i.position)
                       FROM media_items i WHERE i.message_id = m.id), '[]'::json)
               )::text,
               m.from_name, extract(epoch FROM now() - m.received_at), m.id
        FROM inbound_messages m
        WHERE m.id = ANY($1::bigint[])
        """)

    static let statusDocument = PreparedStatement(name: "mo_document_status", sql: """
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
        WHERE s.id = ANY($1::bigint[])
        """)

    static let eventDocument = PreparedStatement(name: "mo_document_event", sql: """
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
        WHERE e.id = ANY($1::bigint[])
        """)
}
