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

    /// Methods that deliver a webhook, the same on every endpoint: POST and PUT carry a body, GET a query string.
    /// CM's channel configuration lets an endpoint's method be 'POST', 'GET' or 'PUT' (seed 004), so none of them
    /// may be answered 405 for ever: a form a decoder does not know is kept in quarantine instead.
    public static let deliveryMethods = ["GET", "POST", "PUT"]

    /// Methods answered without storing anything (a monitor's or a proxy's look at the URL).
    public static let answeredMethods = ["HEAD", "OPTIONS"]

    /// Every method served (anything else is 405), for the `Allow` header: GET, HEAD, OPTIONS, POST, PUT.
    public static let allowedMethods = (deliveryMethods + answeredMethods).sorted()

    /// The endpoint whose segment is exactly these bytes.
    static func matching(segment: Substring.UTF8View) -> Endpoint? {
        if segment.elementsEqual("mo".utf8) { return .mo }
        if segment.elementsEqual("status".utf8) { return .status }
        if segment.elementsEqual("events".utf8) { return .event }
        return nil
    }
}
