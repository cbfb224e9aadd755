import ArgumentParser
import Foundation
import MOReceiver

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a config file the way the daemon reads it at start, without connecting anywhere.",
        discussion: """
            Prints "ok" and exits 0 for a valid file; otherwise prints the one problem it found, naming file, line
            and key, and exits 1. Does not connect to the database (moctl status does).

            Example:
              moctl check-config --config /etc/mo-receiver/config.toml
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Print the result as one JSON object.")
    var json = false

    func run() throws {
        do {
            let config = try ReceiverConfig.load(path: global.config)
            if json {
                print(#"{"ok":true,"file":\#(Tool.json(global.config)),"handlers":\#(config.handlers.count),"routes":\#(config.routes.count)}"#)
            } else {
                print("ok: \(global.config) (\(config.handlers.count) handler(s), \(config.routes.count) route(s))")
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
