import CMWebhook
import Foundation
import LibPQ
import Logging

/// The writer thread's state: its connection and reconnection backoff. Lives on that thread only.
struct WriterSession {
    let writer: IngestWriter
    private var connection: PGConnection?
    private var nextConnectAttempt = ContinuousClock.now
    private var reconnectDelay = Duration.milliseconds(50)
    private var lastConnectError: String?
    private var logger: Logger { writer.logger }

    init(writer: IngestWriter) {
        self.writer = writer
    }

    mutating func run() {
        _ = connectIfDue()
        let maxItems = writer.settings.batching ? max(1, writer.settings.maxBatchItems) : 1
        while true {
            let batch = writer.queue.nextBatch(maxItems: maxItems, maxBytes: writer.settings.maxBatchBytes)
            if batch.isEmpty { return }
            process(batch)
            writer.queue.finishBatch()
        }
    }

    // MARK: - One batch

    private mutating func process(_ batch: [PendingWrite]) {
        // A connection that broke while idle (server restarted) is retried once on a fresh one before anyone is
        // told the database is unavailable.
        for attempt in 0..<2 {
            guard let connection = connectIfDue() else {
                fail(batch, reason: "database unavailable: \(lastConnectError ?? "not connected")")
                return
            }
            do {
                let outcomes = try connection.transaction { () throws(PGError) in
                    try batch.map { pending throws(PGError) in try write(pending.request, on: connection) }
                }
                for (pending, outcome) in zip(batch, outcomes) { pending.complete(outcome) }
                return
            } catch where error.isTransient {
                dropConnection(after: error)
                if attempt == 1 { fail(batch, reason: "database unavailable: \(error.message)") }
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
                let outcome = try connection.transaction { () throws(PGError) in
                    try write(pending.request, on: connection)
                }
                pending.complete(outcome)
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
            return try connection.transaction { () throws(PGError) in try write(quarantined, on: connection) }
        } catch {
            if error.isTransient { dropConnection(after: error) }
            logger.error("could not store a request even in quarantine", metadata: ["db.error": "\(error)"])
            return .unavailable(reason: "the database refused the request")
        }
    }

    private func fail(_ batch: [PendingWrite], reason: String) {
        for pending in batch { pending.complete(.unavailable(reason: reason)) }
    }

    // MARK: - One request

    private func write(_ request: IngestRequest, on connection: PGConnection) throws(PGError) -> IngestOutcome {
        let outcome: String
        let reason: String?
        if case .malformed(let why) = request.payload {
            outcome = "quarantined"
            reason = why
        } else {
            outcome = "stored"
            reason = nil
        }
        let result = try connection.execute(IngestStatements.upsertRequest, [
            .text(request.endpoint.rawValue), .text(request.method), .bytes(request.body),
            request.contentType.pgValue, .text(request.clientIP), .text(request.peerIP),
            .text(outcome), reason.pgValue,
        ])
        guard result.rowCount == 1, let id = result.int(0, 0).map(Int64.init), let inserted = result.bool(0, 1) else {
            throw PGError(kind: .protocolViolation, message: "upsert returned no row")
        }
        let storedOutcome = result.string(0, 2) ?? outcome
        let storedReason = result.string(0, 3)
        guard inserted else {
            if storedOutcome == "quarantined" {
                return .quarantined(id: id, reason: storedReason ?? "", duplicate: true)
            }
            return .duplicate(id: id)
        }
        switch request.payload {
        case .malformed(let why):
            return .quarantined(id: id, reason: why, duplicate: false)
        case .raw:
            return .stored(id: id)
        case .inboundMessage(let message):
            try insert(message, requestID: id, on: connection)
            return .stored(id: id)
        }
    }

    private func insert(_ message: InboundMessage, requestID: Int64, on connection: PGConnection) throws(PGError) {
        try connection.execute(IngestStatements.insertInboundMessage, [
            .text(String(requestID)), .text(message.channel), .text(message.fromNumber), message.fromName.pgValue,
            message.toNumber.pgValue, .text(message.text), message.reference.pgValue,
            PGTextArray(message.groupings).pgValue,
            message.timeUtc.map { CMTimestamp.format($0) }.pgValue, message.timeUtcRaw.pgValue,
            message.localTimeRaw.pgValue, message.messageContext.pgValue, message.customJSON.pgValue,
            PGTextArray(message.media.map(\.uri)).pgValue,
            PGTextArray(message.media.map(\.contentType)).pgValue,
            PGTextArray(message.media.map(\.title)).pgValue,
        ])
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
