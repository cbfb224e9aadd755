import ArgumentParser
import Glibc
import MOReceiver
import MOSystem

@main
struct MOCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moctl",
        abstract: "Administer mo-receiver: schema, status, stored messages, quarantine, jobs, media, sends, retention.",
        discussion: """
            Every subcommand reads the same config file as the daemon (--config), given before or after the \
            subcommand name, and has --help with an example. Data comes as a table, or as JSON with --json. \
            Long operations (quarantine replay --all, purge) show progress on a terminal and stay quiet in a pipe.

            Examples:
              moctl --config /etc/mo-receiver/config.toml migrate
              moctl status --config /etc/mo-receiver/config.toml --json
              moctl messages list --since 2h --channel WhatsApp

            Exit codes: 0 ok, 1 failure, 2 usage error (bad arguments or config file), 3 not ready (database \
            unreachable, or migrations pending: run moctl migrate). See docs/moctl.md.
            """,
        version: "moctl \(BuildInfo.description)",
        subcommands: [CheckConfig.self, Migrate.self, Status.self, Messages.self, StatusReports.self, Quarantine.self,
                      Jobs.self, Replay.self, Media.self, Outbound.self, Send.self, OptOuts.self, Purge.self])

    /// Parses and runs, with one change to ArgumentParser's exits: a usage error (bad arguments, a failed
    /// validate()) exits 2 like every other usage error of moctl, not 64.
    static func main() {
        do {
            var command = try parseAsRoot(hoistingConfig(Array(CommandLine.arguments.dropFirst())))
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                StandardStream.error.write(fullMessage(for: error) + "\n")
                Glibc.exit(Tool.ExitCode.usage)
            }
            exit(withError: error)
        }
    }

    /// `moctl --config F status` reads naturally but ArgumentParser only knows subcommand options after the
    /// subcommand's name, so a leading `--config F` (or `--config=F`) is moved behind the whole command line
    /// (before a `--`, if any): behind the first name only, `moctl --config F media fetch-now 1` would hand it to
    /// `media`, whose default subcommand `list` would then take it and refuse `fetch-now 1`.
    static func hoistingConfig(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--config", index + 1 < arguments.count {
                leading += [argument, arguments[index + 1]]
                index += 2
            } else if argument.hasPrefix("--config=") {
                leading.append(argument)
                index += 1
            } else {
                break
            }
        }
        guard !leading.isEmpty, index < arguments.count, !arguments[index].hasPrefix("-") else { return arguments }
        var rest = Array(arguments[index...])
        rest.insert(contentsOf: leading, at: rest.firstIndex(of: "--") ?? rest.endIndex)
        return rest
    }
}

/// The options every subcommand shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The TOML config file of the daemon.", valueName: "file"))
    var config = "/etc/mo-receiver/config.toml"
}
