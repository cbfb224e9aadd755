import LibPQ
import Logging
import MOStore
import MicroHTTPD
import Synchronization

/// The admin listener (`admin.listen`): `/healthz`, `/readyz` and `/metrics`. Answers on its own libmicrohttpd
/// instance and thread, so a scrape never competes with webhooks; `/metrics` reads the database on the admin
/// connection (statement timeout 2 s), everything else answers from memory.
final class AdminHandler: HTTPHandler {
    let metrics: Metrics
    let monitor: HealthMonitor
    let database: DatabaseSettings
    let atRiskHours: Int
    let isDraining: @Sendable () -> Bool
    /// Whether the ingest writer reached the database on its last attempt.
    let writerConnected: @Sendable () -> Bool
    let logger: Logger
    private let connection = Mutex<PGConnection?>(nil)

    init(metrics: Metrics, monitor: HealthMonitor, database: DatabaseSettings, atRiskHours: Int,
         isDraining: @escaping @Sendable () -> Bool, writerConnected: @escaping @Sendable () -> Bool,
         logger: Logger) {
        self.writerConnected = writerConnected
        self.metrics = metrics
        self.monitor = monitor
        self.database = DatabaseSettings(url: database.url, connectTimeoutSeconds: database.connectTimeoutSeconds,
                                         statementTimeoutMilliseconds: 2_000, applicationName: "mo-receiver admin")
        self.atRiskHours = atRiskHours
        self.isDraining = isDraining
        self.logger = logger
    }

    func head(_ head: RequestHead) -> HeadDecision<Never> {
        guard head.method == "GET" || head.method == "HEAD" else {
            return .respond(Reply.json(405, ["result": .text("method_not_allowed"), "reason": .text("the admin listener answers GET")],
                                       headers: [("Allow", "GET, HEAD")]))
        }
        switch head.path {
        case "/healthz":
            return .respond(Reply.healthy)
        case "/readyz":
            return .respond(readiness())
        case "/metrics":
            metrics.setConnected("writer", writerConnected())
            let text = metrics.render(gauges: readGauges(), health: monitor.current, draining: isDraining())
            return .respond(HTTPResponse(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
                                         body: Array(text.utf8)))
        default:
            return .respond(Reply.json(404, ["result": .text("not_found"),
                                             "reason": .text("the admin listener serves /healthz, /readyz and /metrics")]))
        }
    }

    /// Not reached: no request waits for a responder here. The protocol requires it.
    var shutdownResponse: HTTPResponse { Reply.shuttingDown }

    /// 200 when ready for traffic; 503 with the reason otherwise (a load balancer takes the daemon out).
    private func readiness() -> HTTPResponse {
        if isDraining() {
            return Reply.json(503, ["result": .text("not_ready"), "reason": .text("draining: the daemon is stopping")])
        }
        let health = monitor.current
        if health.isReady {
            return Reply.json(200, ["result": .text("ready"), "reason": health.schemaNote.map { .text($0) }].compactMapValues { $0 })
        }
        let reason = health.problem ?? (health.listenerAnsweredAt == nil ? "starting: the first health probe has not finished" : "not ready")
        return Reply.json(503, ["result": .text("not_ready"), "reason": .text(reason)])
    }

    private func readGauges() -> StoreGauges? {
        connection.withLock { connection -> StoreGauges? in
            for _ in 0..<2 {
                if connection == nil || connection?.isHealthy != true { connection = try? database.connect() }
                guard let live = connection else { break }
                do {
                    let gauges = try StoreGauges.read(atRiskHours: atRiskHours, on: live)
                    metrics.setConnected("admin", true)
                    return gauges
                } catch {
                    logger.warning("metrics could not read the database", metadata: ["db.error": "\(error)"])
                    connection = nil
                }
            }
            metrics.setConnected("admin", false)
            return nil
        }
    }
}
