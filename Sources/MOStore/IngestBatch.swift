import CMWebhook
import LibPQ

/// A batch of requests laid out for the batch statements of ``IngestStatements``: identical deliveries folded
/// into one row with a copy count, every column a parallel array. Pure value; built and used on the writer thread.
struct IngestBatch {
    /// Distinct requests (by endpoint, method and body), in first-seen order.
    let distinct: [IngestRequest]
    /// How many inputs each distinct request stands for.
    let copies: [Int]
    /// For each input, its index in `distinct`.
    let slots: [Int]

    init(_ requests: [IngestRequest]) {
        var index: [DeliveryKey: Int] = [:]
        var distinct: [IngestRequest] = []
        var copies: [Int] = []
        var slots: [Int] = []
        distinct.reserveCapacity(requests.count)
        slots.reserveCapacity(requests.count)
        for request in requests {
            let key = DeliveryKey(endpoint: request.endpoint.rawValue, method: request.method, body: request.body)
            if let slot = index[key] {
                copies[slot] += 1
                slots.append(slot)
            } else {
                index[key] = distinct.count
                slots.append(distinct.count)
                distinct.append(request)
                copies.append(1)
            }
        }
        self.distinct = distinct
        self.copies = copies
        self.slots = slots
    }

    /// The parameters of ``IngestStatements/ingestBatch``; `mediaJobs`: enqueue a download per media item.
    func binds(mediaJobs: Bool) -> [PGValue] {
        var binds: [PGValue] = [
            PGTextArray(distinct.map { $0.endpoint.rawValue }).pgValue,
            PGTextArray(distinct.map(\.method)).pgValue,
            PGByteaArray(distinct.map(\.body)).pgValue,
            PGTextArray(distinct.map(\.contentType)).pgValue,
            PGTextArray(distinct.map(\.clientIP)).pgValue,
            PGTextArray(distinct.map(\.peerIP)).pgValue,
            PGTextArray(distinct.map { $0.storedOutcome.outcome }).pgValue,
            PGTextArray(distinct.map { $0.storedOutcome.reason }).pgValue,
            PGTextArray(copies.map { String($0) }).pgValue,
        ]
        binds += inboundMessageBinds
        binds += statusReportBinds
        binds += eventBinds
        binds.append(mediaJobs.pgValue)
        binds += dispatchBinds
        binds += laterStatusReportBinds
        return binds
    }

    /// Whether the statement may enqueue a job: a dispatch, or a media download when `mediaJobs`. The workers are
    /// woken after a commit only then (a wake-up costs each of them a claim query).
    func enqueuesJobs(mediaJobs: Bool) -> Bool {
        distinct.contains { request in
            if !request.dispatches.isEmpty { return true }
            guard mediaJobs, case .inboundMessage(let message) = request.payload else { return false }
            return !message.media.isEmpty
        }
    }

    /// What each distinct request became in `webhook_requests`.
    struct Stored {
        var id: Int64
        var inserted: Bool
        var outcome: String
        var reason: String?
    }

    /// The answers, one per input: the first of identical inputs is answered by what the database did, the
    /// others as repeats of it.
    func outcomes(_ stored: [Stored]) -> [IngestOutcome] {
        var answered = [Bool](repeating: false, count: distinct.count)
        return slots.map { slot in
            let row = stored[slot]
            let first = !answered[slot]
            answered[slot] = true
            let isNew = row.inserted && first
            switch row.outcome {
            case "quarantined": return .quarantined(id: row.id, reason: row.reason ?? "", duplicate: !isNew)
            case "probe": return .probe(id: row.id, duplicate: !isNew)
            default: break
            }
            return isNew ? .stored(id: row.id) : .duplicate(id: row.id)
        }
    }

