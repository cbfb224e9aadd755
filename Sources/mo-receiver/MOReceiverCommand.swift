import ArgumentParser
import Foundation
import Logging
import MOReceiver

@main
struct MOReceiverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mo-receiver",
        abstract: "Receive CM.com webhooks (inbound messages, status reports, events) and store them durably in PostgreSQL.",
        discussion: """
            Answers 200 only after the request is committed to PostgreSQL; anything else makes CM retry.
            Requests are accepted only from CM's address ranges (trust.allowed_sources), also behind a reverse proxy
            (trust.trusted_proxies with trust.client_ip_header).

            Example:
              mo-receiver --config /etc/mo-receiver/config.toml

            Apply the database migrations first with `moctl --config FILE migrate`.
            Stop with SIGTERM or SIGINT: the receiver stops accepting, commits what is in flight, and exits 0.
            """)

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
            FileHandle.standardError.write(Data("mo-receiver: \(error)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
        if checkConfig {
            print("\(config): ok")
            return
        }
        settings.log.bootstrap()
        let logger = Logger(label: "mo-receiver")
        let signals = SignalWaiter(blocking: [SIGTERM, SIGINT])
        do {
            let receiver = try buildReceiver(config: settings, logger: logger)
            try receiver.start()
            let signal = signals.wait()
            logger.notice("stopping on signal", metadata: ["signal": "\(signal)"])
            receiver.shutdown()
        } catch {
            logger.critical("could not start", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
    }
}
