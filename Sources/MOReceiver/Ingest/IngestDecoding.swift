import CMWebhook
import MOPolicy
import MOStore

/// The daemon's decoder, shared by the listener (``IngestHandler``) and tools: `moctl quarantine replay` reads a
/// quarantined body with exactly the code the listener uses for a new request. Pure.
public enum IngestDecoding {
    /// What a body delivered to `endpoint` is: the endpoint picks the decoder in CMWebhook.
    public static func payload(endpoint: ItemKind, method: String, contentType: String?, body: [UInt8]) -> IngestPayload {
        switch endpoint {
        case .mo: IngestPayload(inboundMessage: body, method: method)
        case .status: IngestPayload(statusReports: body, method: method, contentType: contentType)
        case .event: IngestPayload(event: body, method: method)
        }
    }

    /// What the daemon's listener does with a decoded payload under `config`'s routes and handlers: the dispatch
    /// jobs to write (routes are evaluated as a request arrives, so a replayed request is routed by today's config).
    /// Build it once and call it per payload.
    public static func router(for config: ReceiverConfig) -> @Sendable (IngestPayload) -> [IngestDispatch] {
        let routing = Routing(Routing.Table(config: config))
        return { routing.dispatches(for: $0) }
    }
}
