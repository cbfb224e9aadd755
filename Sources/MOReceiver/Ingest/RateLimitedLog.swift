import Synchronization

/// Lets a log line through at most once per interval and counts what it suppressed in between, so a flood of
/// refused requests cannot flood the journal. Any thread.
final class RateLimitedLog: Sendable {
    private struct State {
        var last: ContinuousClock.Instant?
        var suppressed = 0
    }

    private let interval: Duration
    private let state = Mutex(State())

    init(interval: Duration) {
        self.interval = interval
    }

    /// Runs `body` with the number of events suppressed since the last run, or counts this one as suppressed.
    func run(_ body: (Int) -> Void) {
        let now = ContinuousClock.now
        let suppressed: Int? = state.withLock { state in
            if let last = state.last, now < last.advanced(by: interval) {
                state.suppressed += 1
                return nil
            }
            defer { state.suppressed = 0 }
            state.last = now
            return state.suppressed
        }
        if let suppressed { body(suppressed) }
    }
}
