import CMWebhook
import LibPQ
import Logging

/// The writer thread's state: its connection and reconnection backoff. Lives on that thread only.
struct WriterSession {
    let writer: IngestWriter
    let index: Int
    private var connection: PGConnection?
    private var nextConnectAttempt = ContinuousClock.now
    private var reconnectDelay = Duration.milliseconds(50)
    private var lastConnectError: String?
    private var logger: Logger { writer.logger }

    init(writer: IngestWriter, index: Int) {
        self.writer = writer
        self.index = index
    }

    mutating func run() {
        _ = connectIfDue()
        let maxItems = writer.settings.batching ? max(1, writer.settings.maxBatchItems) : 1
        while true {
            let batch = writer.queue.nextBatch(writer: index, maxItems: maxItems, maxBytes: writer.settings.maxBatchBytes)
            if batch.isEmpty { return }
            process(batch)
            writer.queue.finishBatch(writer: index)
        }
    }

    // MARK: - One batch

    private mutating func process(_ batch: [PendingWrite]) {
        // A connection that broke while idle (server restarted; the statement never went out) is retried once on a
        // fresh one before anyone is told the database is unavailable.
        for attempt in 0..<2 {
            guard let connection = connectIfDue() else {
                fail(batch, reason: "database unavailable: \(lastConnectError ?? "not connected")")
                return
            }
            do {
                let outcomes = try write(batch.map(\.request), on: connection)
                for (pending, outcome) in zip(batch, outcomes) { pending.complete(outcome) }
                return
            } catch where error.isTransient {
                dropConnection(after: error)
                // Sent, then lost before the answer: it may have committed. Answering 503 lets CM's retry find the
                // stored copy (a counted delivery); writing it again now would count one delivery twice.
                if attempt == 1 || error.outcomeUnknown {
                    fail(batch, reason: "database unavailable: \(error.message)")
                    return
                }
            } catch {
                // One item the database refuses must not fail the others: retry them one by one.
                processOneByOne(batch, on: connection)
                return
            }
        }
    }

    private mutating func processOneByOne(_ batch: [PendingWrite], on connection: PGConnection) {
        for (index, pending) in batch.enumerated() {
            do {
                pending.complete(try write([pending.request], on: connection)[0])
            } catch where error.isTransient {
                dropConnection(after: error)
                fail(Array(batch[index...]), reason: "database unavailable: \(error.message)")
                return
            } catch {
                // A deterministic refusal must not become a month of CM retries: keep the bytes in quarantine.
                pending.complete(quarantineAfterRefusal(pending.request, error: error, on: connection))
            }
        }
    }

    private mutating func quarantineAfterRefusal(_ request: IngestRequest, error: PGError,
                                                 on connection: PGConnection) -> IngestOutcome {
        var quarantined = request
        let reason = "the database refused the normalized row (SQLSTATE \(error.sqlState ?? "?")"
            + (error.constraint.map { ", constraint \($0)" } ?? "") + ")"
        quarantined.payload = .malformed(reason: reason)
        logger.warning("database refused a normalized row; quarantining the request", metadata: [
            "cm.endpoint": "\(request.endpoint.rawValue)", "db.sqlstate": "\(error.sqlState ?? "")",
            "db.error": "\(error.message)",
        ])
        do {
            return try write([quarantined], on: connection)[0]
        } catch {
            if error.isTransient { dropConnection(after: error) }
            logger.error("could not store a request even in quarantine", metadata: ["db.error": "\(error)"])
            return .unavailable(reason: "the database refused the request")
        }
    }

    private func fail(_ batch: [PendingWrite], reason: String) {
        for pending in batch { pending.complete(.unavailable(reason: reason)) }
    }

    // MARK: - The statements

    /// Stores `requests` in one statement (its own transaction): raw rows and the normalized rows of the new ones.
    /// Returns one outcome per request, in order.
    private func write(_ requests: [IngestRequest], on connection: PGConnection) throws(PGError) -> [IngestOutcome] {
        let batch = IngestBatch(requests)
        let started = ContinuousClock.now
        let stored = try connection.execute(IngestBatchStatement(batch, mediaJobs: writer.settings.mediaDownloads))
        guard stored.count == batch.distinct.count else {
            throw PGError(kind: .protocolViolation,
                          message: "ingest returned \(stored.count) rows for \(batch.distinct.count) requests")
        }
        writer.committedBatches.add(1, ordering: .relaxed)
        writer.committedRequests.add(requests.count, ordering: .relaxed)
        writer.transactionMicroseconds.add(Int((ContinuousClock.now - started) / .microseconds(1)), ordering: .relaxed)
        if batch.enqueuesJobs(mediaJobs: writer.settings.mediaDownloads),
           stored.contains(where: { $0.inserted && $0.outcome == "stored" }) {
            writer.jobsCommitted()
        }
        return batch.outcomes(stored)
    }

    // MARK: - Connection

    private mutating func connectIfDue() -> PGConnection? {
        if let connection, connection.isHealthy { return connection }
        connection = nil
        let now = ContinuousClock.now
        guard now >= nextConnectAttempt else { return nil }
        do {
            let fresh = try writer.database.connect()
            connection = fresh
            reconnectDelay = .milliseconds(50)
            if lastConnectError != nil || !writer.databaseReachable.load(ordering: .relaxed) {
                logger.notice("database connection established", metadata: ["db.server_version": "\(fresh.serverVersion)"])
            }
            lastConnectError = nil
            writer.databaseReachable.store(true, ordering: .relaxed)
            return fresh
        } catch {
            if lastConnectError == nil {
                logger.error("database unavailable; answering 503 until it is back", metadata: ["db.error": "\(error.message)"])
            }
            lastConnectError = error.message
            writer.databaseReachable.store(false, ordering: .relaxed)
            nextConnectAttempt = now.advanced(by: reconnectDelay)
            reconnectDelay = min(reconnectDelay * 2, writer.settings.maxReconnectDelay)
            return nil
        }
    }

    private mutating func dropConnection(after error: PGError) {
        logger.warning("database connection lost", metadata: ["db.error": "\(error.message)"])
        connection = nil
        writer.databaseReachable.store(false, ordering: .relaxed)
    }
}
