import ArgumentParser
import Glibc
import Logging
import MOReceiver
import MOSystem

@main
struct MOReceiverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mo-receiver",
        abstract: "Receive CM.com webhooks (inbound messages, status reports, events) and store them durably in PostgreSQL.",
        discussion: """
            Answers 200 only after the request is committed to PostgreSQL; anything else makes CM retry. Requests \
            are accepted only from CM's address ranges (trust.allowed_sources), also behind a reverse proxy \
            (trust.trusted_proxies with trust.client_ip_header).

            Example:
              mo-receiver --config /etc/mo-receiver/config.toml

            Apply the database migrations first with `moctl --config FILE migrate`.

            Signals: SIGTERM or SIGINT stop it: no new connections, what is in flight is committed and answered, \
            running jobs get queue.shutdown_grace_seconds, exit 0. SIGHUP reloads [[routes]], [[handlers]] and \
            log.level from the config file without dropping connections; other changed settings are logged as \
            needing a restart.

            Under systemd (Type=notify, systemd/mo-receiver.service) it reports READY=1 once the listener answers, \
            the database answered and the migrations are current, a STATUS= line, and WATCHDOG=1 only while those \
            probes pass. The admin listener (admin.listen) serves /healthz, /readyz and /metrics. See \
            docs/operations.md.
            """,
        version: "mo-receiver \(BuildInfo.description)")

    @Option(name: .long, help: ArgumentHelp("The TOML config file (every key is documented in config.example.toml).",
                                            valueName: "file"))
    var config = "/etc/mo-receiver/config.toml"

    @Flag(name: .long, help: "Validate the config file and exit (0 when valid).")
    var checkConfig = false

    func run() throws {
        let settings: ReceiverConfig
        do {
            settings = try ReceiverConfig.load(path: config)
        } catch {
            StandardStream.error.write("mo-receiver: \(error)\n")
            throw ExitCode(78)  // EX_CONFIG
        }
        if checkConfig {
            print("\(config): ok")
            for warning in settings.warnings { print("\(config): warning: \(warning)") }
            return
        }
        settings.log.bootstrap()
        let logger = Logger(label: "mo-receiver")
        DatabaseNotices.route(to: Logger(label: "mo-receiver.postgres"))
        let signals = SignalWaiter(blocking: [SIGTERM, SIGINT, SIGHUP])
        let notifier: SystemdNotifier?
        do {
            notifier = try SystemdNotifier.fromEnvironment()
        } catch {
            logger.critical("could not open systemd's notify socket", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        let receiver: Receiver
        do {
            receiver = try buildReceiver(config: settings, logger: logger)
            try receiver.start()
        } catch {
            logger.critical("could not start", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        ServiceController(receiver: receiver, configPath: config, notifier: notifier, logger: logger)
            .run(signals: signals, grace: settings.queue.shutdownGrace)
    }
}
