import Foundation
import LibPQ
import MOReceiver

/// Shared plumbing of the subcommands: load the config, connect, fail with one line and an exit code.
enum Tool {
    static func connect(_ path: String) throws -> PGConnection {
        try load(path).connection
    }

    /// The config (for commands that need routes or handlers) and a connection.
    static func load(_ path: String) throws -> (config: ReceiverConfig, connection: PGConnection) {
        let config: ReceiverConfig
        do {
            config = try ReceiverConfig.load(path: path)
        } catch {
            fail("\(error)", code: 2)
        }
        do {
            return (config, try config.databaseSettings.connect())
        } catch {
            fail("cannot reach the database: \(error.message)", code: 3)
        }
    }

    /// Prints `text` as one JSON string literal.
    static func json(_ text: String?) -> String {
        guard let text else { return "null" }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func fail(_ message: String, code: Int32 = 1) -> Never {
        FileHandle.standardError.write(Data("moctl: \(message)\n".utf8))
        exit(code)
    }
}
