import LibPQ

/// Outbound messages as intents: written (and committed) before CM is called, then updated with CM's answer.
/// Used on the caller's thread with its connection (a worker, or moctl).
public struct OutboundStore {
    public let connection: PGConnection

    public init(connection: PGConnection) {
        self.connection = connection
    }

    /// A message to send.
    public struct Intent: Sendable, Equatable {
        public var reference: String
        public var recipient: String
        public var sender: String
        public var channel: String
        public var body: String
        public var origin: String
        public var handler: String?
        public var inboundMessageID: Int64?

        public init(reference: String, recipient: String, sender: String, channel: String, body: String,
                    origin: String, handler: String? = nil, inboundMessageID: Int64? = nil) {
            self.reference = reference
            self.recipient = recipient
            self.sender = sender
            self.channel = channel
            self.body = body
            self.origin = origin
            self.handler = handler
            self.inboundMessageID = inboundMessageID
        }
    }

    /// Writes an intent; returns its id.
    public func insert(_ intent: Intent) throws(PGError) -> Int64 {
        let result = try connection.execute("""
            INSERT INTO outbound_messages (reference, recipient, sender, channel, body, origin, handler, inbound_message_id)
            VALUES (\(intent.reference), \(intent.recipient), \(intent.sender), \(intent.channel), \(intent.body),
                    \(intent.origin), \(intent.handler), \(intent.inboundMessageID))
            RETURNING id
            """)
        guard let id = result.int(0, 0) else {
            throw PGError(kind: .protocolViolation, message: "insert into outbound_messages returned no id")
        }
        return Int64(id)
    }

    /// An intent as stored, for sending it (again).
    public func intent(id: Int64) throws(PGError) -> (intent: Intent, sendState: String)? {
        let result = try connection.execute("""
            SELECT reference, recipient, coalesce(sender, ''), coalesce(channel, ''), coalesce(body, ''), origin,
                   handler, inbound_message_id, send_state
            FROM outbound_messages WHERE id = \(id)
            """)
        guard result.rowCount == 1 else { return nil }
        let intent = Intent(reference: result.string(0, 0) ?? "", recipient: result.string(0, 1) ?? "",
                            sender: result.string(0, 2) ?? "", channel: result.string(0, 3) ?? "",
                            body: result.string(0, 4) ?? "", origin: result.string(0, 5) ?? "",
                            handler: result.string(0, 6), inboundMessageID: result.int(0, 7).map(Int64.init))
        return (intent, result.string(0, 8) ?? "")
    }

    /// Records one attempt's result, durably even on a connection that does not wait for the WAL flush (a lost
    /// 'accepted' would send the message again). `state` stays 'intent' for an attempt that may be retried.
    public func recordAttempt(id: Int64, state: String, errorCode: Int?, details: String?, response: String?,
                              parts: Int?) throws(PGError) {
        try connection.transaction { () throws(PGError) in
            try connection.execute(script: "SET LOCAL synchronous_commit = on")
            try connection.execute("""
            UPDATE outbound_messages
            SET send_state = \(state), send_attempts = send_attempts + 1, last_attempt_at = now(),
                cm_error_code = \(errorCode), cm_details = \(details), cm_response = \(response), parts = \(parts)
            WHERE id = \(id)
            """)
        }
    }

    /// Sends that failed in a way an operator must fix (token, balance), for `moctl status`.
    public func recentFailures(hours: Int) throws(PGError) -> [(code: Int?, details: String?, count: Int, last: String)] {
        let result = try connection.execute("""
            SELECT cm_error_code, cm_details, count(*), format_utc(max(last_attempt_at))
            FROM outbound_messages
            WHERE send_state IN ('failed', 'rejected') AND last_attempt_at > now() - make_interval(hours => \(hours))
            GROUP BY 1, 2 ORDER BY 4 DESC
            """)
        return (0..<result.rowCount).map {
            (result.int($0, 0), result.string($0, 1), result.int($0, 2) ?? 0, result.string($0, 3) ?? "")
        }
    }
}
