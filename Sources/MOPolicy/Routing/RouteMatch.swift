/// What a ``RouteTable`` decided for one item: the routes that matched and the handlers to run.
///
/// A pure value type usable from any thread; logged once per item, then its handlers are run.
public struct RouteMatch: Sendable, Equatable {
    /// Names of the routes that matched, in config order. When the last of them has `stop = true`, evaluation
    /// ended there.
    public let routes: [String]
    /// Handler names in the order to run them: each matching route's handlers in config order, each name kept at
    /// its first occurrence only.
    public let handlers: [String]

    public init(routes: [String], handlers: [String]) {
        self.routes = routes
        self.handlers = handlers
    }
}
