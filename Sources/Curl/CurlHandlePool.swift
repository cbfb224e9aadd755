import Synchronization

/// Curl handles for the worker threads: one is borrowed for a request and returned after, so connections are
/// reused without sharing a handle between threads.
public final class CurlHandlePool: Sendable {
    /// An idle handle: no thread uses it while it is parked here, so it may pass to whichever thread takes it.
    private struct Parked: @unchecked Sendable {
        let curl: CurlEasy
    }

    private let idle = Mutex<[Parked]>([])

    public init() {}

    /// Lends `body` an idle handle (a new one when none is idle) and parks it again afterwards, thrown or not.
    public func with<T>(_ body: (CurlEasy) throws(CurlError) -> T) throws(CurlError) -> T {
        let curl: CurlEasy
        if let parked = idle.withLock({ $0.popLast() }) { curl = parked.curl } else { curl = try CurlEasy() }
        defer { idle.withLock { $0.append(Parked(curl: curl)) } }
        return try body(curl)
    }
}
