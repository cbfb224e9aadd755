import LibPQ

/// What a handler may keep in the database: auto-reply decisions, opt-outs and outbound intents. The narrow
/// capability handlers get instead of a connection (``AutoReplyStore`` and ``OutboundStore`` over the worker's
/// connection, which it never hands out).
///
/// Lives on the worker thread for one handler call; not `Sendable`, because it wraps that worker's connection.
public struct ReplyRecords {
    private let connection: PGConnection

    public init(connection: PGConnection) {
        self.connection = connection
    }

    /// The outbound messages: reading an intent before it is sent, recording CM's answer.
    public var outbound: OutboundStore { OutboundStore(connection: connection) }

    /// Runs `body` in one transaction that is durable at COMMIT (whatever the session's `synchronous_commit`) and
    /// holds `customer`'s lock, so two messages of one customer are decided one after the other. Rolled back when
    /// `body` throws.
    public func deciding<T>(for customer: String,
                            _ body: (AutoReplyStore, OutboundStore) throws(PGError) -> T) throws(PGError) -> T {
        try connection.transaction { () throws(PGError) in
            try connection.execute(script: "SET LOCAL synchronous_commit = on")  // the intent is durable
            let replies = AutoReplyStore(connection: connection)
            try replies.lockCustomer(customer)
            return try body(replies, OutboundStore(connection: connection))
        }
    }
}
