import ArgumentParser
import MOReceiver

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a config file the way the daemon reads it at start, without connecting anywhere.",
        discussion: """
            Prints "ok" and exits 0 for a valid file, followed by a "warning: KEY: …" line for each setting that
            loads but will most likely fail (the daemon logs the same at start), e.g. cm.token_in_body = false with
            a send_url other than CM's Cloudflare endpoint; otherwise prints the one problem it found, naming file,
            line and key, and exits 1. Does not connect to the database (moctl status does).

            Example:
              moctl check-config --config /etc/mo-receiver/config.toml
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Print the result as one JSON object.")
    var json = false

    func run() throws {
        do {
            let config = try ReceiverConfig.load(path: global.config)
            let warnings = config.warnings
            if json {
                print(Tool.jsonObject { o in
                    o.field("ok", true)
                    o.field("file", global.config)
                    o.field("handlers", config.handlers.count)
                    o.field("routes", config.routes.count)
                    o.array("warnings") { list in
                        for warning in warnings {
                            list.object { w in
                                w.field("key", warning.key)
                                w.field("message", warning.message)
                            }
                        }
                    }
                })
            } else {
                print("ok: \(global.config) (\(config.handlers.count) handler(s), \(config.routes.count) route(s))")
                for warning in warnings { print("warning: \(warning)") }
            }
        } catch {
            if json {
                print(Tool.jsonObject { o in
                    o.field("ok", false)
                    o.field("file", error.file)
                    o.field("line", error.line)
                    o.field("key", error.key)
                    o.field("message", error.message)
                })
                throw ExitCode(Tool.ExitCode.failure)
            }
            Tool.fail("\(error)")
        }
    }
}
