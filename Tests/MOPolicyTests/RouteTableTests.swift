import Testing
@testable import MOPolicy

@Suite("RouteTable applies every matching route in order")
struct RouteTableTests {
    static let mo = RoutableItem(kind: .mo, channel: "SMS", from: "+31612345678", to: "1008", text: "hello")

    private func route(_ name: String, kinds: Set<ItemKind> = [], keywords: [String] = [], handlers: [String],
                       stop: Bool = false) throws -> Route {
        try Route(name: name, kinds: kinds, keywords: keywords, handlers: handlers, stop: stop)
    }

    @Test("an empty table routes nothing")
    func emptyTable() {
        let match = RouteTable([]).match(Self.mo)
        #expect(match == RouteMatch(routes: [], handlers: []))
        #expect(RouteTable([]).handlers(for: Self.mo).isEmpty)
    }

    @Test("an item no route matches has no handlers")
    func noMatch() throws {
        let table = RouteTable([try route("status-only", kinds: [.status], handlers: ["a"])])
        #expect(table.match(Self.mo) == RouteMatch(routes: [], handlers: []))
    }

    @Test("all matching routes apply in config order, skipping those that do not match")
    func allMatchingRoutes() throws {
        let table = RouteTable([
            try route("first", handlers: ["a", "b"]),
            try route("status-only", kinds: [.status], handlers: ["x"]),
            try route("second", kinds: [.mo], handlers: ["c"]),
            try route("third", handlers: ["d", "e"]),
        ])
        #expect(table.match(Self.mo) == RouteMatch(routes: ["first", "second", "third"], handlers: ["a", "b", "c", "d", "e"]))
        #expect(table.handlers(for: Self.mo) == ["a", "b", "c", "d", "e"])
    }

    @Test("a handler named by several routes runs once, at its first position")
    func deduplication() throws {
        let table = RouteTable([
            try route("one", handlers: ["archive", "crm"]),
            try route("two", handlers: ["notify", "archive"]),
            try route("three", handlers: ["crm", "notify", "audit"]),
        ])
        #expect(table.match(Self.mo) == RouteMatch(routes: ["one", "two", "three"],
                                                   handlers: ["archive", "crm", "notify", "audit"]))
    }

    @Test("a handler listed twice in one route runs once")
    func deduplicationWithinRoute() throws {
        let table = RouteTable([try route("one", handlers: ["a", "b", "a"])])
        #expect(table.handlers(for: Self.mo) == ["a", "b"])
    }

    @Test("handler names are compared exactly, case included")
    func handlerNamesExact() throws {
        let table = RouteTable([try route("one", handlers: ["Archive"]), try route("two", handlers: ["archive"])])
        #expect(table.handlers(for: Self.mo) == ["Archive", "archive"])
    }

    @Test("a matching route with stop ends evaluation after it", arguments: [0, 1, 2, 3])
    func stopEndsEvaluation(stopAt: Int) throws {
        let table = RouteTable(try (0..<4).map { index in
            try route("r\(index)", handlers: ["h\(index)"], stop: index == stopAt)
        })
        let match = table.match(Self.mo)
        #expect(match.routes == (0...stopAt).map { "r\($0)" })
        #expect(match.handlers == (0...stopAt).map { "h\($0)" })
    }

    @Test("a route with stop that does not match does not stop anything")
    func stopOnlyWhenMatching() throws {
        let table = RouteTable([
            try route("stop-status", kinds: [.status], handlers: ["s"], stop: true),
            try route("after", handlers: ["a"]),
        ])
        #expect(table.match(Self.mo) == RouteMatch(routes: ["after"], handlers: ["a"]))
        #expect(table.match(RoutableItem(kind: .status)) == RouteMatch(routes: ["stop-status"], handlers: ["s"]))
    }

    @Test("a stop route with no handlers silences the routes after it")
    func silencingRoute() throws {
        let table = RouteTable([
            try route("before", handlers: ["a"]),
            try route("mute", keywords: ["hello"], handlers: [], stop: true),
            try route("after", handlers: ["b"]),
        ])
        #expect(table.match(Self.mo) == RouteMatch(routes: ["before", "mute"], handlers: ["a"]))
        var other = Self.mo
        other.text = "goodbye"
        #expect(table.match(other) == RouteMatch(routes: ["before", "after"], handlers: ["a", "b"]))
    }

    @Test("routes before the stopping route keep their handlers, in order")
    func handlersBeforeStop() throws {
        let table = RouteTable([
            try route("a", handlers: ["x", "y"]),
            try route("b", handlers: ["y", "z"], stop: true),
            try route("c", handlers: ["w"]),
        ])
        #expect(table.match(Self.mo) == RouteMatch(routes: ["a", "b"], handlers: ["x", "y", "z"]))
    }

    @Test("one table routes items from many tasks at once")
    func concurrentMatching() async throws {
        let table = RouteTable([
            try Route(name: "orders", textPattern: try RoutePattern("(?i)order\\s*\\d+"), handlers: ["orders"]),
            try route("stop", keywords: ["stop"], handlers: ["optout"], stop: true),
            try route("all", handlers: ["archive"]),
        ])
        let texts = ["order 12", "STOP", "hello", "stop order 5"]
        let expected = texts.map { table.handlers(for: RoutableItem(kind: .mo, text: $0)) }
        #expect(expected == [["orders", "archive"], ["optout"], ["archive"], ["orders", "optout"]])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for round in 0..<300 {
                        let index = (task + round) % texts.count
                        let handlers = table.handlers(for: RoutableItem(kind: .mo, text: texts[index]))
                        #expect(handlers == expected[index])
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test("the table is the routes in the order given")
    func routesKept() throws {
        let table = RouteTable([try route("a", handlers: ["x"]), try route("b", handlers: ["y"])])
        #expect(table.routes.map(\.name) == ["a", "b"])
    }
}
