/// The routes of the config file, in order: decides which handlers each stored item goes to.
///
/// A pure value type, built once when the config is loaded and shared by every thread that routes items;
/// ``match(_:)`` only reads it.
///
/// Every matching route applies, in config order, not only the first. Handler names are deduplicated keeping
/// their first occurrence, so a handler runs once per item however many routes name it. Evaluation ends after a
/// matching route with `stop = true`. An item no route matches has no handlers. Route names are not checked for
/// uniqueness here; the config loader should refuse duplicates so the logs stay unambiguous.
///
/// `keywords` criteria compare the first word after a keyword claimed on the message's `to` number
/// (``KeywordClaims/stripped(_:to:)``): with JOIN claimed, "JOIN HELP" has the keyword HELP. `text_pattern` sees the
/// text as received, claim included, so routes can tell two claims on one shared number apart.
public struct RouteTable: Sendable {
    public let routes: [Route]
    public let claims: KeywordClaims

    public init(_ routes: [Route], claims: KeywordClaims = KeywordClaims()) {
        self.routes = routes
        self.claims = claims
    }

    /// The matching routes' names and the handlers to run, for logging and dispatch.
    public func match(_ item: RoutableItem) -> RouteMatch {
        // Asked for every stored item on the listener threads: with no routes, skip preparing the item.
        if routes.isEmpty { return RouteMatch(routes: [], handlers: []) }
        let prepared = PreparedItem(item, claims: claims)
        var names: [String] = []
        var handlers: [String] = []
        var seen: Set<String> = []
        for route in routes where route.matches(prepared) {
            names.append(route.name)
            for handler in route.handlers where seen.insert(handler).inserted {
                handlers.append(handler)
            }
            if route.stop { break }
        }
        return RouteMatch(routes: names, handlers: handlers)
    }

    /// The handler names for `item`, in the order to run them (``RouteMatch/handlers``).
    public func handlers(for item: RoutableItem) -> [String] {
        match(item).handlers
    }
}
