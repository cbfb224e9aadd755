/// What a stored item is, as routes name it in `kinds`: an inbound message, a status report or an event.
///
/// A pure value type usable from any thread.
public enum RouteKind: String, Sendable, CaseIterable {
    case mo, status, event

    /// Parses a config value: exactly `"mo"`, `"status"` or `"event"` (lowercase, as the config file spells them).
    public init(parsing text: String) throws(RouteError) {
        guard let kind = RouteKind(rawValue: text) else { throw .unknownKind(text) }
        self = kind
    }
}
