import Foundation
import LibPQ
import MOReceiver

/// Shared plumbing of the subcommands: load the config, connect, fail with one line and an exit code.
enum Tool {
    static func connect(_ path: String) throws -> PGConnection {
        let config: ReceiverConfig
        do {
            config = try ReceiverConfig.load(path: path)
        } catch {
            fail("\(error)", code: 2)
        }
        do {
            return try config.databaseSettings.connect()
        } catch {
            fail("cannot reach the database: \(error.message)", code: 3)
        }
    }

    static func fail(_ message: String, code: Int32 = 1) -> Never {
        FileHandle.standardError.write(Data("moctl: \(message)\n".utf8))
        exit(code)
    }
}
