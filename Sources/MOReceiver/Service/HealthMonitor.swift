import Curl
import LibPQ
import Logging
import MOStore
import MOSystem
import MicroHTTPD
import Synchronization

/// What the daemon knows about its own health, from the monitor's last probes. Value type.
public struct Health: Sendable {
    /// The webhook listener answered the monitor's `GET /healthz` on its last probe.
    public var listenerAnswered = false
    public var listenerAnsweredAt: ContinuousClock.Instant?
    /// The last time the database answered the monitor's `SELECT 1`.
    public var databaseAnsweredAt: ContinuousClock.Instant?
    /// The schema has every migration this build knows (checked until true, then every 30 s), perhaps newer ones.
    public var migrationsCurrent = false
    /// Set while the database has migrations newer than this build (a rolling upgrade): ready all the same, and
    /// `/readyz`, the log and `STATUS=` say so.
    public var schemaNote: String?
    /// Why the last probe failed, for `STATUS=` and `/readyz`.
    public var problem: String?

    public init() {}

    /// Ready for traffic: the listener answers, the database answered within `databaseWithin`, migrations current.
    public func isReady(databaseWithin window: Duration = .seconds(5), now: ContinuousClock.Instant = .now) -> Bool {
        listenerAnswered && migrationsCurrent && databaseAnsweredAt.map { now - $0 <= window } == true
    }

    public var isReady: Bool { isReady() }

    /// Alive enough for the systemd watchdog: the listener answered within `listenerWithin` and the database
    /// within `databaseWithin`. A wedged listener or a database connection that hangs stops the pings, and
    /// systemd restarts the daemon.
    public func isAlive(listenerWithin: Duration, databaseWithin: Duration, now: ContinuousClock.Instant = .now) -> Bool {
        guard let listener = listenerAnsweredAt, now - listener <= listenerWithin else { return false }
        guard let database = databaseAnsweredAt, now - database <= databaseWithin else { return false }
        return true
    }
}

/// Probes the daemon from outside its request path, once a `interval`: a real HTTP request to the webhook
/// listener's `/healthz` over loopback, and `SELECT 1` plus the migration check on its own database connection.
/// A `Service` with one thread (`mo-health`), started after the webhook listener it probes (it needs the bound
/// port); readers on any thread get the latest snapshot.
final class HealthMonitor: Service {
    let database: DatabaseSettings
    /// The webhook listener and the host it listens on (a wildcard host is probed on loopback).
    let listener: HTTPServer
    let listenerHost: String
    let interval: Duration
    let metrics: Metrics
    let logger: Logger
    private let probeURL: Mutex<String?>
    private let state = Mutex(Health())
    private let stopped = Atomic(false)
    private let changed = ThreadCondition()
    private let threads = ServiceThreads()

    init(database: DatabaseSettings, listener: HTTPServer, listenerHost: String, interval: Duration = .seconds(1),
         metrics: Metrics, logger: Logger) {
        self.database = database
        self.listener = listener
        self.listenerHost = listenerHost
        self.interval = interval
        self.metrics = metrics
        self.logger = logger
        self.probeURL = Mutex(nil)
    }

    var current: Health { state.withLock { $0 } }

    var name: String { "health monitor" }

    /// Starts probing the listener where it is bound now.
    func start() {
        let host = listenerHost
        let port = listener.boundPort
        let target: String
        switch host {
        case "0.0.0.0", "": target = "127.0.0.1"
        case "::": target = "[::1]"
        default: target = host.contains(":") ? "[\(host)]" : host
        }
        probeURL.withLock { $0 = "http://\(target):\(port)/healthz" }
        threads.spawn(name: "mo-health") { [self] in run() }
    }

    /// Ends the probe loop without waiting for it (a probe in flight finishes on its own).
    func stop(deadline _: ContinuousClock.Instant) {
        stopped.store(true, ordering: .relaxed)
        changed.lock()
        changed.broadcast()
        changed.unlock()
    }

    /// Blocks until a probe round finished after this call, or `timeout` passed.
    func waitForProbe(timeout: Duration) {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        changed.lock()
        _ = changed.wait(until: deadline)
        changed.unlock()
    }

    private func run() {
        var connection: PGConnection?
        var lastMigrationCheck: ContinuousClock.Instant?
        var schemaProblem: String?
        let curl = try? CurlEasy()
        while !stopped.load(ordering: .relaxed) {
            let started = ContinuousClock.now
            var health = current
            var problems: [String] = []

            if let curl, let url = probeURL.withLock({ $0 }) {
                let request = HTTPClientRequest(url: url, connectTimeout: .seconds(1), timeout: .seconds(2),
                                                maxResponseBytes: 4_096, allowedProtocols: ["http"])
                let answered = (try? curl.perform(request))?.status == 200
                health.listenerAnswered = answered
                if answered { health.listenerAnsweredAt = .now } else { problems.append("the webhook listener does not answer") }
            }

            if connection == nil || connection?.isHealthy != true {
                connection = try? database.connect()
            }
            if let live = connection {
                do {
                    _ = try live.execute("SELECT 1")
                    health.databaseAnsweredAt = .now
                    if !health.migrationsCurrent || lastMigrationCheck.map({ .now - $0 > .seconds(30) }) ?? true {
                        schemaProblem = nil
                        health.schemaNote = nil
                        do {
                            switch try Migrator().compatibility(on: live) {
                            case .current:
                                health.migrationsCurrent = true
                            case .ahead(let unknown):
                                health.migrationsCurrent = true
                                health.schemaNote = "the database has \(unknown.count) migration(s) newer than this "
                                    + "version (\(unknown.joined(separator: ", "))): a newer release migrated it; "
                                    + "upgrade this receiver"
                                if lastMigrationCheck == nil || current.schemaNote == nil {
                                    logger.warning("the database schema is newer than this version; serving on (rolling upgrade)",
                                                   metadata: ["db.unknown_migrations": "\(unknown.joined(separator: ","))"])
                                }
                            case .behind(let pending):
                                health.migrationsCurrent = false
                                schemaProblem = "the database schema is behind this version (\(pending.count) "
                                    + "migration(s) pending): run `moctl migrate`"
                            }
                        } catch {
                            health.migrationsCurrent = false
                            schemaProblem = "the database schema is not usable: \(error)"
                        }
                        lastMigrationCheck = .now
                    }
                    if let schemaProblem { problems.append(schemaProblem) }
                } catch {
                    connection = nil
                    problems.append("the database does not answer: \(error.message)")
                }
            } else {
                problems.append("the database is unreachable")
            }
            metrics.setConnected("monitor", connection != nil)
            health.problem = problems.isEmpty ? nil : problems.joined(separator: "; ")
            state.withLock { $0 = health }
            changed.lock()
            changed.broadcast()
            changed.unlock()

            let next = started.advanced(by: interval)
            while !stopped.load(ordering: .relaxed), ContinuousClock.now < next {
                changed.lock()
                _ = changed.wait(until: min(next, .now.advanced(by: .milliseconds(200))))
                changed.unlock()
            }
        }
    }
}
