import CMWebhook
import LibPQ

/// A batch of requests as ``IngestBatchStatement`` stores it: identical deliveries folded into one row with a copy
/// count. Pure value; built and used on the writer thread.
struct IngestBatch: Sendable {
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

    /// The payloads `extract` recognizes among the distinct requests, each with its request's 1-based ordinal
    /// (the `ordinal` the batch statement joins on).
    func payloads<Payload>(_ extract: (IngestPayload) -> Payload?) -> [(ordinal: String, payload: Payload)] {
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
