/// What a webhook carries and the daemon stores: an inbound message (`mo`), status reports (`status`) or an event
/// (`event`). One value names all three faces of it: the endpoint CM calls (``pathSegment``), the stored item's kind
/// (`rawValue`: the `endpoint` column of `webhook_requests`, a dispatch job's `item`), and the kind a route matches
/// (`kinds` in `[[routes]]`, read by ``init(parsing:)``).
///
/// A pure value type usable from any thread.
public enum ItemKind: String, Sendable, CaseIterable {
    case mo, status, event

    /// URL segment: `"mo"`, `"status"`, `"events"`.
    public var pathSegment: String {
        switch self {
        case .mo: "mo"
        case .status: "status"
        case .event: "events"
        }
    }

    /// The kind whose URL segment is exactly these bytes.
    static func matching(segment: Substring.UTF8View) -> ItemKind? {
        if segment.elementsEqual("mo".utf8) { return .mo }
        if segment.elementsEqual("status".utf8) { return .status }
        if segment.elementsEqual("events".utf8) { return .event }
        return nil
    }

    /// Parses a config value: exactly `"mo"`, `"status"` or `"event"` (lowercase, as the config file spells them).
    public init(parsing text: String) throws(RouteError) {
        guard let kind = ItemKind(rawValue: text) else { throw .unknownKind(text) }
        self = kind
    }
}

/// The HTTP methods the webhook endpoints serve, the same on every endpoint.
public enum WebhookMethods {
    /// Methods that deliver a webhook: POST and PUT carry a body, GET a query string. CM's channel configuration
    /// lets an endpoint's method be 'POST', 'GET' or 'PUT' (seed 004), so none of them may be answered 405 for ever:
    /// a form a decoder does not know is kept in quarantine instead.
    public static let delivery = ["GET", "POST", "PUT"]

    /// Methods answered without storing anything (a monitor's or a proxy's look at the URL).
    public static let answered = ["HEAD", "OPTIONS"]

    /// Every method served (anything else is 405), for the `Allow` header: GET, HEAD, OPTIONS, POST, PUT.
    public static let allowed = (delivery + answered).sorted()
}
