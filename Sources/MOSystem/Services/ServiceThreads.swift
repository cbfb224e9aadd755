/// The dedicated threads a service runs its loops on: each started by name (`mo-…`, shown by `top -H`), each
/// counted until its body returns, so the service's `stop` can wait for them with a deadline.
///
/// Owned by one service; `spawn` and `join` from its controlling thread, the bodies on their own threads.
public final class ServiceThreads: @unchecked Sendable {
    private let condition = ThreadCondition()
    /// Threads spawned and not yet finished; guarded by `condition`.
    private var live = 0

    public init() {}

    /// Starts a thread named `name` that runs `body` once; `join` waits for it.
    public func spawn(name: String, _ body: @escaping @Sendable () -> Void) {
        condition.lock()
        live += 1
        condition.unlock()
        SystemThread.detach(name: name) { [self] in
            body()
            condition.lock()
            live -= 1
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Waits until every spawned thread finished, or `deadline`: true when they all did.
    @discardableResult
    public func join(until deadline: ContinuousClock.Instant) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while live > 0 {
            if !condition.wait(until: deadline) { return live == 0 }
        }
        return true
    }
}
