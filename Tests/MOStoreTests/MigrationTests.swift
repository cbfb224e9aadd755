import Foundation
import LibPQ
import MOStore
import MOTestSupport
import Testing

@Suite("Migrations")
struct MigrationTests {
    @Test("the migrations compiled into the binary are exactly the files in migrations/")
    func embeddedMatchFiles() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("migrations")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(files.map { String($0.dropLast(4)) } == Migration.embedded.map(\.name),
                "run scripts/embed-migrations after changing migrations/")
        for (file, migration) in zip(files, Migration.embedded) {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            #expect(text == migration.sql, "\(file) differs from the embedded copy: run scripts/embed-migrations")
            #expect(Int(file.prefix(4)) == migration.version)
        }
    }

    @Test("migrate applies everything once, records version and checksum, and is a no-op the second time")
    func idempotent() throws {
        let connection = try LibPQConnect.open(try TestDatabase.makeEmpty())
        let migrator = Migrator()
        let first = try migrator.migrate(on: connection)
        #expect(first.count == Migration.embedded.count)
        #expect(try migrator.migrate(on: connection).isEmpty)
        #expect(migrator.isCurrent(on: connection))
        let recorded = try connection.execute("SELECT count(*), bool_and(length(checksum) = 64) FROM schema_migrations")
        #expect(recorded.int(0, 0) == Migration.embedded.count)
        #expect(recorded.bool(0, 1) == true)
    }

    @Test("dry run lists the pending migrations and changes nothing")
    func dryRun() throws {
        let connection = try LibPQConnect.open(try TestDatabase.makeEmpty())
        let pending = try Migrator().migrate(on: connection, dryRun: true)
        #expect(pending.map(\.name) == Migration.embedded.map(\.name))
        #expect(try connection.execute("SELECT to_regclass('webhook_requests') IS NULL").bool(0, 0) == true)
    }

    @Test("a migration changed after it was applied stops migrate and names the file")
    func refusesDrift() throws {
        let connection = try LibPQConnect.open(try TestDatabase.make())
        let changed = Migration.embedded.map { Migration(version: $0.version, name: $0.name, sql: $0.sql + "\n-- edited") }
        #expect {
            try Migrator(migrations: changed).migrate(on: connection)
        } throws: { error in
            "\(error)".contains("0001_create_ingest_tables") && "\(error)".contains("changed after it was applied")
        }
    }

    @Test("a database with a migration this binary does not know is refused")
    func refusesUnknownVersion() throws {
        let connection = try LibPQConnect.open(try TestDatabase.make())
        try connection.execute("INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, '9999_future', 'x')")
        #expect {
            try Migrator().migrate(on: connection)
        } throws: { error in
            "\(error)".contains("9999") && "\(error)".contains("newer")
        }
    }

    @Test("a failing migration is rolled back and not recorded")
    func failingMigrationRollsBack() throws {
        let connection = try LibPQConnect.open(try TestDatabase.makeEmpty())
        let broken = Migration.embedded + [Migration(version: 9_000, name: "9000_break_things",
                                                      sql: "CREATE TABLE half_done (id int); SELECT 1/0;")]
        #expect(throws: MigrationError.self) { try Migrator(migrations: broken).migrate(on: connection) }
        #expect(try connection.execute("SELECT to_regclass('half_done') IS NULL").bool(0, 0) == true)
        #expect(try connection.execute("SELECT count(*) FROM schema_migrations WHERE version = 9000").int(0, 0) == 0)
    }
}
