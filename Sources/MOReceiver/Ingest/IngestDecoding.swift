import MOPolicy
import MOStore

/// The daemon's decoder for tools: `moctl quarantine replay` reads a quarantined body with exactly the code the
/// listener uses for a new request (``IngestHandler/decode(_:method:contentType:_:)``). Pure.
public enum IngestDecoding {
    public static func payload(endpoint: Endpoint, method: String, contentType: String?, body: [UInt8]) -> IngestPayload {
        IngestHandler.decode(endpoint, method: method, contentType: contentType, body)
    }
}