    /// $10–$27: the inbound messages among the distinct requests (by 1-based ordinal) and their media, flattened.
    /// The statement inserts only those whose raw row is new.
    private var inboundMessageBinds: [PGValue] {
        let messages = payloads { payload -> InboundMessage? in
            if case .inboundMessage(let message) = payload { return message }
            return nil
        }.map { (ordinal: $0.ordinal, message: $0.payload) }
        var mediaOrdinals: [String?] = []
        var mediaPositions: [String?] = []
        var mediaURIs: [String?] = []
        var mediaTypes: [String?] = []
        var mediaTitles: [String?] = []
        for (ordinal, message) in messages {
            for (position, media) in message.media.enumerated() {
                mediaOrdinals.append(ordinal)
                mediaPositions.append(String(position))
                mediaURIs.append(media.uri)
                mediaTypes.append(media.contentType)
                mediaTitles.append(media.title)
            }
        }
        return [
            PGTextArray(messages.map(\.ordinal)).pgValue,
            PGTextArray(messages.map { $0.message.channel }).pgValue,
            PGTextArray(messages.map { $0.message.fromNumber }).pgValue,
            PGTextArray(messages.map { $0.message.fromName }).pgValue,
            PGTextArray(messages.map { $0.message.toNumber }).pgValue,
            PGTextArray(messages.map { $0.message.text }).pgValue,
            PGTextArray(messages.map { $0.message.reference }).pgValue,
            PGTextArray(messages.map { PGTextArray($0.message.groupings).literal }).pgValue,
            PGTextArray(messages.map { $0.message.timeUtc.map(CMTimestamp.format) }).pgValue,
            PGTextArray(messages.map { $0.message.timeUtcRaw }).pgValue,
            PGTextArray(messages.map { $0.message.localTimeRaw }).pgValue,
            PGTextArray(messages.map { $0.message.messageContext }).pgValue,
            PGTextArray(messages.map { $0.message.customJSON }).pgValue,
            PGTextArray(mediaOrdinals).pgValue,
            PGTextArray(mediaPositions).pgValue,
            PGTextArray(mediaURIs).pgValue,
            PGTextArray(mediaTypes).pgValue,
            PGTextArray(mediaTitles).pgValue,
            PGTextArray(messages.map { $0.message.form.rawValue }).pgValue,
            PGTextArray(messages.map { $0.message.gatewayMessageID }).pgValue,
            PGTextArray(messages.map { $0.message.operatorCode }).pgValue,
        ]
    }

    /// Every status report of every distinct request, flattened with its request ordinal and position.
    private var statusReportRows: [(ordinal: String, position: String, report: StatusReport)] {
        let reportsByRequest = payloads { payload -> [StatusReport]? in
            if case .statusReports(let reports) = payload { return reports }
            return nil
        }
        return reportsByRequest.flatMap { request in
            request.payload.enumerated().map { (ordinal: request.ordinal, position: String($0.offset), report: $0.element) }
        }
    }

    /// $64–$66: the status report columns added after the statement's first version, row for row with $31–$46.
    private var laterStatusReportBinds: [PGValue] {
        let rows = statusReportRows
        return [
            PGTextArray(rows.map { $0.report.sendRaw }).pgValue,
            PGTextArray(rows.map { $0.report.send.map(CMTimestamp.format) }).pgValue,
            PGTextArray(rows.map { $0.report.statusDescription }).pgValue,
        ]
    }

    /// $31–$46: every status report of every distinct request, flattened with its request ordinal and position.
    private var statusReportBinds: [PGValue] {
        let rows = statusReportRows
        return [
            PGTextArray(rows.map(\.ordinal)).pgValue,
            PGTextArray(rows.map(\.position)).pgValue,
            PGTextArray(rows.map { $0.report.form.rawValue }).pgValue,
            PGTextArray(rows.map { $0.report.reference }).pgValue,
            PGTextArray(rows.map { $0.report.recipient }).pgValue,
            PGTextArray(rows.map { $0.report.codeRaw }).pgValue,
            PGTextArray(rows.map { $0.report.status.rawValue }).pgValue,
            // error_code is an integer column: only values that fit it.
            PGTextArray(rows.map { $0.report.errorCode.flatMap { Int32(exactly: $0) }.map { String($0) } }).pgValue,
            PGTextArray(rows.map { $0.report.errorCodeRaw }).pgValue,
            PGTextArray(rows.map { $0.report.errorDescription }).pgValue,
            PGTextArray(rows.map { $0.report.operatorCode }).pgValue,
            PGTextArray(rows.map { $0.report.channel }).pgValue,
            PGTextArray(rows.map { PGTextArray($0.report.customGroupings).literal }).pgValue,
            PGTextArray(rows.map { $0.report.receivedRaw }).pgValue,
            PGTextArray(rows.map { $0.report.received.map(CMTimestamp.format) }).pgValue,
            PGTextArray(rows.map { $0.report.sentRaw }).pgValue,
        ]
    }

