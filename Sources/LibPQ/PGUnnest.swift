/// Rows sent as parallel array parameters and read back as a table with `unnest`, so one statement inserts any
/// number of rows. Each column is a name, the SQL type of its elements, and how to take its array from the
/// statement; the parameters (named `alias_column`) and the `unnest(…) AS alias(…)` clause are both built from that
/// one list, so the arrays and the column names cannot fall out of step. Built once per statement type.
public struct PGUnnest<Statement>: Sendable {
    /// One column: its name in the unnested table, its element type (`text`, `int`, `bytea`), its array's value.
    public struct Column: Sendable {
        public let name: String
        public let elementType: String
        let value: @Sendable (Statement) -> PGValue

        public init<Value: PGBindable>(_ name: String, _ elementType: String,
                                       _ value: @escaping @Sendable (Statement) -> Value) {
            self.name = name
            self.elementType = elementType
            self.value = { value($0).pgValue }
        }
    }

    public let alias: String
    public let columns: [Column]
    /// The name of a last column numbering the rows from 1 (`WITH ORDINALITY`), if any.
    public let ordinality: String?

    public init(_ alias: String, withOrdinality ordinality: String? = nil, _ columns: [Column]) {
        self.alias = alias
        self.columns = columns
        self.ordinality = ordinality
    }

    /// One array parameter per column, named `alias_column`, cast to the column's array type.
    public var parameters: [PGParameter<Statement>] {
        columns.map { column in
            let value = column.value
            return PGParameter("\(alias)_\(column.name)", "\(column.elementType)[]") { value($0) }
        }
    }

    /// The table, for a FROM clause: `unnest($alias_a, $alias_b) AS alias(a, b)` (named parameters, numbered when
    /// the statement's SQL is built).
    public var table: String {
        let arrays = columns.map { "$\(alias)_\($0.name)" }.joined(separator: ", ")
        let names = (columns.map(\.name) + (ordinality.map { [$0] } ?? [])).joined(separator: ", ")
        return "unnest(\(arrays))\(ordinality == nil ? "" : " WITH ORDINALITY") AS \(alias)(\(names))"
    }
}
