import CMWebhook
import LibPQ
import Logging

/// The writer thread's state: its reconnecting database session (first retry after 50 ms, doubling up to
/// `maxReconnectDelay`). Lives on that thread only.
struct WriterSession {
    let writer: IngestWriter
    let index: Int
    private var database: DatabaseSession
    private var logger: Logger { writer.logger }

    init(writer: IngestWriter, index: Int) {
        self.writer = writer
        self.index = index
        database = DatabaseSession(
            settings: writer.database, logger: writer.logger,
            announcements: .init(unavailable: "database unavailable; answering 503 until it is back",
                                 established: "database connection established", lost: "database connection lost",
                                 serverVersion: true),
            initialDelay: .milliseconds(50), maxDelay: writer.settings.maxReconnectDelay,
            reachability: writer.databaseReachable)
    }

    mutating func run() {
        _ = database.connect()
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
            guard let connection = database.connect() else {
                fail(batch, reason: "database unavailable: \(database.lastConnectError ?? "not connected")")
                return
            }
            do {
                let outcomes = try write(batch.map(\.request), on: connection)
                for (pending, outcome) in zip(batch, outcomes) { pending.complete(outcome) }
                return
            } catch where error.isTransient {
                database.drop(after: error)
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
                database.drop(after: error)
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
            if error.isTransient { database.drop(after: error) }
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
}
