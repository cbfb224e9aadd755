/// The three webhook endpoints CM calls.
///
/// A pure value type usable from any thread.
public enum Endpoint: String, Sendable, CaseIterable {
    case mo, status, event

    /// URL segment: `"mo"`, `"status"`, `"events"`.
    public var pathSegment: String {
        switch self {
        case .mo: "mo"
        case .status: "status"
        case .event: "events"
        }
    }

    /// HTTP methods accepted (anything else is 405): mo `["POST"]`, status `["GET", "POST"]` (CM sends status
    /// reports as GET query strings or POST bodies), event `["POST"]`.
    public var allowedMethods: [String] {
        switch self {
        case .mo: ["POST"]
        case .status: ["GET", "POST"]
        case .event: ["POST"]
        }
    }

    /// The endpoint whose segment is exactly these bytes.
    static func matching(segment: Substring.UTF8View) -> Endpoint? {
        if segment.elementsEqual("mo".utf8) { return .mo }
        if segment.elementsEqual("status".utf8) { return .status }
        if segment.elementsEqual("events".utf8) { return .event }
        return nil
    }
}
