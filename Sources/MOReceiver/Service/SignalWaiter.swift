import Glibc

/// Blocks the given signals in the calling thread (so every thread started afterwards inherits the mask) and waits
/// for them synchronously in one place. Create it on the main thread before starting any other thread.
public struct SignalWaiter: Sendable {
    private let signals: [Int32]

    public init(blocking signals: [Int32]) {
        self.signals = signals
        signal(SIGPIPE, SIG_IGN)
        var set = sigset_t()
        sigemptyset(&set)
        for number in signals { sigaddset(&set, number) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Waits for one of the signals and returns its number.
    public func wait() -> Int32 {
        var set = sigset_t()
        sigemptyset(&set)
        for number in signals { sigaddset(&set, number) }
        var received: Int32 = 0
        while sigwait(&set, &received) != 0 {}
        return received
    }
}
