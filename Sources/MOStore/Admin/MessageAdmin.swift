import LibPQ
import MOPolicy

/// Inbound messages and status reports as `moctl messages` and `moctl status-reports` read them. Used on the
/// caller's thread with its connection.
public enum MessageAdmin {
    public struct MessageFilter: Sendable {
        public var since: TimeBound?
        public var channel: String?
        /// Compared as msisdn_key: "+31 6 1234", "0031…" and "31…" are the same number.
        public var from: String?
        public var to: String?
        /// Case-insensitive substring of the text.
        public var text: String?
        public var limit: Int

        public init(since: TimeBound? = nil, channel: String? = nil, from: String? = nil, to: String? = nil,
                    text: String? = nil, limit: Int = 50) {
            self.since = since
            self.channel = channel
            self.from = from
            self.to = to
            self.text = text
            self.limit = limit
        }
    }

    public struct Message: Sendable, Equatable {
        public let id: Int64
        public let requestID: Int64
        public let receivedAt: String
        public let channel: String
        public let from: String
        public let fromName: String?
        public let to: String?
        public let text: String
        public let reference: String?
        public let form: String
        public let timeUtc: String?
        public let media: Int
    }

    static let messageColumns = """
        m.id, m.request_id, format_utc(m.received_at), m.channel, m.from_number, m.from_name, m.to_number, m.text,
        m.reference, m.form, format_utc(m.time_utc),
        (SELECT count(*) FROM media_items i WHERE i.message_id = m.id)
        """

    /// Newest first.
    public static func messages(_ filter: MessageFilter, on connection: PGConnection) throws(PGError) -> [Message] {
        let (ago, at) = filter.since.sqlBounds
        let result = try connection.execute("""
            SELECT \(unsafeSQL: messageColumns) FROM inbound_messages m
            WHERE m.received_at >= coalesce(\(at)::timestamptz, now() - make_interval(secs => \(ago)::double precision),
                                            '-infinity')
              AND (\(filter.channel)::text IS NULL OR lower(m.channel) = lower(\(filter.channel)))
              AND (\(filter.from)::text IS NULL OR msisdn_key(m.from_number) = msisdn_key(\(filter.from)))
              AND (\(filter.to)::text IS NULL OR msisdn_key(m.to_number) = msisdn_key(\(filter.to)))
              AND (\(filter.text)::text IS NULL OR strpos(lower(m.text), lower(\(filter.text))) > 0)
            ORDER BY m.received_at DESC, m.id DESC
            LIMIT \(filter.limit)
            """)
        return messages(result)
    }

    /// One message with its media items (`MediaItems.Row`) and the state of its handlers' dispatch jobs.
    public static func message(_ id: Int64, on connection: PGConnection) throws(PGError)
        -> (message: Message, media: [MediaItems.Row], handlers: [(handler: String, state: String)])? {
        guard let message = messages(try connection.execute(
            "SELECT \(unsafeSQL: messageColumns) FROM inbound_messages m WHERE m.id = \(id)")).first else { return nil }
        let media = try MediaItems(connection: connection).rows(messageID: id)
        let jobs = try connection.execute("""
            SELECT args->>'handler', state::text FROM jobs
            WHERE kind = 'dispatch' AND args->>'item' = 'mo' AND (args->>'id')::bigint = \(id)
            ORDER BY 1
            """)
        return (message, media, (0..<jobs.rowCount).map { (handler: jobs.string($0, 0) ?? "", state: jobs.string($0, 1) ?? "") })
    }

    private static func messages(_ result: PGResult) -> [Message] {
        (0..<result.rowCount).map {
            Message(id: Int64(result.int($0, 0) ?? 0), requestID: Int64(result.int($0, 1) ?? 0),
                    receivedAt: result.string($0, 2) ?? "", channel: result.string($0, 3) ?? "",
                    from: result.string($0, 4) ?? "", fromName: result.string($0, 5), to: result.string($0, 6),
                    text: result.string($0, 7) ?? "", reference: result.string($0, 8), form: result.string($0, 9) ?? "",
                    timeUtc: result.string($0, 10), media: result.int($0, 11) ?? 0)
        }
    }

    public struct ReportFilter: Sendable {
        public var since: TimeBound?
        public var reference: String?
        /// accepted, rejected, delivered, failed, read, unknown.
        public var status: String?
        /// Compared as msisdn_key.
        public var recipient: String?
        public var limit: Int

        public init(since: TimeBound? = nil, reference: String? = nil, status: String? = nil, recipient: String? = nil,
                    limit: Int = 50) {
            self.since = since
            self.reference = reference
            self.status = status
            self.recipient = recipient
            self.limit = limit
        }
    }

    public struct Report: Sendable, Equatable {
        public let id: Int64
        public let requestID: Int64
        public let receivedAt: String
        public let reportedAt: String?
        public let reference: String?
        public let recipient: String?
        public let status: String
        public let codeRaw: String?
        public let errorCode: Int?
        /// CM's description of the error code (error_codes), or what the report said.
        public let errorText: String?
        public let channel: String?
        public let form: String
        /// CM's "Send" (when CM sent the report to us), parsed; the text as sent when it did not parse.
        public let sendAt: String?
        /// CM's "Status Description", as sent.
        public let statusDescription: String?
    }

    /// Newest first.
    public static func reports(_ filter: ReportFilter, on connection: PGConnection) throws(PGError) -> [Report] {
        let (ago, at) = filter.since.sqlBounds
        let result = try connection.execute("""
            SELECT s.id, s.request_id, format_utc(s.received_at), format_utc(s.reported_at), s.reference, s.recipient,
                   s.status, s.code_raw, s.error_code, coalesce(e.short_description, s.error_description), s.channel,
                   s.form, coalesce(format_utc(s.send_at), s.send_raw), s.status_description
            FROM status_reports s LEFT JOIN error_codes e ON e.code = s.error_code
            WHERE s.received_at >= coalesce(\(at)::timestamptz, now() - make_interval(secs => \(ago)::double precision),
                                            '-infinity')
              AND (\(filter.reference)::text IS NULL OR s.reference = \(filter.reference))
              AND (\(filter.status)::text IS NULL OR s.status = \(filter.status))
              AND (\(filter.recipient)::text IS NULL OR msisdn_key(s.recipient) = msisdn_key(\(filter.recipient)))
            ORDER BY s.received_at DESC, s.id DESC
            LIMIT \(filter.limit)
            """)
        return (0..<result.rowCount).map {
            Report(id: Int64(result.int($0, 0) ?? 0), requestID: Int64(result.int($0, 1) ?? 0),
                   receivedAt: result.string($0, 2) ?? "", reportedAt: result.string($0, 3),
                   reference: result.string($0, 4), recipient: result.string($0, 5), status: result.string($0, 6) ?? "",
                   codeRaw: result.string($0, 7), errorCode: result.int($0, 8), errorText: result.string($0, 9),
                   channel: result.string($0, 10), form: result.string($0, 11) ?? "", sendAt: result.string($0, 12),
                   statusDescription: result.string($0, 13))
        }
    }
}
