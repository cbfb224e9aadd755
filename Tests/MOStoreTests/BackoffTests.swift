import MOStore
import Testing

@Suite("Backoff")
struct BackoffTests {
    @Test("attempt to the fourth power in seconds, within ±10% jitter", arguments: [1, 2, 3, 5, 10])
    func fourthPower(attempt: Int) {
        let base = Double(attempt * attempt * attempt * attempt)
        let backoff = Backoff(maxDelay: .seconds(1_000_000))
        let low = backoff.delay(afterAttempt: attempt, jitter: 0)
        let high = backoff.delay(afterAttempt: attempt, jitter: 0.999_999)
        #expect(low == .milliseconds(Int64(base * 900)))
        #expect(abs(Double(high / .milliseconds(1)) - base * 1100) < 5)
    }

    @Test("capped at the maximum delay (plus jitter)")
    func capped() {
        let backoff = Backoff(maxDelay: .seconds(3_600))
        #expect(backoff.delay(afterAttempt: 25, jitter: 0.5) == .seconds(3_600))
    }
}
