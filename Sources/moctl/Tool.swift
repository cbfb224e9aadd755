import CMWebhook
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

    /// `text` as one JSON string literal (`null` for nil), escaped by the project's one JSON writer.
    static func json(_ text: String?) -> String {
        var writer = JSONWriter()
        writer.value(text)
        return writer.string
    }

    static func fail(_ message: String, code: Int32 = 1) -> Never {
        FileHandle.standardError.write(Data("moctl: \(message)\n".utf8))
        exit(code)
    }
}
