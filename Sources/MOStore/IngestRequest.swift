import CMWebhook
import MOPolicy

/// One request that passed the trust boundary, with what decoding made of it. Value type, built on the listener's
/// thread and handed to the writer.
public struct IngestRequest: Sendable {
    public var endpoint: ItemKind
    public var method: String
    /// The body exactly as received (for a GET, the raw query string).
    public var body: [UInt8]
    public var contentType: String?
    /// The address the trust boundary decided on, and the TCP peer.
    public var clientIP: String
    public var peerIP: String
    public var payload: IngestPayload
    /// The handlers the routes send this request's items to: one `dispatch` job each, written in the ingest
    /// transaction when the request is new (a repeat enqueues nothing).
    public var dispatches: [IngestDispatch]

    public init(endpoint: ItemKind, method: String, body: [UInt8], contentType: String?, clientIP: String,
                peerIP: String, payload: IngestPayload, dispatches: [IngestDispatch] = []) {
        self.endpoint = endpoint
        self.method = method
        self.body = body
        self.contentType = contentType
        self.clientIP = clientIP
        self.peerIP = peerIP
        self.payload = payload
        self.dispatches = dispatches
    }
}

/// One handler for one item of a request: `position` is the item's place in the request (0 for an inbound message
/// or an event, the MSG's position for a status report).
public struct IngestDispatch: Sendable, Equatable {
    public var position: Int
    public var handler: String
    public var maxAttempts: Int

    public init(position: Int, handler: String, maxAttempts: Int) {
        self.position = position
        self.handler = handler
        self.maxAttempts = maxAttempts
    }
}

/// What happened to a request. `id` is the `webhook_requests` row.
public enum IngestOutcome: Sendable, Equatable {
    case stored(id: Int64)
    /// The same delivery was stored before (a CM retry): nothing new was written.
    case duplicate(id: Int64)
    /// A request without content, kept as a probe; `duplicate` when the same probe was stored before.
    case probe(id: Int64, duplicate: Bool)
    /// Kept in quarantine; `duplicate` when this body was quarantined before.
    case quarantined(id: Int64, reason: String, duplicate: Bool)
    /// Not stored: the database is unavailable or did not answer in time. CM retries.
    case unavailable(reason: String)
}
