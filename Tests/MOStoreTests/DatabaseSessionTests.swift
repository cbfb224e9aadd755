import Foundation
import LibPQ
import Logging
import MOStore
import MOTestSupport
import Testing

/// Keeps every log event: level, message and metadata.
private struct RecordingLogHandler: LogHandler {
    struct Record: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: Logger.Metadata
    }

    let records: Locked<[Record]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        records.update { $0.append(Record(level: event.level, message: "\(event.message)", metadata: event.metadata ?? [:])) }
    }
}

/// Blocks the calling thread for `duration`.
private func pause(_ duration: Duration) {
    Thread.sleep(forTimeInterval: Double(duration / .microseconds(1)) / 1e6)
}

/// The error `SELECT 1` fails with on `connection`, if it fails.
private func failure(on connection: PGConnection) -> PGError? {
    do {
        _ = try connection.execute("SELECT 1")
        return nil
    } catch {
        return error
    }
}

@Suite("A reconnecting database session", .serialized)
struct DatabaseSessionTests {
    static let announcements = DatabaseSession.Announcements(
        unavailable: "test database unavailable", established: "test database connected", lost: "test connection lost",
        metadata: ["test.role": "probe"], serverVersion: true)

    @Test("a terminated backend is replaced at once; a stopped server means capped backoff and one line each way")
    func reconnects() throws {
        // A cluster of its own, since this test stops it.
        let cluster = try PostgresCluster()
        try cluster.start()
        let records = Locked<[RecordingLogHandler.Record]>([])
        let logger = Logger(label: "test") { _ in RecordingLogHandler(records: records) }
        let setups = Locked(0)
        let reachability = DatabaseSession.Reachability()
        var session = DatabaseSession(
            settings: DatabaseSettings(url: cluster.url()), logger: logger, announcements: Self.announcements,
            initialDelay: .milliseconds(50), maxDelay: .milliseconds(200), reachability: reachability,
            setup: { connection throws(PGError) in
                setups.update { $0 += 1 }
                try connection.execute(script: "SET synchronous_commit = off")
            })
        func messages() -> [String] { records.value.map(\.message) }

        // First connection: the setup ran on it, and (with a reachability flag) it is announced.
        let opened = session.connect()
        let first = try #require(opened)
        #expect(try first.execute("SHOW synchronous_commit").string(0, 0) == "off")
        #expect(setups.value == 1 && reachability.isReachable)
        #expect(messages() == ["test database connected"])
        #expect(records.value[0].metadata["test.role"] == "probe" && records.value[0].metadata["db.server_version"] != nil)
        let again = session.connect()
        #expect(again === first)

        // An operator ends the backend: the error drops the connection, the next one comes at once.
        let admin = try LibPQConnect.open(cluster.url())
        _ = try admin.execute("SELECT pg_terminate_backend(\(first.backendPID))")
        let error = try #require(failure(on: first))
        #expect(error.isTransient)
        session.drop(after: error)
        #expect(session.connection == nil && !reachability.isReachable)
        #expect(messages().last == "test connection lost")
        let reopened = session.connect()
        let second = try #require(reopened)
        #expect(second.backendPID != first.backendPID)
        #expect(setups.value == 2)
        #expect(messages().last == "test database connected")

        // The server stops: one "unavailable" line, then attempts 50, 100, 200, 200 ms apart (capped).
        try cluster.stop(mode: "immediate")
        session.drop(after: try #require(failure(on: second)))
        #expect(session.connection == nil)
        let refused = session.connect()
        #expect(refused == nil)
        #expect(session.lastConnectError != nil)
        var delays: [Duration] = [session.retryIn]
        let early = session.connect()  // not due yet: no attempt, no line
        #expect(early == nil)
        for _ in 0..<3 {
            pause(session.retryIn)
            let attempt = session.connect()
            #expect(attempt == nil)
            delays.append(session.retryIn)
        }
        let expected: [Duration] = [.milliseconds(50), .milliseconds(100), .milliseconds(200), .milliseconds(200)]
        for (delay, bound) in zip(delays, expected) {
            #expect(delay <= bound && delay > bound - .milliseconds(40), "\(delays)")
        }
        #expect(messages().filter { $0 == "test database unavailable" }.count == 1)
        let unavailable = try #require(records.value.last { $0.message == "test database unavailable" })
        #expect(unavailable.level == .error && unavailable.metadata["db.error"] != nil)

        // Back: the next due attempt connects, says so once, and the backoff starts again from the first delay.
        try cluster.start()
        #expect(eventually(timeout: .seconds(10)) {
            pause(session.retryIn)
            return session.connect() != nil
        })
        #expect(session.lastConnectError == nil && reachability.isReachable)
        #expect(messages().filter { $0 == "test database connected" }.count == 3)
        try cluster.stop(mode: "immediate")
        let recovered = try #require(session.connection)
        session.drop(after: try #require(failure(on: recovered)))
        let down = session.connect()
        #expect(down == nil)
        #expect(session.retryIn <= .milliseconds(50))
    }

    @Test("without a reachability flag, only the end of an outage is announced, not the first connection")
    func announcesRecoveryOnly() throws {
        let url = try TestDatabase.make()
        let records = Locked<[RecordingLogHandler.Record]>([])
        let logger = Logger(label: "test") { _ in RecordingLogHandler(records: records) }
        var session = DatabaseSession(settings: DatabaseSettings(url: url), logger: logger,
                                      announcements: Self.announcements, initialDelay: .milliseconds(50),
                                      maxDelay: .seconds(1))
        let opened = session.connect()
        let connection = try #require(opened)
        #expect(records.value.isEmpty)
        // A statement the server refuses leaves the connection in place.
        do {
            _ = try connection.execute("SELECT no_such_column FROM pg_class")
            Issue.record("the statement should fail")
        } catch {
            session.drop(after: error)
        }
        #expect(session.connection === connection)
        #expect(records.value.isEmpty)
    }
}
