import MOStore
import MOTestSupport

enum MigrateFor {
    static func tests(_ url: String) throws {
        try Migrator().migrate(on: try LibPQConnect.open(url))
    }
}
