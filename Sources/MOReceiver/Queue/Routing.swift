import MOPolicy
import MOStore
import Synchronization

/// Which handlers an item goes to, and with how many attempts: the `[[routes]]` and `[[handlers]]` of the current
/// config. Asked on the listener threads for every request (dispatch jobs are written in the ingest transaction)
/// and by the workers for `route` jobs queued by earlier versions; replaced whole when the config is reloaded.
final class Routing: Sendable {
    struct Table: Sendable {
        var routes: RouteTable
        /// Configured handlers and their `max_attempts`; a route naming another handler is ignored.
        var maxAttempts: [String: Int]
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
        let table = self.table.withLock { $0 }
        return table.routes.handlers(for: item).compactMap { name in
            table.maxAttempts[name].map { (name, $0) }
        }
    }

    /// One dispatch per item of `payload` and handler its routes name. Pure apart from reading the table.
    func dispatches(for payload: IngestPayload) -> [IngestDispatch] {
        Self.items(of: payload).flatMap { position, item in
            handlers(for: item).map { IngestDispatch(position: position, handler: $0.name, maxAttempts: $0.maxAttempts) }
        }
    }

    /// The items a payload stores, with the fields routes match on (the same fields the worker reads back from
    /// the stored rows for a `route` job).
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
        case .raw, .malformed:
            return []
        }
    }
}
