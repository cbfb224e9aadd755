import LibPQ

/// The auto_reply handler's rows: its decision per inbound message, opt-outs, and the counts its rate limits need.
/// Used on a worker thread with the worker's connection, inside the transaction ``ReplyRecords/deciding(for:_:)`` opens.
public struct AutoReplyStore {
    let connection: PGConnection

    public init(connection: PGConnection) {
        self.connection = connection
    }

    /// A decision taken before for this message and handler (a retried or replayed job).
    public struct Existing: Sendable, Equatable {
        public let decision: String
        public let reason: String?
        public let outboundMessageID: Int64?
        public let sendState: String?
    }

    /// What the rate limits and opt-outs need to know about a customer, on the database's clock.
    public struct Facts: Sendable, Equatable {
        public var optedOut: Bool
        /// Seconds since the last auto-reply to this customer (any of our numbers), nil when none.
        public var secondsSinceLastReply: Double?
        /// Auto-replies to this customer in the last 24 hours.
        public var repliesLastDay: Int
        /// Auto-replies to this customer from the number the message was sent to, within `conversationHours`.
        public var repliesInConversation: Int
        /// Seconds since the message was sent (timeUtc, else received).
        public var messageAgeSeconds: Double

        public init(optedOut: Bool = false, secondsSinceLastReply: Double? = nil, repliesLastDay: Int = 0,
                    repliesInConversation: Int = 0, messageAgeSeconds: Double = 0) {
            self.optedOut = optedOut
            self.secondsSinceLastReply = secondsSinceLastReply
            self.repliesLastDay = repliesLastDay
            self.repliesInConversation = repliesInConversation
            self.messageAgeSeconds = messageAgeSeconds
        }
    }

    /// Serializes decisions about one customer (two messages from them handled by two workers at once must not
    /// both pass the rate limit). Held until the transaction ends.
    public func lockCustomer(_ number: String) throws(PGError) {
        try connection.execute("SELECT pg_advisory_xact_lock(hashtextextended('auto-reply:' || msisdn_key(\(number)), 0))")
    }

    public func existing(messageID: Int64, handler: String) throws(PGError) -> Existing? {
        let result = try connection.execute("""
            SELECT a.decision, a.reason, a.outbound_message_id, o.send_state
            FROM auto_replies a LEFT JOIN outbound_messages o ON o.id = a.outbound_message_id
            WHERE a.inbound_message_id = \(messageID) AND a.handler = \(handler)
            """)
        guard result.rowCount == 1 else { return nil }
        return Existing(decision: result.string(0, 0) ?? "", reason: result.string(0, 1),
                        outboundMessageID: result.int(0, 2).map(Int64.init), sendState: result.string(0, 3))
    }

    public func facts(messageID: Int64, customer: String, ourNumber: String?,
                      conversationHours: Int) throws(PGError) -> Facts {
        let result = try connection.execute("""
            SELECT EXISTS (SELECT 1 FROM optouts WHERE number_key = msisdn_key(\(customer))),
                   extract(epoch FROM now() - max(o.created_at)),
                   count(*) FILTER (WHERE o.created_at > now() - interval '24 hours'),
                   count(*) FILTER (WHERE o.created_at > now() - make_interval(hours => \(conversationHours))
                                      AND msisdn_key(o.sender) IS NOT DISTINCT FROM msisdn_key(\(ourNumber))),
                   (SELECT extract(epoch FROM now() - coalesce(m.time_utc, m.received_at))
                    FROM inbound_messages m WHERE m.id = \(messageID))
            FROM outbound_messages o
            WHERE msisdn_key(o.recipient) = msisdn_key(\(customer)) AND o.origin = 'auto_reply'
            """)
        return Facts(optedOut: result.bool(0, 0) ?? false, secondsSinceLastReply: result.string(0, 1).flatMap(Double.init),
                     repliesLastDay: result.int(0, 2) ?? 0, repliesInConversation: result.int(0, 3) ?? 0,
                     messageAgeSeconds: result.string(0, 4).flatMap(Double.init) ?? 0)
    }

    /// Records an opt-out; true when the customer was not opted out before (a confirmation may be sent).
    public func optOut(number: String, channel: String?, keyword: String?, messageID: Int64?,
                       source: String) throws(PGError) -> Bool {
        try connection.execute("""
            INSERT INTO optouts (number_key, number, channel, source, keyword, inbound_message_id)
            VALUES (msisdn_key(\(number)), \(number), \(channel), \(source), \(keyword), \(messageID))
            ON CONFLICT (number_key) DO NOTHING
            RETURNING number_key
            """).rowCount == 1
    }

    /// Removes an opt-out; true when there was one.
    public func optIn(number: String) throws(PGError) -> Bool {
        try connection.execute("DELETE FROM optouts WHERE number_key = msisdn_key(\(number)) RETURNING number_key").rowCount == 1
    }

    public func recordSkip(messageID: Int64, handler: String, reason: String) throws(PGError) {
        try connection.execute("""
            INSERT INTO auto_replies (inbound_message_id, handler, decision, reason)
            VALUES (\(messageID), \(handler), 'skip', \(reason))
            """)
    }

    public func recordReply(messageID: Int64, handler: String, rule: String, outboundMessageID: Int64) throws(PGError) {
        try connection.execute("""
            INSERT INTO auto_replies (inbound_message_id, handler, decision, rule, outbound_message_id)
            VALUES (\(messageID), \(handler), 'reply', \(rule), \(outboundMessageID))
            """)
    }

    /// One opt-out as `moctl optouts list` prints it.
    public struct OptOut: Sendable, Equatable {
        public let number: String
        public let channel: String?
        public let source: String
        public let keyword: String?
        public let createdAt: String
    }

    public func optOuts(limit: Int) throws(PGError) -> [OptOut] {
        let result = try connection.execute("""
            SELECT number, channel, source, keyword, format_utc(created_at) FROM optouts
            ORDER BY created_at DESC LIMIT \(limit)
            """)
        return (0..<result.rowCount).map {
            OptOut(number: result.string($0, 0) ?? "", channel: result.string($0, 1), source: result.string($0, 2) ?? "",
                   keyword: result.string($0, 3), createdAt: result.string($0, 4) ?? "")
        }
    }
}
