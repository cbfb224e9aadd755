import Foundation
import LibPQ
import MOTestSupport
import Synchronization
import Testing

@Suite("libpq round trips with a client-side limit")
struct LibPQRoundTripTests {
    @Test("within the limit: scripts, parameters, prepared statements and errors behave as with blocking calls")
    func behavesAsBlocking() throws {
        let connection = try PGConnection(parameters: [("dbname", try TestDatabase.make())])
        connection.roundTripLimit = .seconds(5)
        let last = try connection.execute(script: "CREATE TEMP TABLE t (n int); INSERT INTO t VALUES (1), (2); SELECT count(*) FROM t")
        #expect(last.int(0, 0) == 2, "a script answers with its last result")
        #expect(try connection.execute("SELECT \(41) + 1").int(0, 0) == 42)
        let statement = PreparedStatement(name: "round_trip_test", sql: "SELECT $1::int * 2")
        #expect(try connection.execute(statement, [21.pgValue]).int(0, 0) == 42)
        #expect(try connection.execute(statement, [5.pgValue]).int(0, 0) == 10)
        #expect(throws: PGError.self) { try connection.execute(script: "SELECT 1; SELECT * FROM no_such_table; SELECT 2") }
        do {
            try connection.execute("SELECT * FROM no_such_table")
            Issue.record("a query on a missing table returned")
        } catch {
            #expect(error.kind == .query && error.sqlState == "42P01", "a query error, the connection still good")
        }
        #expect(connection.isHealthy)
        let big = String(repeating: "x", count: 4 << 20)
        #expect(try connection.execute("SELECT length(\(big))").int(0, 0) == 4 << 20, "a large parameter is sent whole")
    }

    @Test("past the limit the call fails with a connection error and the connection is given up")
    func givesUpPastTheLimit() throws {
        let connection = try PGConnection(parameters: [("dbname", try TestDatabase.make())])
        connection.roundTripLimit = .milliseconds(500)
        let started = ContinuousClock.now
        do {
            try connection.execute(script: "SELECT pg_sleep(5)")
            Issue.record("a 5 s statement returned under a 0.5 s limit")
        } catch {
            #expect(error.kind == .connection)
            #expect(error.message.contains("did not answer within"))
        }
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(450) && waited < .seconds(4), "\(waited)")
        #expect(!connection.isHealthy, "its state is unknown: the owner must reconnect")
        #expect(throws: PGError.self) { try connection.execute(script: "SELECT 1") }
    }

    @Test("past the limit with results already read: the error is the timeout, and the connection is given up")
    func givesUpWithResultsInHand() throws {
        let connection = try PGConnection(parameters: [("dbname", try TestDatabase.make())])
        connection.roundTripLimit = .milliseconds(500)
        do {
            // The first result arrives at once and is held while the second is awaited.
            try connection.execute(script: "SELECT 1; SELECT pg_sleep(5)")
            Issue.record("a 5 s statement returned under a 0.5 s limit")
        } catch {
            #expect(error.kind == .connection && error.outcomeUnknown)
        }
        #expect(!connection.isHealthy)
    }

    @Test("text arrays round-trip any string: quotes, backslashes, commas, braces, NULL-looking text, multi-byte UTF-8")
    func textArrays() throws {
        let connection = try PGConnection(parameters: [("dbname", try TestDatabase.make())])
        connection.roundTripLimit = .seconds(5)
        let elements: [String?] = ["plain", "", "a\"quote", "back\\slash", "\\\"", "{,}", "NULL", nil, "  spaced  ",
                                   "😀 4-byte", "ünïcödé", "line\nbreak", "tab\there"]
        let result = try connection.execute("SELECT e FROM unnest(\(PGTextArray(elements))::text[]) WITH ORDINALITY AS u(e, n) ORDER BY n")
        #expect(result.rowCount == elements.count)
        #expect((0..<result.rowCount).map { result.string($0, 0) } == elements)
    }

    @Test("notices reach the process's handler: a statement's NOTICE, and the FATAL of an idle connection's end")
    func noticesReachTheHandler() throws {
        let url = try TestDatabase.make()
        let received = Mutex<[PGNotice]>([])
        PGConnection.noticeHandler = { notice in received.withLock { $0.append(notice) } }
        defer { PGConnection.noticeHandler = nil }
        let connection = try PGConnection(parameters: [("dbname", url)])
        try connection.execute(script: "DO $$ BEGIN RAISE NOTICE 'mo-notice-test %', 42; END $$")
        #expect(received.withLock { $0 }.contains(PGNotice(severity: "NOTICE", sqlState: "00000", message: "mo-notice-test 42")))

        // An idle connection (a LISTENing one, like the queue's) ended by the server: libpq reads the FATAL while
        // waiting, outside any query, and hands it to the notice receiver instead of printing it raw.
        let listener = try PGConnection(parameters: [("dbname", url)])
        try listener.execute(script: "LISTEN mo_notice_test")
        try connection.execute("SELECT pg_terminate_backend(\(listener.backendPID))")
        #expect(eventually(timeout: .seconds(5)) {
            _ = try? listener.waitForNotifications(timeout: .milliseconds(200))
            return !listener.isHealthy
        })
        let fatal = received.withLock { $0 }.first { $0.severity == "FATAL" }
        #expect(fatal?.sqlState == "57P01", "\(received.withLock { $0 })")
        #expect(fatal?.message == "terminating connection due to administrator command")
    }
}
