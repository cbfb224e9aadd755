import LibPQ

/// An outbound message with its current status and full status-report history (`moctl outbound show`). Read on
/// the caller's thread with its connection.
public struct OutboundHistory: Sendable, Equatable {
    public struct Report: Sendable, Equatable {
        public let status: String
        public let codeRaw: String?
        public let errorCode: Int?
        public let errorText: String?
        public let reportedAt: String?
        public let receivedAt: String
        public let form: String
    }

    public let id: Int64
    public let reference: String
    public let recipient: String
    public let channel: String?
    public let body: String?
    public let createdAt: String
    /// Derived by precedence (read > failed > delivered > rejected > accepted), never by arrival order.
    public let status: String
    public let reports: [Report]

    /// The messages with `id`, or with `reference` (several may share one).
    public static func read(id: Int64?, reference: String?, on connection: PGConnection) throws(PGError) -> [OutboundHistory] {
        let messages = try connection.execute("""
            SELECT s.id, s.reference, s.recipient, s.channel, o.body, format_utc(s.created_at), s.status
            FROM outbound_message_status s JOIN outbound_messages o USING (id)
            WHERE s.id = \(id) OR s.reference = \(reference)
            ORDER BY s.id
            """)
        var histories: [OutboundHistory] = []
        for row in 0..<messages.rowCount {
            let messageID = Int64(messages.int(row, 0) ?? 0)
            let result = try connection.execute("""
                SELECT r.status, r.code_raw, r.error_code, coalesce(e.short_description, r.error_description),
                       format_utc(r.reported_at), format_utc(r.received_at), r.form
                FROM outbound_message_reports r LEFT JOIN error_codes e ON e.code = r.error_code
                WHERE r.outbound_message_id = \(messageID)
                ORDER BY coalesce(r.reported_at, r.received_at), r.id
                """)
            let reports = (0..<result.rowCount).map {
                Report(status: result.string($0, 0) ?? "", codeRaw: result.string($0, 1), errorCode: result.int($0, 2),
                       errorText: result.string($0, 3), reportedAt: result.string($0, 4),
                       receivedAt: result.string($0, 5) ?? "", form: result.string($0, 6) ?? "")
            }
            histories.append(OutboundHistory(id: messageID, reference: messages.string(row, 1) ?? "",
                                             recipient: messages.string(row, 2) ?? "", channel: messages.string(row, 3),
                                             body: messages.string(row, 4), createdAt: messages.string(row, 5) ?? "",
                                             status: messages.string(row, 6) ?? "", reports: reports))
        }
        return histories
    }
}
