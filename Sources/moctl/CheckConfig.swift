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
                let list = warnings.map { #"{"key":\#(Tool.json($0.key)),"message":\#(Tool.json($0.message))}"# }
                print(#"{"ok":true,"file":\#(Tool.json(global.config)),"handlers":\#(config.handlers.count),"routes":\#(config.routes.count),"warnings":[\#(list.joined(separator: ","))]}"#)
            } else {
                print("ok: \(global.config) (\(config.handlers.count) handler(s), \(config.routes.count) route(s))")
                for warning in warnings { print("warning: \(warning)") }
            }
        } catch {
            if json {
                print(#"{"ok":false,"file":\#(Tool.json(error.file)),"line":\#(error.line.map(String.init) ?? "null"),"key":\#(Tool.json(error.key)),"message":\#(Tool.json(error.message))}"#)
                throw ExitCode(Tool.ExitCode.failure)
            }
            Tool.fail("\(error)")
        }
    }
}
