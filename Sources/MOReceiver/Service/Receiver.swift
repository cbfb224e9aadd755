import Logging
import MOPolicy
import MOStore
import MOSystem
import MicroHTTPD
import Synchronization

/// The running daemon: the webhook listener in front of the ingest writer. Built by `buildReceiver`, used the same
/// way by `mo-receiver` and by the tests (on port 0 against a private PostgreSQL).
///
/// Its parts are `services`, a `ServiceGroup` in start order: the admin listener, the webhook listener, the health
/// monitor (it probes the bound listener), the job queue, the ingest writer. Shutdown runs the list backwards
/// twice: every service quiesces (only the webhook listener acts: it stops accepting connections), then every
/// service stops: the writer commits and answers what it holds (within the shutdown grace), the queue lets running
/// jobs finish (within `queue.shutdown_grace_seconds`), the monitor stops probing, the webhook listener sends the
/// last answers and closes, and the admin listener, which answered `/readyz` 503 throughout the drain, goes last.
///
/// Lifecycle: starting → running → draining → stopped, each transition logged. `start` and `shutdown` are called
/// from one controlling thread (the executable's main thread, or a test).
public final class Receiver: Sendable {
    public enum State: String, Sendable {
        case created, starting, running, draining, stopped
    }

    /// The config the receiver started with (a reload changes routes, handlers and the log level only).
    public let config: ReceiverConfig
    let writer: IngestWriter
    let queue: JobQueue
    let server: HTTPServer
    let admin: HTTPServer?
    let monitor: HealthMonitor
    let routing: Routing
    let dispatcher: Dispatcher
    let registry: HandlerRegistry
    public let metrics: Metrics
    let logger: Logger
    /// The lifecycle state, shared with the admin listener's readiness answer.
    let state: LifecycleState
    /// Everything that runs threads, in start order; stopped in reverse.
    let services: ServiceGroup

    init(config: ReceiverConfig, writer: IngestWriter, queue: JobQueue, server: HTTPServer, admin: HTTPServer?,
         monitor: HealthMonitor, routing: Routing, dispatcher: Dispatcher, registry: HandlerRegistry, metrics: Metrics,
         state: LifecycleState, logger: Logger) {
        var services: [any Service] = []
        if let admin {
            services.append(HTTPListener(name: "admin listener", server: admin, quiescesEarly: false, stopGrace: .zero))
        }
        services.append(HTTPListener(name: "webhook listener", server: server, quiescesEarly: true,
                                     stopGrace: .seconds(1)))
        services += [monitor, queue, writer] as [any Service]
        self.services = ServiceGroup(services)
        self.state = state
        self.config = config
        self.writer = writer
        self.queue = queue
        self.server = server
        self.admin = admin
        self.monitor = monitor
        self.routing = routing
        self.dispatcher = dispatcher
        self.registry = registry
        self.metrics = metrics
        self.logger = logger
    }

    public var currentState: State { state.current }

    /// The port the webhook listener is bound to.
    public var port: UInt16 { server.boundPort }

    /// The port the admin listener is bound to, when it runs.
    public var adminPort: UInt16? { admin?.boundPort }

    /// Whether the ingest writer reached the database on its last attempt.
    public var isDatabaseReachable: Bool { writer.isDatabaseReachable }

    /// The health monitor's latest probes (listener, database, migrations).
    public var health: Health { monitor.current }

    /// Blocks until the health monitor finished a probe round (or `timeout` passed).
    public func waitForHealthProbe(timeout: Duration = .seconds(3)) {
        monitor.waitForProbe(timeout: timeout)
    }

    /// Starts the services in order: binds the listeners, starts the health monitor, the job queue and the writer
    /// (which connects to PostgreSQL and keeps retrying while it is down). When a listener cannot bind, what started
    /// is stopped again and the error thrown.
    public func start() throws {
        transition(to: .starting)
        do {
            try services.start(failureGrace: .seconds(1))
        } catch {
            transition(to: .stopped)
            throw error
        }
        var metadata: Logger.Metadata = [
            "http.listen": "\(config.http.host):\(server.boundPort)", "http.path_prefix": "\(config.http.pathPrefix)",
            "http.path_token": "\(config.http.pathToken == nil ? "off" : "on")",
            "ingest.batching": "\(config.ingest.batching)",
        ]
        if let admin, let host = config.admin.host { metadata["admin.listen"] = "\(host):\(admin.boundPort)" }
        logger.notice("listening for CM webhooks", metadata: metadata)
        for warning in config.warnings {
            logger.warning("config setting will likely fail", metadata: ["config.key": "\(warning.key)",
                                                                         "config.problem": "\(warning.message)"])
        }
        transition(to: .running)
    }

