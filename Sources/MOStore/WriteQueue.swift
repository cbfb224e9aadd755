import MOSystem

/// The writers' inbox: requests waiting for a batch, and each writer's batch in flight (so the reaper can answer
/// both).
/// Guarded by one condition variable; used from any thread.
final class WriteQueue: @unchecked Sendable {
    private let condition = ThreadCondition()
    private var waiting: [PendingWrite] = []
    private var inFlight: [Int: [PendingWrite]] = [:]
    private var closed = false

    /// False when the queue is closed.
    func append(_ pending: PendingWrite) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return false }
        waiting.append(pending)
        condition.signal()
        return true
    }

    /// Blocks until there is work, then takes the next batch (it becomes the batch in flight). Returns [] once the
    /// queue is closed and empty. Requests already answered (by the reaper) are dropped here.
    func nextBatch(writer: Int, maxItems: Int, maxBytes: Int) -> [PendingWrite] {
        condition.lock()
        defer { condition.unlock() }
        inFlight[writer] = nil
        while true {
            waiting.removeAll { $0.isAnswered }
            if !waiting.isEmpty { break }
            if closed { return [] }
            condition.wait()
        }
        var bytes = 0
        var count = 0
        for pending in waiting {
            if count >= maxItems { break }
            if count > 0 && bytes + pending.request.body.count > maxBytes { break }
            bytes += pending.request.body.count
            count += 1
        }
        let batch = Array(waiting.prefix(count))
        inFlight[writer] = batch
        waiting.removeFirst(count)
        return batch
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Requests past their deadline, and whether the queue is closed and drained (the reaper may stop).
    func takeExpired(now: ContinuousClock.Instant) -> ([PendingWrite], Bool) {
        condition.lock()
        defer { condition.unlock() }
        let expired = (waiting + inFlight.values.joined()).filter { !$0.isAnswered && $0.deadline <= now }
        return (expired, closed && waiting.isEmpty && inFlight.isEmpty)
    }

    func finishBatch(writer: Int) {
        condition.lock()
        inFlight[writer] = nil
        condition.unlock()
    }

    func failAll(reason: String) {
        condition.lock()
        let all = waiting + inFlight.values.joined()
        waiting = []
        inFlight = [:]
        condition.unlock()
        for pending in all { pending.complete(.unavailable(reason: reason)) }
    }
}
