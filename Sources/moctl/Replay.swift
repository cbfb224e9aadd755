import ArgumentParser
import MOPolicy
import MOReceiver
import MOStore

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run handlers again on a stored item, on purpose.",
        discussion: """
            By default the handlers the current routes choose for the item; with --handler, exactly those named
            (routes are then not consulted). Each handler's dispatch job is queued again with fresh attempts; a
            dispatch that is running right now is left alone. Handlers with effects that must not repeat (auto-replies)
            keep their own intent rows, so a replay does not send twice.

            Examples:
              moctl replay 1234                     # inbound message 1234, every routed handler
              moctl replay 1234 --handler crm       # only the 'crm' handler
              moctl replay 88 --kind status
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The item's id (inbound_messages.id for --kind mo).") var id: Int64
    @Option(help: "The item's kind: mo, status or event.") var kind = "mo"
    @Option(name: .customLong("handler"), help: "A handler to run (its [[handlers]] name); repeatable.")
    var handlers: [String] = []

    func validate() throws {
        guard ItemKind(rawValue: kind) != nil else { throw ValidationError("--kind must be mo, status or event") }
    }

    func run() throws {
        let (config, connection) = try Tool.load(global.config)
        let kind = ItemKind(rawValue: kind)!
        let configured = Dictionary(config.handlers.map { ($0.name, $0.maxAttempts) }, uniquingKeysWith: { a, _ in a })
        for name in handlers where configured[name] == nil {
            Tool.fail("'\(name)' is not a configured handler; configured: \(configured.keys.sorted().joined(separator: ", "))", code: 2)
        }
        do {
            guard let document = try EventDocuments.document(kind: kind, id: id, on: connection) else {
                Tool.fail("no \(kind.rawValue) item \(id)")
            }
            let routes = RouteTable(config.routes, claims: config.keywordClaims)
            let names = handlers.isEmpty ? routes.handlers(for: document.routable) : handlers
            if names.isEmpty {
                Tool.fail("no route matches \(kind.rawValue) \(id); name handlers with --handler")
            }
            let queued = try JobAdmin.replay(kind: kind, id: id,
                                             handlers: names.map { ($0, configured[$0] ?? 20) }, on: connection)
            for (handler, ok) in queued {
                print(ok ? "queued \(handler)" : "skipped \(handler): its dispatch is running right now")
            }
        } catch {
            Tool.fail("replay: \(error)")
        }
    }
}
