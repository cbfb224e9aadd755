import Logging
import MOPolicy
import MOStore
import MicroHTTPD
import Synchronization

/// The running daemon: the webhook listener in front of the ingest writer. Built by `buildReceiver`, used the same
/// way by `mo-receiver` and by the tests (on port 0 against a private PostgreSQL).
///
/// Lifecycle: starting → running → draining → stopped, each transition logged. `start` and `shutdown` are called
/// from one controlling thread (the executable's main thread, or a test).
public final class Receiver: Sendable {
    public enum State: String, Sendable {
        case created, starting, running, draining, stopped
    }

    public let config: ReceiverConfig
    let writer: IngestWriter
    let queue: JobQueue
    let server: HTTPServer
    let logger: Logger
    private let state = Mutex(State.created)

    init(config: ReceiverConfig, writer: IngestWriter, queue: JobQueue, server: HTTPServer, logger: Logger) {
        self.config = config
        self.writer = writer
        self.queue = queue
        self.server = server
        self.logger = logger
    }

    public var currentState: State { state.withLock { $0 } }

    /// The port the webhook listener is bound to.
    public var port: UInt16 { server.boundPort }

    /// Whether the ingest writer reached the database on its last attempt.
    public var isDatabaseReachable: Bool { writer.isDatabaseReachable }

    /// Starts the writer (which connects to PostgreSQL and keeps retrying while it is down), the job queue, and
    /// binds the listener.
    public func start() throws {
        transition(to: .starting)
        writer.start()
        queue.start()
        do {
            try server.start()
        } catch {
            writer.shutdown(timeout: .seconds(1))
            queue.stop()
            transition(to: .stopped)
            throw error
        }
        logger.notice("listening for CM webhooks", metadata: [
            "http.listen": "\(config.http.host):\(server.boundPort)", "http.path_prefix": "\(config.http.pathPrefix)",
            "http.path_token": "\(config.http.pathToken == nil ? "off" : "on")",
            "ingest.batching": "\(config.ingest.batching)",
        ])
        transition(to: .running)
    }

    /// Graceful stop: stop accepting connections, commit and answer what is in flight, let running jobs finish
    /// (within `queue.shutdown_grace_seconds`), then stop the listener.
    public func shutdown(grace: Duration = .seconds(5)) {
        guard currentState == .running || currentState == .starting else { return }
        transition(to: .draining)
        server.quiesce()
        writer.shutdown(timeout: grace)
        queue.stop()
        server.stop(grace: .seconds(1))
        transition(to: .stopped)
    }

    private func transition(to next: State) {
        let previous = state.withLock { current -> State in
            defer { current = next }
            return current
        }
        logger.info("receiver state changed", metadata: ["lifecycle.from": "\(previous.rawValue)", "lifecycle.to": "\(next.rawValue)"])
    }
}

/// Composes the daemon from its config: the one place that knows how the parts fit. Throws when a handler's
/// settings are invalid (a config read from a file was checked already; one built in code may not be).
public func buildReceiver(config: ReceiverConfig, logger: Logger,
                          registry: HandlerRegistry = .builtIn) throws(ConfigError) -> Receiver {
    let database = DatabaseSettings(url: config.database.url,
                                    connectTimeoutSeconds: config.database.connectTimeoutSeconds,
                                    statementTimeoutMilliseconds: config.database.statementTimeoutMilliseconds)
    let environment = config.handlerEnvironment
    var handlers: [String: Dispatcher.Entry] = [:]
    for (index, spec) in config.handlers.enumerated() {
        do {
            handlers[spec.name] = Dispatcher.Entry(handler: try registry.make(spec, environment: environment),
                                                   maxAttempts: spec.maxAttempts)
        } catch {
            throw ConfigError(file: "config", line: nil, key: "handlers[\(index)].\(error.key)", message: error.message)
        }
    }
    let dispatcher = Dispatcher(routes: RouteTable(config.routes), handlers: handlers,
                                waitForMedia: config.dispatch.waitForMedia, mediaDownloads: config.media.enabled,
                                mediaRoot: config.media.directory, logger: logger)
    var runners: [(name: String, workers: Int, runner: any JobRunner)] = [("dispatch", config.queue.workers, dispatcher)]
    if config.media.enabled {
        do {
            runners.append(("media", config.media.workers, try MediaFetcher(settings: config.media, logger: logger)))
        } catch {
            throw ConfigError(file: "config", line: nil, key: "media.directory", message: "\(error)")
        }
    }
    let queue = JobQueue(settings: config.queue, database: database, runners: runners, logger: logger,
                         retention: RetentionService(config: config, database: database, logger: logger))
    let writer = IngestWriter(
        database: database,
        settings: IngestWriter.Settings(batching: config.ingest.batching, maxBatchItems: config.ingest.maxBatchItems,
                                        maxBatchBytes: config.ingest.maxBatchBytes, writers: config.ingest.writers,
                                        requestTimeout: .milliseconds(config.database.requestTimeoutMilliseconds),
                                        mediaDownloads: config.media.enabled),
        logger: logger, jobsCommitted: { queue.jobsCommitted() })
    let handler = IngestHandler(config: config, writer: writer, logger: logger)
    let httpLogger = logger
    let server = HTTPServer(
        configuration: HTTPServerConfiguration(host: config.http.host, port: config.http.port,
                                               threads: config.http.threads,
                                               connectionLimit: config.http.connectionLimit,
                                               connectionTimeoutSeconds: config.http.connectionTimeoutSeconds),
        handler: handler,
        errorLog: { line in httpLogger.warning("libmicrohttpd reported an error", metadata: ["mhd.message": "\(line)"]) })
    return Receiver(config: config, writer: writer, queue: queue, server: server, logger: logger)
}

extension ReceiverConfig {
    /// The database settings for tools (moctl) that connect with this config.
    public var databaseSettings: DatabaseSettings {
        DatabaseSettings(url: database.url, connectTimeoutSeconds: database.connectTimeoutSeconds,
                         statementTimeoutMilliseconds: 60_000, applicationName: "moctl")
    }
}
