/// How long a failed job waits before its next attempt: attempt⁴ seconds, capped, with ±10% jitter so jobs that
/// failed together (an outage) do not come back together. Pure.
public struct Backoff: Sendable, Equatable {
    public var maxDelay: Duration

    public init(maxDelay: Duration = .seconds(86_400)) {
        self.maxDelay = maxDelay
    }

    /// The delay after failed attempt `attempt` (1-based). `jitter` is a number in 0..<1 (random in production).
    public func delay(afterAttempt attempt: Int, jitter: Double) -> Duration {
        let base = min(pow4(max(1, attempt)), Double(maxDelay.components.seconds))
        let factor = 0.9 + 0.2 * min(max(jitter, 0), 1)
        return .milliseconds(Int64((base * factor * 1000).rounded()))
    }

    private func pow4(_ attempt: Int) -> Double {
        let value = Double(attempt)
        return value * value * value * value
    }
}
