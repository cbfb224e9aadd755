import MOSystem
import Synchronization

/// Wakes an idle worker of one pool when new jobs may be claimable: a generation counter under a condition
/// variable, so a signal that arrives between a worker's claim and its wait is never lost. A signal wakes one
/// waiting worker (a commit would otherwise send every idle worker to the database); a worker that finds the queue
/// deep wakes the next. Any thread.
final class JobWakeup: @unchecked Sendable {
    private let condition = ThreadCondition()
    private var generation: UInt64 = 0
    private var stopped = false

    /// The current generation: read before claiming, then pass it to `wait`.
    var current: UInt64 {
        condition.lock()
        defer { condition.unlock() }
        return generation
    }

    func signal() {
        condition.lock()
        generation &+= 1
        condition.signal()
        condition.unlock()
    }

    /// Waits until a signal newer than `seen`, `stop`, or `timeout`.
    func wait(after seen: UInt64, timeout: Duration) {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        condition.lock()
        while generation == seen && !stopped {
            if !condition.wait(until: deadline) { break }
        }
        condition.unlock()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    var isStopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopped
    }
}

/// The jobs this daemon is running now, for the heartbeat that renews their leases. Any thread.
final class RunningJobs: Sendable {
    private let ids = Mutex<Set<Int64>>([])

    func insert(_ id: Int64) {
        ids.withLock { _ = $0.insert(id) }
    }

    func remove(_ id: Int64) {
        ids.withLock { _ = $0.remove(id) }
    }

    var snapshot: [Int64] {
        ids.withLock { Array($0) }
    }
}
