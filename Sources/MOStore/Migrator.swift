import LibPQ

/// Applies the numbered migrations in order, each in its own transaction, and records version and checksum in
/// `schema_migrations`. Refuses to run when an applied migration's file changed (drift) or the database knows a
/// migration this binary does not (a newer binary ran against it). Safe to run twice and from two places at once
/// (an advisory lock serializes runners). Used on the caller's thread with the caller's connection.
public struct Migrator: Sendable {
    public let migrations: [Migration]

    public init(migrations: [Migration] = Migration.embedded) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Where one migration stands in a database.
    public struct Entry: Sendable, Equatable {
        public enum State: String, Sendable { case applied, pending }
        public let version: Int
        public let name: String
        public let state: State
        public let appliedAt: String?
    }

    /// The state of every known migration; throws when the database has drifted.
    public func status(on connection: PGConnection) throws(MigrationError) -> [Entry] {
        try ensureBookkeeping(connection)
        let applied = try appliedMigrations(connection)
        try verify(applied, connection)
        return migrations.map { migration in
            let row = applied[migration.version]
            return Entry(version: migration.version, name: migration.name,
                         state: row == nil ? .pending : .applied, appliedAt: row?.appliedAt)
        }
    }

    /// How a database's schema stands against this binary's migrations.
    public enum Compatibility: Sendable, Equatable {
        /// Every migration this binary knows is applied, and no other.
        case current
        /// Migrations this binary knows are not applied yet (`moctl migrate`): the code needs them, so not ready.
        case behind(pending: [String])
        /// Every migration this binary knows is applied, and the database has newer ones: a newer release migrated
        /// it (a rolling upgrade). Migrations within one major version only add (columns, values, views) and never
        /// take away what an older binary of that version uses (docs/install.md, upgrades), so this binary keeps
        /// working; it is told to upgrade.
        case ahead(unknown: [String])
    }

    /// True when every known migration is applied, none drifted and there is no other.
    public func isCurrent(on connection: PGConnection) -> Bool {
        (try? compatibility(on: connection)) == .current
    }

    /// Where the schema stands; throws when it cannot be read or a migration this binary knows has drifted.
    public func compatibility(on connection: PGConnection) throws(MigrationError) -> Compatibility {
        try ensureBookkeeping(connection)
        let applied = try appliedMigrations(connection)
        let unknown = try verify(applied, connection, allowingUnknown: true)
        let pending = migrations.filter { applied[$0.version] == nil }.map(\.name)
        if !pending.isEmpty { return .behind(pending: pending) }
        return unknown.isEmpty ? .current : .ahead(unknown: unknown)
    }

    /// Applies what is pending and returns the migrations applied (none when the database is current).
    /// With `dryRun`, nothing is changed and the pending migrations are returned.
    @discardableResult
    public func migrate(on connection: PGConnection, dryRun: Bool = false,
                        progress: (Migration) -> Void = { _ in }) throws(MigrationError) -> [Migration] {
        try ensureBookkeeping(connection)
        do {
            try connection.execute("SELECT pg_advisory_lock(\(Self.lockKey))")
        } catch {
            throw .database(error)
        }
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock(\(Self.lockKey))") }

        let applied = try appliedMigrations(connection)
        try verify(applied, connection)
        let pending = migrations.filter { applied[$0.version] == nil }
        if dryRun { return pending }
        for migration in pending {
            progress(migration)
            do {
                let checksum = try checksum(of: migration, connection)
                try connection.transaction { () throws(PGError) in
                    try connection.execute(script: migration.sql)
                    try connection.execute("""
                        INSERT INTO schema_migrations (version, name, checksum) \
                        VALUES (\(migration.version), \(migration.name), \(checksum))
                        """)
                }
            } catch {
                throw .failed(migration: migration.name, error)
            }
        }
        return pending
    }

    // MARK: - Internals

    /// Arbitrary constant shared by every runner: 'mo-receiver migrate' as a 64-bit number.
    static let lockKey = 0x6d6f_7263_766d_6967

    private struct AppliedRow {
        let name: String
        let checksum: String
        let appliedAt: String
    }

    private func ensureBookkeeping(_ connection: PGConnection) throws(MigrationError) {
        do {
            try connection.execute(script: """
                SET client_min_messages = warning;
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    checksum   text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                );
                RESET client_min_messages;
                """)
        } catch {
            throw .database(error)
        }
    }

    private func appliedMigrations(_ connection: PGConnection) throws(MigrationError) -> [Int: AppliedRow] {
        do {
            let result = try connection.execute(
                "SELECT version, name, checksum, to_char(applied_at, 'YYYY-MM-DD HH24:MI:SS TZ') FROM schema_migrations ORDER BY version")
            var rows: [Int: AppliedRow] = [:]
            for row in 0..<result.rowCount {
                guard let version = result.int(row, 0) else { continue }
                rows[version] = AppliedRow(name: result.string(row, 1) ?? "", checksum: result.string(row, 2) ?? "",
                                           appliedAt: result.string(row, 3) ?? "")
            }
            return rows
        } catch {
            throw .database(error)
        }
    }

    /// Checks the applied migrations against this binary's: a known one that changed is drift (thrown); an unknown
    /// one is thrown too unless `allowingUnknown`, then returned (by name, in order).
    @discardableResult
    private func verify(_ applied: [Int: AppliedRow], _ connection: PGConnection,
                        allowingUnknown: Bool = false) throws(MigrationError) -> [String] {
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        var unknown: [String] = []
        for (version, row) in applied.sorted(by: { $0.key < $1.key }) {
            guard let migration = known[version] else {
                guard allowingUnknown else { throw .unknownVersion(version: version, name: row.name) }
                unknown.append(row.name)
                continue
            }
            let expected: String
            do {
                expected = try checksum(of: migration, connection)
            } catch {
                throw .database(error)
            }
            if expected != row.checksum {
                throw .drifted(name: migration.name)
            }
        }
        return unknown
    }

    /// sha256 of the migration text, computed by the server (the binary carries no hash implementation).
    private func checksum(of migration: Migration, _ connection: PGConnection) throws(PGError) -> String {
        let result = try connection.execute("SELECT encode(sha256(convert_to(\(migration.sql), 'UTF8')), 'hex')")
        return result.string(0, 0) ?? ""
    }
}

/// Why migrating stopped. One line each, with what to do.
public enum MigrationError: Error, Sendable, CustomStringConvertible {
    case database(PGError)
    case failed(migration: String, PGError)
    case drifted(name: String)
    case unknownVersion(version: Int, name: String)

    public var description: String {
        switch self {
        case .database(let error):
            return "cannot read the migration state: \(error)"
        case .failed(let name, let error):
            return "migration \(name) failed and was rolled back: \(error)"
        case .drifted(let name):
            return "migration \(name) was changed after it was applied (checksum differs); migrations are forward-only: restore the file and add a new migration instead"
        case .unknownVersion(let version, let name):
            return "the database has migration \(version) (\(name)) that this binary does not know: run a newer mo-receiver"
        }
    }
}
