import CLibPQ
import Glibc

/// One PostgreSQL connection. Owns its `PGconn` and closes it in `deinit`.
///
/// libpq allows one thread at a time per connection: whoever owns a `PGConnection` uses it from one thread
/// (the ingest writer's own thread, a worker's thread, a command-line tool's main thread). It is deliberately not
/// `Sendable`.
public final class PGConnection {
    let handle: OpaquePointer
    private var prepared: Set<String> = []
    /// Set once a round trip outlived `roundTripLimit`: the connection's state is unknown, so it is unusable.
    private var abandoned = false

    /// The longest one round trip (send, execute, every result read) may take on the client's clock, or nil to wait
    /// as long as the server takes. Server-side timeouts (`statement_timeout`) and TCP timeouts cannot end a wait on
    /// a connection that went silent while the peer's kernel still acknowledges (a hung backend, a proxy that lost
    /// its upstream); this can. Past it the call throws a connection error and `isHealthy` turns false, so the owner
    /// drops the connection and opens a new one.
    public var roundTripLimit: Duration? {
        didSet { if roundTripLimit != nil { PQsetnonblocking(handle, 1) } }
    }

    /// Connects with libpq keyword/value pairs (`PQconnectdbParams`, never an interpolated conninfo string).
    /// A `dbname` entry may hold a whole connection URI or conninfo string; pairs are applied in order, so
    /// defaults placed before it are overridden by what the URI says.
    public init(parameters: [(String, String)]) throws(PGError) {
        let keywords = parameters.map { strdup($0.0) }
        let values = parameters.map { strdup($0.1) }
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        var keywordPointers: [UnsafePointer<CChar>?] = keywords.map { UnsafePointer($0) } + [nil]
        var valuePointers: [UnsafePointer<CChar>?] = values.map { UnsafePointer($0) } + [nil]
        let connection = keywordPointers.withUnsafeMutableBufferPointer { keys in
            valuePointers.withUnsafeMutableBufferPointer { vals in
                PQconnectdbParams(keys.baseAddress, vals.baseAddress, 1)
            }
        }
        guard let connection else {
            throw PGError(kind: .connection, message: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection))
            PQfinish(connection)
            throw PGError(kind: .connection, message: message.isEmpty ? "connection failed" : message)
        }
        PGConnection.installNoticeReceiver(on: connection)
        self.handle = connection
    }

    deinit {
        PQfinish(handle)
    }

    /// False once the server closed the connection or a network error was seen.
    public var isHealthy: Bool { !abandoned && PQstatus(handle) == CONNECTION_OK }

    /// The server's version number, e.g. 150018.
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// The backend process id (for `pg_terminate_backend` in tests and diagnostics).
    public var backendPID: Int { Int(PQbackendPID(handle)) }

    /// Runs one or more statements without parameters (e.g. a migration file, `BEGIN`, `COMMIT`).
    @discardableResult
    public func execute(script: String) throws(PGError) -> PGResult {
        try run({ PQexec(handle, script) }, send: { PQsendQuery(handle, script) })
    }

    /// Runs a statement with bound parameters.
    @discardableResult
    public func execute(_ query: Query) throws(PGError) -> PGResult {
        try withParameterArrays(query.binds) { count, values, lengths, formats throws(PGError) in
            try run({ PQexecParams(handle, query.sql, count, nil, values, lengths, formats, 0) },
                    send: { PQsendQueryParams(handle, query.sql, count, nil, values, lengths, formats, 0) })
        }
    }

    /// Runs a prepared statement, preparing it on this connection the first time.
    @discardableResult
    public func execute(_ statement: PreparedStatement, _ binds: [PGValue]) throws(PGError) -> PGResult {
        try executePrepared(name: statement.name, sql: statement.sql, binds)
    }

    /// Runs a statement type (prepared on this connection the first time) and decodes every row of its answer.
    @discardableResult
    public func execute<Statement: PGStatement>(_ statement: Statement) throws(PGError) -> [Statement.Row] {
        let result = try executePrepared(name: Statement.name, sql: Statement.sql.text, statement.bindings)
        var rows: [Statement.Row] = []
        rows.reserveCapacity(result.rowCount)
        for index in 0..<result.rowCount {
            rows.append(try Statement.decodeRow(PGRow(result, index)))
        }
        return rows
    }

    /// Runs a statement type that answers with no rows; returns how many rows it touched.
    @discardableResult
    public func executeCounting<Statement: PGStatement>(_ statement: Statement) throws(PGError) -> Int
    where Statement.Row == Void {
        try executePrepared(name: Statement.name, sql: Statement.sql.text, statement.bindings).affectedRows
    }

    /// Runs `body` inside BEGIN/COMMIT; rolls back when it throws. COMMIT's own failure is thrown.
    public func transaction<T>(_ body: () throws(PGError) -> T) throws(PGError) -> T {
        try execute(script: "BEGIN")
        let value: T
        do {
            value = try body()
        } catch {
            if isHealthy { _ = try? execute(script: "ROLLBACK") }
            throw error
        }
        try execute(script: "COMMIT")
        return value
    }

    // MARK: - Internals

    /// Runs the statement prepared as `name`, preparing it from `sql` the first time on this connection.
    private func executePrepared(name: String, sql: String, _ binds: [PGValue]) throws(PGError) -> PGResult {
        if !prepared.contains(name) {
            _ = try run({ PQprepare(handle, name, sql, 0, nil) }, send: { PQsendPrepare(handle, name, sql, 0, nil) })
            prepared.insert(name)
        }
        return try withParameterArrays(binds) { count, values, lengths, formats throws(PGError) in
            try run({ PQexecPrepared(handle, name, count, values, lengths, formats, 0) },
                    send: { PQsendQueryPrepared(handle, name, count, values, lengths, formats, 0) })
        }
    }

    /// One statement: `exec` blocks until the answer; under a `roundTripLimit`, `send` queues it instead and
    /// `roundTrip` waits for the answer no longer than the limit.
    private func run(_ exec: () -> OpaquePointer?, send: () -> Int32) throws(PGError) -> PGResult {
        guard let limit = roundTripLimit else { return try check(exec().map(PGResult.init(owning:))) }
        return try check(roundTrip(limit: limit, send))
    }

    /// One round trip without blocking past `roundTripLimit`: `send` queues the query (the connection is in
    /// non-blocking mode), then the socket is polled until everything is sent and every result read. Returns the
    /// last result, or the first error result (as PQexec does). On a deadline or a socket error the connection is
    /// abandoned and a connection error thrown, marked `outcomeUnknown` when the query had been sent. Every result
    /// is owned by a `PGResult` from the moment it is read, so the ones not returned are cleared on every path.
    private func roundTrip(limit: Duration, _ send: () -> Int32) throws(PGError) -> PGResult {
        guard !abandoned else { throw PGError(kind: .connection, message: "the connection was abandoned after a timeout") }
        let deadline = ContinuousClock.now.advanced(by: limit)
        // A connection the server closed while it sat idle (a restart, a terminated backend) has said so already:
        // read that first, so the failure is known to have happened before anything was sent.
        guard PQconsumeInput(handle) == 1, PQstatus(handle) == CONNECTION_OK, send() == 1 else {
            throw PGError(kind: .connection, message: String(cString: PQerrorMessage(handle)))
        }
        var last: PGResult?
        var failure: PGResult?
        while true {
            let flushed = PQflush(handle)
            if flushed < 0 { break }
            if flushed == 0 {
                guard PQconsumeInput(handle) == 1 else { break }
                if PQisBusy(handle) == 0 {
                    guard let raw = PQgetResult(handle) else { break }  // nil: every result of the query read
                    let result = PGResult(owning: raw)
                    if result.succeeded {
                        last = result
                    } else if failure == nil {
                        failure = result
                    }
                    continue
                }
            }
            let left = deadline - ContinuousClock.now
            guard left > .zero else {
                abandoned = true
                throw PGError(kind: .connection,
                              message: "PostgreSQL did not answer within \(limit) (client-side limit); the connection is dropped",
                              outcomeUnknown: true)
            }
            var poller = pollfd(fd: PQsocket(handle), events: Int16(flushed == 1 ? POLLIN | POLLOUT : POLLIN), revents: 0)
            let milliseconds = Int32(min(max(left / .milliseconds(1), 1), 1_000))
            if poll(&poller, 1, milliseconds) < 0 && errno != EINTR { break }
        }
        if let failure { return failure }
        if let last, PQstatus(handle) == CONNECTION_OK { return last }
        // The query went out and the connection broke before its every answer was in: it may have committed.
        throw PGError(kind: .connection, message: String(cString: PQerrorMessage(handle)), outcomeUnknown: true)
    }

    /// Lays the parameters out as libpq wants them (values, lengths, formats) for the duration of `call`.
    private func withParameterArrays<R, E: Error>(
        _ binds: [PGValue],
        _ call: (Int32, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) throws(E) -> R
    ) throws(E) -> R {
        // Every parameter's bytes are copied into one buffer that lives until libpq has sent them.
        var storage: [UInt8] = []
        var offsets: [Int?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        offsets.reserveCapacity(binds.count)
        for bind in binds {
            switch bind {
            case .null:
                offsets.append(nil)
                lengths.append(0)
                formats.append(0)
            case .text(let text):
                offsets.append(storage.count)
                storage.append(contentsOf: text.utf8)
                storage.append(0)
                lengths.append(0)
                formats.append(0)
            case .bytes(let bytes):
                offsets.append(storage.count)
                storage.append(contentsOf: bytes)
                storage.append(0)
                lengths.append(Int32(bytes.count))
                formats.append(1)
            }
        }
        return try storage.withUnsafeBufferPointer { buffer throws(E) in
            let base = UnsafeRawPointer(buffer.baseAddress)
            let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in
                guard let offset, let base else { return nil }
                return (base + offset).assumingMemoryBound(to: CChar.self)
            }
            return try pointers.withUnsafeBufferPointer { values throws(E) in
                try lengths.withUnsafeBufferPointer { lengthBuffer throws(E) in
                    try formats.withUnsafeBufferPointer { formatBuffer throws(E) in
                        try call(Int32(binds.count), values.baseAddress, lengthBuffer.baseAddress, formatBuffer.baseAddress)
                    }
                }
            }
        }
    }

    /// The result when it succeeded; otherwise its error, thrown (the result is cleared by its owner either way).
    private func check(_ result: PGResult?) throws(PGError) -> PGResult {
        guard let result else {
            throw PGError(kind: .connection, message: String(cString: PQerrorMessage(handle)))
        }
        guard result.succeeded else { throw error(from: result.handle) }
        return result
    }

    private func error(from raw: OpaquePointer) -> PGError {
        let sqlState = errorField(raw, "C")          // PG_DIAG_SQLSTATE
        let primary = errorField(raw, "M")           // PG_DIAG_MESSAGE_PRIMARY
        let detail = errorField(raw, "D")            // PG_DIAG_MESSAGE_DETAIL
        let constraint = errorField(raw, "n")        // PG_DIAG_CONSTRAINT_NAME
        let fallback = String(cString: PQresultErrorMessage(raw))
        let broken = PQstatus(handle) != CONNECTION_OK
        let kind: PGError.Kind = (broken || sqlState == nil) ? .connection : .query
        return PGError(kind: kind, sqlState: sqlState, message: primary ?? fallback,
                       constraint: constraint, detail: detail)
    }
}

/// One field of an error or notice result (`PQresultErrorField`), by its one-letter code (`PG_DIAG_*`).
func errorField(_ result: OpaquePointer, _ code: Unicode.Scalar) -> String? {
    PQresultErrorField(result, Int32(code.value)).map { String(cString: $0) }
}
