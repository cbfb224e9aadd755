import MOPolicy
import MOStore

/// The daemon's decoder for tools: `moctl quarantine replay` reads a quarantined body with exactly the code the
/// listener uses for a new request (``IngestHandler/decode(_:method:contentType:_:)``). Pure.
public enum IngestDecoding {
    public static func payload(endpoint: Endpoint, method: String, contentType: String?, body: [UInt8]) -> IngestPayload {
        IngestHandler.decode(endpoint, method: method, contentType: contentType, body)
    }

    /// The dispatch jobs the daemon would write for `payload` under `config`'s routes and handlers (the listener
    /// evaluates routes as a request arrives, so a replayed request is routed by today's config).
    public static func dispatches(for payload: IngestPayload, config: ReceiverConfig) -> [IngestDispatch] {
        let maxAttempts = Dictionary(config.handlers.map { ($0.name, $0.maxAttempts) }) { first, _ in first }
        return Routing(Routing.Table(routes: RouteTable(config.routes), maxAttempts: maxAttempts)).dispatches(for: payload)
    }
}
