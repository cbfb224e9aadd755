import LibPQ

/// Outbound messages as intents: written (and committed) before CM is called, then updated with CM's answer.
/// Used on the caller's thread with its connection (a worker, or moctl).
public struct OutboundStore {
    let connection: PGConnection

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
        /// The send API's `allowedChannels`; `nil` on rows written before migration 0010 (the sender maps
        /// `channel` then).
        public var allowedChannels: [String]?

        public init(reference: String, recipient: String, sender: String, channel: String, body: String,
                    origin: String, handler: String? = nil, inboundMessageID: Int64? = nil,
                    allowedChannels: [String]? = nil) {
            self.reference = reference
            self.recipient = recipient
            self.sender = sender
            self.channel = channel
            self.body = body
            self.origin = origin
            self.handler = handler
            self.inboundMessageID = inboundMessageID
            self.allowedChannels = allowedChannels
        }
    }

    /// Writes an intent; returns its id.
    public func insert(_ intent: Intent) throws(PGError) -> Int64 {
        let result = try connection.execute("""
            INSERT INTO outbound_messages (reference, recipient, sender, channel, body, origin, handler, inbound_message_id,
                                           allowed_channels)
            VALUES (\(intent.reference), \(intent.recipient), \(intent.sender), \(intent.channel), \(intent.body),
                    \(intent.origin), \(intent.handler), \(intent.inboundMessageID),
                    \(intent.allowedChannels.map { PGTextArray($0) })::text[])
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
                   handler, inbound_message_id, send_state, allowed_channels IS NOT NULL
            FROM outbound_messages WHERE id = \(id)
            """)
        guard result.rowCount == 1 else { return nil }
        var intent = Intent(reference: result.string(0, 0) ?? "", recipient: result.string(0, 1) ?? "",
                            sender: result.string(0, 2) ?? "", channel: result.string(0, 3) ?? "",
                            body: result.string(0, 4) ?? "", origin: result.string(0, 5) ?? "",
                            handler: result.string(0, 6), inboundMessageID: result.int(0, 7).map(Int64.init))
        if result.bool(0, 9) == true {
            let channels = try connection.execute("""
                SELECT c FROM outbound_messages, unnest(allowed_channels) WITH ORDINALITY AS u(c, n)
                WHERE id = \(id) ORDER BY n
                """)
            intent.allowedChannels = (0..<channels.rowCount).map { channels.string($0, 0) ?? "" }
        }
        return (intent, result.string(0, 8) ?? "")
    }

    /// Marks an intent as not sent, for `reason` (a `skip_reason` of migration 0010), durably.
    public func recordSkip(id: Int64, reason: String) throws(PGError) {
        try connection.transaction { () throws(PGError) in
            try connection.execute(script: "SET LOCAL synchronous_commit = on")
            try connection.execute("""
                UPDATE outbound_messages SET send_state = 'skipped', skip_reason = \(reason), last_attempt_at = now()
                WHERE id = \(id)
                """)
        }
    }

    /// A customer's latest inbound message on one channel.
    public struct LatestInbound: Sendable, Equatable {
        public let id: Int64
        public let channel: String
        /// Age of its timeUtc (else of its arrival), on the database's clock.
        public let secondsAgo: Double
    }

    /// The customer's latest inbound message per channel (channels compared ignoring case). `customer` is matched
    /// in the forms CM and operators write it (`+31…`, `0031…`, `31…`), through the from_number index.
    public func latestInbound(from customer: String) throws(PGError) -> [LatestInbound] {
        let result = try connection.execute("""
            SELECT DISTINCT ON (lower(channel)) id, channel,
                   extract(epoch FROM now() - coalesce(time_utc, received_at))
            FROM inbound_messages
            WHERE from_number = ANY (\(PGTextArray(Self.spellings(of: customer)))::text[])
            ORDER BY lower(channel), coalesce(time_utc, received_at) DESC, id DESC
            """)
        return (0..<result.rowCount).map {
            LatestInbound(id: Int64(result.int($0, 0) ?? 0), channel: result.string($0, 1) ?? "",
                          secondsAgo: result.string($0, 2).flatMap(Double.init) ?? 0)
        }
    }

    /// The ways one number is written: as given, and for a number (digits after an optional `+` or `00`) with
    /// `+`, with `00` and bare. An id with letters is only itself.
    static func spellings(of customer: String) -> [String] {
        var digits = Substring(customer)
        if digits.hasPrefix("+") { digits = digits.dropFirst() } else if digits.hasPrefix("00") { digits = digits.dropFirst(2) }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return [customer] }
        var forms = [customer]
        for form in ["+\(digits)", "00\(digits)", String(digits)] where !forms.contains(form) { forms.append(form) }
        return forms
    }

    /// Messages to `recipient` on Twitter that CM accepted, written after the inbound message `inboundID` arrived;
    /// the intent `excluding` is not counted. An intent still waiting for its retry holds no place: the gate checks
    /// it again when it is sent.
    public func sentOnTwitter(to recipient: String, sinceInbound inboundID: Int64,
                              excluding: Int64) throws(PGError) -> Int {
        try connection.execute("""
            SELECT count(*) FROM outbound_messages o
            WHERE msisdn_key(o.recipient) = msisdn_key(\(recipient))
              AND o.created_at > (SELECT received_at FROM inbound_messages WHERE id = \(inboundID))
              AND o.id <> \(excluding)
              AND o.send_state = 'accepted'
              AND (lower(o.channel) = 'twitter' OR 'Twitter' = ANY (o.allowed_channels))
            """).int(0, 0) ?? 0
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
