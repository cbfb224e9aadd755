import CLibPQ

/// The rows of one statement, in text format. Owns its `PGresult` and clears it in `deinit`: the connection wraps
/// every result in one of these the moment libpq hands it over, so no path can leak or clear it twice.
/// Not thread-safe; read it on the thread that ran the statement or hand it over whole.
public final class PGResult {
    let handle: OpaquePointer

    init(owning handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        PQclear(handle)
    }

    /// Whether the statement succeeded (a command, rows, or an empty query), as opposed to an error result.
    var succeeded: Bool {
        switch PQresultStatus(handle) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY: return true
        default: return false
        }
    }

    public var rowCount: Int { Int(PQntuples(handle)) }
    public var columnCount: Int { Int(PQnfields(handle)) }

    /// The number of rows a command touched ("INSERT 0 3" → 3), or 0.
    public var affectedRows: Int {
        guard let text = PQcmdTuples(handle) else { return 0 }
        return Int(String(cString: text)) ?? 0
    }

    public func columnName(_ column: Int) -> String {
        String(cString: PQfname(handle, Int32(column)))
    }

    public func isNull(_ row: Int, _ column: Int) -> Bool {
        PQgetisnull(handle, Int32(row), Int32(column)) == 1
    }

    /// The value as text, or nil for SQL NULL.
    public func string(_ row: Int, _ column: Int) -> String? {
        guard !isNull(row, column), let value = PQgetvalue(handle, Int32(row), Int32(column)) else { return nil }
        return String(cString: value)
    }

    public func int(_ row: Int, _ column: Int) -> Int? {
        string(row, column).flatMap { Int($0) }
    }

    public func bool(_ row: Int, _ column: Int) -> Bool? {
        string(row, column).map { $0 == "t" }
    }

    /// A `bytea` column (text format, hex escape) decoded to bytes.
    public func bytes(_ row: Int, _ column: Int) -> [UInt8]? {
        guard !isNull(row, column), let value = PQgetvalue(handle, Int32(row), Int32(column)) else { return nil }
        var length = 0
        guard let decoded = PQunescapeBytea(UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self), &length) else {
            return nil
        }
        defer { PQfreemem(decoded) }
        return Array(UnsafeBufferPointer(start: decoded, count: length))
    }
}

/// One row of a result, as a statement type decodes it (``PGStatement/decodeRow(_:)``). A view: it keeps the
/// result alive and reads its columns in place. Lives where its result lives.
public struct PGRow {
    public let result: PGResult
    /// The row's index in the result, from 0.
    public let index: Int

    public init(_ result: PGResult, _ index: Int) {
        self.result = result
        self.index = index
    }

    public func isNull(_ column: Int) -> Bool { result.isNull(index, column) }
    public func string(_ column: Int) -> String? { result.string(index, column) }
    public func int(_ column: Int) -> Int? { result.int(index, column) }
    public func int64(_ column: Int) -> Int64? { result.int(index, column).map(Int64.init) }
    public func bool(_ column: Int) -> Bool? { result.bool(index, column) }
    public func double(_ column: Int) -> Double? { result.string(index, column).flatMap(Double.init) }
    public func bytes(_ column: Int) -> [UInt8]? { result.bytes(index, column) }

    /// `value`, or a protocol violation naming the column that was missing (NULL or unreadable).
    public func required<Value>(_ value: Value?, _ column: String) throws(PGError) -> Value {
        guard let value else {
            throw PGError(kind: .protocolViolation, message: "a row came back without \(column)")
        }
        return value
    }
}
