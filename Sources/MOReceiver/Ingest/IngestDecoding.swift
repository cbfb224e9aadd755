import MOPolicy
import MOStore

/// The daemon's decoder for tools: `moctl quarantine replay` reads a quarantined body with exactly the code the
/// listener uses for a new request (``IngestHandler/decode(_:method:contentType:_:)``). Pure.
public enum IngestDecoding {
    public static func payload(endpoint: ItemKind, method: String, contentType: String?, body: [UInt8]) -> IngestPayload {
        IngestHandler.decode(endpoint, method: method, contentType: contentType, body)
    }

    /// What the daemon's listener does with a decoded payload under `config`'s routes and handlers: the dispatch
    /// jobs to write (routes are evaluated as a request arrives, so a replayed request is routed by today's config).
    /// Build it once and call it per payload.
    public static func router(for config: ReceiverConfig) -> @Sendable (IngestPayload) -> [IngestDispatch] {
        let routing = Routing(Routing.Table(config: config))
        return { routing.dispatches(for: $0) }
    }
}
