import Foundation

/// Runs `body(index)` for every index on its own new thread, all at once (as the daemon's workers do), and returns
/// the results in index order.
public func onThreads<Result: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> Result) -> [Result] {
    let results = Locked<[Result?]>(Array(repeating: nil, count: count))
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        Thread {
            let result = body(index)
            results.update { $0[index] = result }
            group.leave()
        }.start()
    }
    group.wait()
    return results.value.map { $0! }
}

/// A value behind a lock, for collecting results from threads.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    public init(_ value: Value) {
        stored = value
    }

    public var value: Value { lock.withLock { stored } }

    public func update(_ body: (inout Value) -> Void) {
        lock.withLock { body(&stored) }
    }
}