    /// $47–$58: the events among the distinct requests.
    private var eventBinds: [PGValue] {
        let events = payloads { payload -> InboundEvent? in
            if case .event(let event) = payload { return event }
            return nil
        }.map { (ordinal: $0.ordinal, event: $0.payload) }
        return [
            PGTextArray(events.map(\.ordinal)).pgValue,
            PGTextArray(events.map { $0.event.channel }).pgValue,
            PGTextArray(events.map { $0.event.type }).pgValue,
            PGTextArray(events.map { $0.event.fromNumber }).pgValue,
            PGTextArray(events.map { $0.event.toNumber }).pgValue,
            PGTextArray(events.map { $0.event.reference }).pgValue,
            PGTextArray(events.map { $0.event.messageContext }).pgValue,
            PGTextArray(events.map { PGTextArray($0.event.groupings).literal }).pgValue,
            PGTextArray(events.map { $0.event.timeUtc.map(CMTimestamp.format) }).pgValue,
            PGTextArray(events.map { $0.event.timeUtcRaw }).pgValue,
            PGTextArray(events.map { $0.event.customJSON }).pgValue,
            PGTextArray(events.map { $0.event.eventJSON }).pgValue,
        ]
    }
}

extension IngestBatch {
    /// $60–$63: the dispatch jobs of the distinct requests, flattened: request ordinal, item position, handler,
    /// max attempts. The statement enqueues those of new requests only.
    fileprivate var dispatchBinds: [PGValue] {
        var ordinals: [String?] = []
        var positions: [String?] = []
        var handlers: [String?] = []
        var maxAttempts: [String?] = []
        for (slot, request) in distinct.enumerated() {
            for dispatch in request.dispatches {
                ordinals.append(String(slot + 1))
                positions.append(String(dispatch.position))
                handlers.append(dispatch.handler)
                maxAttempts.append(String(dispatch.maxAttempts))
            }
        }
        return [PGTextArray(ordinals).pgValue, PGTextArray(positions).pgValue, PGTextArray(handlers).pgValue,
                PGTextArray(maxAttempts).pgValue]
    }

    /// The payloads `extract` recognizes among the distinct requests, each with its request's 1-based ordinal
    /// (the `ordinal` the batch statement joins on).
    fileprivate func payloads<Payload>(_ extract: (IngestPayload) -> Payload?) -> [(ordinal: String, payload: Payload)] {
        distinct.enumerated().compactMap { slot, request in
            extract(request.payload).map { (ordinal: String(slot + 1), payload: $0) }
        }
    }
}

private struct DeliveryKey: Hashable {
    var endpoint: String
    var method: String
    var body: [UInt8]

    /// The body is hashed as one block of bytes: the synthesized conformance fed the hasher a byte at a time,
    /// which showed in profiles of the listener threads.
    func hash(into hasher: inout Hasher) {
        hasher.combine(endpoint)
        hasher.combine(method)
        hasher.combine(body.count)
        body.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

extension IngestRequest {
    /// The outcome and reason the raw row is written with.
    var storedOutcome: (outcome: String, reason: String?) {
        switch payload {
        case .malformed(let why): return ("quarantined", why)
        case .probe: return ("probe", nil)
        default: return ("stored", nil)
        }
    }
}
