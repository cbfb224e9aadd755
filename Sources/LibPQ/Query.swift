/// SQL text plus its bound parameters. Every interpolated value becomes a `$n` parameter, never SQL text:
///
///     let query: Query = "SELECT id FROM webhook_requests WHERE endpoint = \(endpoint) LIMIT \(limit)"
///
/// SQL that must be assembled from text (identifiers chosen by code, never by input) goes through the visibly
/// named `unsafeSQL` escape hatches. Value type, usable from any thread.
public struct Query: Sendable, ExpressibleByStringInterpolation {
    public private(set) var sql: String
    public private(set) var binds: [PGValue]

    /// SQL text that is not a literal in the code. The caller vouches that no input reached it.
    public init(unsafeSQL sql: String, binds: [PGValue] = []) {
        self.sql = sql
        self.binds = binds
    }

    public init(stringLiteral value: String) {
        self.sql = value
        self.binds = []
    }

    public init(stringInterpolation: StringInterpolation) {
        self.sql = stringInterpolation.sql
        self.binds = stringInterpolation.binds
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var binds: [PGValue] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// A bound parameter.
        public mutating func appendInterpolation(_ value: some PGBindable) {
            binds.append(value.pgValue)
            sql += "$\(binds.count)"
        }

        /// A bound parameter that may be NULL.
        public mutating func appendInterpolation<Value: PGBindable>(_ value: Value?) {
            binds.append(value.map(\.pgValue) ?? .null)
            sql += "$\(binds.count)"
        }

        /// SQL text spliced in as is; only for fragments chosen by code.
        public mutating func appendInterpolation(unsafeSQL fragment: String) {
            sql += fragment
        }
    }
}

/// A statement prepared once per connection and executed by name, for hot paths. The SQL is a constant with
/// explicit `$n` placeholders; values are always bound.
public struct PreparedStatement: Sendable, Hashable {
    public let name: String
    public let sql: String

    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }
}
