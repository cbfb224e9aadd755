/// One numbered, forward-only schema change from `migrations/NNNN_verb_object.sql`. Value type.
public struct Migration: Sendable, Equatable {
    public let version: Int
    /// The file name without extension, e.g. "0001_create_ingest_tables".
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// The migrations compiled into this binary (generated from `migrations/` by `scripts/embed-migrations`;
    /// a test fails when the two differ).
    public static var embedded: [Migration] { EmbeddedMigrations.all }
}
