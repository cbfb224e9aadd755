import LibPQ
import MOStore

enum LibPQConnect {
    static func open(_ url: String) throws -> PGConnection {
        try PGConnection(parameters: [("dbname", url)])
    }
}

enum MigrateFor {
    static func tests(_ url: String) throws {
        try Migrator().migrate(on: try LibPQConnect.open(url))
    }
}
