import CMWebhook
import LibPQ
import MOPolicy
import MOStore
import Synchronization

/// Which handlers an item goes to, and with how many attempts: the `[[routes]]` and `[[handlers]]` of the current
/// config. Asked on the listener threads for every request (dispatch jobs are written in the ingest transaction);
/// replaced whole when the config is reloaded.
final class Routing: Sendable {
    struct Table: Sendable {
        var routes: RouteTable
        /// Configured handlers and their `max_attempts`; a route naming another handler is ignored.
        var maxAttempts: [String: Int]

        init(routes: RouteTable, maxAttempts: [String: Int]) {
            self.routes = routes
            self.maxAttempts = maxAttempts
        }

        /// The `[[routes]]`, `[[handlers]]` and claimed keywords of `config` (the loader refuses duplicate
        /// handler names).
        init(config: ReceiverConfig) {
            self.init(routes: RouteTable(config.routes, claims: config.keywordClaims),
                      maxAttempts: Dictionary(config.handlers.map { ($0.name, $0.maxAttempts) }) { first, _ in first })
        }

        /// The configured handlers the routes name for `item`, in route order.
        func handlers(for item: RoutableItem) -> [(name: String, maxAttempts: Int)] {
            routes.handlers(for: item).compactMap { name in maxAttempts[name].map { (name, $0) } }
        }
    }

    private let table: Mutex<Table>

    init(_ table: Table) {
        self.table = Mutex(table)
    }

    func replace(with table: Table) {
        self.table.withLock { $0 = table }
    }

    /// The configured handlers the routes name for `item`, in route order.
    func handlers(for item: RoutableItem) -> [(name: String, maxAttempts: Int)] {
        table.withLock { $0 }.handlers(for: item)
    }

    /// One dispatch per item of `payload` and handler its routes name. Pure apart from reading the table.
    func dispatches(for payload: IngestPayload) -> [IngestDispatch] {
        let table = self.table.withLock { $0 }  // one table for all of the payload's items, even across a reload
        return Self.items(of: payload).flatMap { position, item in
            table.handlers(for: item).map { IngestDispatch(position: position, handler: $0.name, maxAttempts: $0.maxAttempts) }
        }
    }

    /// The items a payload stores, with the fields routes match on (the same fields `LegacyRouteJobs` reads back
    /// from the stored rows of a request).
    static func items(of payload: IngestPayload) -> [(position: Int, item: RoutableItem)] {
        switch payload {
        case .inboundMessage(let message):
            return [(0, RoutableItem(kind: .mo, channel: message.channel, from: message.fromNumber,
                                     to: message.toNumber, text: message.text))]
        case .statusReports(let reports):
            return reports.enumerated().map { position, report in
                (position, RoutableItem(kind: .status, channel: report.channel, to: report.recipient))
            }
        case .event(let event):
            return [(0, RoutableItem(kind: .event, channel: event.channel, from: event.fromNumber, to: event.toNumber))]
        case .raw, .probe, .malformed:
            return []
        }
    }
}

extension LegacyRouteJobs {
    /// Converts the route jobs earlier versions left with the `[[routes]]` and `[[handlers]]` of `config`
    /// (`moctl migrate`).
    public static func convert(config: ReceiverConfig, on connection: PGConnection) throws(PGError) -> Conversion {
        let table = Routing.Table(config: config)
        return try convert(on: connection) { table.handlers(for: $0) }
    }
}