    /// Graceful stop: stop accepting connections, commit and answer what is in flight (within `grace`), let running
    /// jobs finish (within `queue.shutdown_grace_seconds`), then stop the listeners.
    public func shutdown(grace: Duration = .seconds(5)) {
        guard currentState == .running || currentState == .starting else { return }
        transition(to: .draining)
        services.shutdown(deadline: ContinuousClock.now.advanced(by: grace))
        transition(to: .stopped)
    }

    /// What a reload changed, and what it could not change without a restart.
    public struct ReloadReport: Sendable, Equatable {
        /// Applied now: `routes`, `handlers`, `numbers`, `log.level`.
        public var applied: [String] = []
        /// Sections or keys that differ from the running config but only take effect after a restart.
        public var needsRestart: [String] = []
    }

    /// Applies what can change while running: `[[routes]]`, `[[handlers]]` and `[[numbers]]` (built and checked
    /// before anything changes, so a bad reload leaves the running config in place) and `log.level`. Connections,
    /// in-flight requests and running jobs are untouched; a job already running finishes with the handler it
    /// started with.
    public func reload(_ next: ReceiverConfig) throws(ConfigError) -> ReloadReport {
        let handlers = try makeHandlers(next, registry: registry, metrics: metrics)
        dispatcher.replaceHandlers(handlers)
        routing.replace(with: Routing.Table(config: next))
        ProcessLogLevel.shared.level = next.log.loggerLevel
        var report = ReloadReport(applied: ["routes", "handlers", "numbers", "log.level"])
        let fixed: [(String, Bool)] = [
            ("http", next.http != config.http), ("admin", next.admin != config.admin), ("trust", next.trust != config.trust),
            ("database", next.database != config.database), ("ingest", next.ingest != config.ingest),
            ("log.format", next.log.format != config.log.format), ("log.pii", next.log.pii != config.log.pii),
            ("media", next.media != config.media), ("queue", next.queue != config.queue),
            ("dispatch", next.dispatch != config.dispatch),
        ]
        report.needsRestart = fixed.filter(\.1).map(\.0)
        return report
    }

    private func transition(to next: State) {
        let previous = state.change(to: next)
        logger.info("receiver state changed", metadata: ["lifecycle.from": "\(previous.rawValue)", "lifecycle.to": "\(next.rawValue)"])
    }
}

/// A receiver's lifecycle state, readable from any thread (the admin listener answers /readyz from it).
final class LifecycleState: Sendable {
    private let value = Mutex(Receiver.State.created)

    var current: Receiver.State { value.withLock { $0 } }

    /// Sets `next` and returns the state before.
    func change(to next: Receiver.State) -> Receiver.State {
        value.withLock { current in
            defer { current = next }
            return current
        }
    }
}

/// The handlers `config` names, built and checked (settings, files, tokens).
func makeHandlers(_ config: ReceiverConfig, registry: HandlerRegistry,
                  metrics: Metrics?) throws(ConfigError) -> [String: Dispatcher.Entry] {
    let environment = config.handlerEnvironment(metrics: metrics)
    var handlers: [String: Dispatcher.Entry] = [:]
    for (index, spec) in config.handlers.enumerated() {
        do {
            handlers[spec.name] = Dispatcher.Entry(handler: try registry.make(spec, environment: environment))
        } catch {
            throw ConfigError(file: "config", line: nil, key: "handlers[\(index)].\(error.key)", message: error.message)
        }
    }
    return handlers
}

/// Composes the daemon from its config: the one place that knows how the parts fit. Throws when a handler's
/// settings are invalid (a config read from a file was checked already; one built in code may not be).
public func buildReceiver(config: ReceiverConfig, logger: Logger,
                          registry: HandlerRegistry = .builtIn) throws(ConfigError) -> Receiver {
    let database = DatabaseSettings(url: config.database.url,
                                    connectTimeoutSeconds: config.database.connectTimeoutSeconds,
                                    statementTimeoutMilliseconds: config.database.statementTimeoutMilliseconds)
    let metrics = Metrics()
    let handlers = try makeHandlers(config, registry: registry, metrics: metrics)
    let routing = Routing(Routing.Table(config: config))
    let dispatcher = Dispatcher(handlers: handlers,
                                waitForMedia: config.dispatch.waitForMedia, mediaDownloads: config.media.enabled,
                                mediaRoot: config.media.directory, logger: logger)
    var runners: [(name: String, workers: Int, runner: any JobRunner)] = [("dispatch", config.queue.workers, dispatcher)]
    if config.media.enabled {
        do {
            runners.append(("media", config.media.workers,
                            try MediaFetcher(settings: config.media, metrics: metrics, logger: logger)))
        } catch {
            throw ConfigError(file: "config", line: nil, key: "media.directory", message: "\(error)")
        }
    }
    let queue = JobQueue(settings: config.queue, database: database, runners: runners, metrics: metrics, logger: logger,
                         retention: RetentionService(config: config, database: database, logger: logger))
    let writer = IngestWriter(
        database: database,
        settings: IngestWriter.Settings(batching: config.ingest.batching, maxBatchItems: config.ingest.maxBatchItems,
                                        maxBatchBytes: config.ingest.maxBatchBytes, writers: config.ingest.writers,
                                        requestTimeout: .milliseconds(config.database.requestTimeoutMilliseconds),
                                        mediaDownloads: config.media.enabled),
        logger: logger, jobsCommitted: { queue.jobsCommitted() })
    let handler = IngestHandler(config: config, writer: writer, routing: routing, metrics: metrics, logger: logger)
    let httpLogger = logger
    let server = HTTPServer(
        configuration: HTTPServerConfiguration(host: config.http.host, port: config.http.port,
                                               threads: config.http.threads,
                                               connectionLimit: config.http.connectionLimit,
                                               connectionTimeoutSeconds: config.http.connectionTimeoutSeconds),
        handler: handler,
        errorLog: { line in httpLogger.warning("libmicrohttpd reported an error", metadata: ["mhd.message": "\(line)"]) })
    let monitor = HealthMonitor(database: DatabaseSettings(url: database.url, connectTimeoutSeconds: database.connectTimeoutSeconds,
                                                           statementTimeoutMilliseconds: 2_000,
                                                           applicationName: "mo-receiver monitor"),
                                listener: server, listenerHost: config.http.host, metrics: metrics, logger: logger)
    let state = LifecycleState()
    var admin: HTTPServer?
    if let host = config.admin.host {
        let adminHandler = AdminHandler(metrics: metrics, monitor: monitor, database: database,
                                        atRiskHours: config.media.atRiskHours,
                                        isDraining: { state.current != .running },
                                        writerConnected: { writer.isDatabaseReachable },
                                        logger: logger)
        admin = HTTPServer(
            configuration: HTTPServerConfiguration(host: host, port: config.admin.port, threads: 1, connectionLimit: 64,
                                                   connectionTimeoutSeconds: 10),
            handler: adminHandler,
            errorLog: { line in httpLogger.warning("libmicrohttpd reported an error", metadata: ["mhd.message": "\(line)", "http.listener": "admin"]) })
    }
    return Receiver(config: config, writer: writer, queue: queue, server: server, admin: admin, monitor: monitor,
                    routing: routing, dispatcher: dispatcher, registry: registry, metrics: metrics, state: state,
                    logger: logger)
}

extension ReceiverConfig {
    /// The database settings for tools (moctl) that connect with this config.
    public var databaseSettings: DatabaseSettings {
        DatabaseSettings(url: database.url, connectTimeoutSeconds: database.connectTimeoutSeconds,
                         statementTimeoutMilliseconds: 60_000, applicationName: "moctl")
    }
}
