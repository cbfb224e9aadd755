/// When a program that outlives its timeout is ended: SIGTERM to its process group at the deadline, SIGKILL to the
/// group `grace` after that SIGTERM was sent.
///
/// A value owned by one `ProcessRunner.run` call on its thread. Pure: the caller passes the time, so the schedule
/// is tested without processes or clocks.
struct KillSchedule: Equatable {
    /// What to send to the process group now.
    enum Step: Equatable {
        case terminate
        case kill
    }

    enum Phase: Equatable {
        /// Before the deadline.
        case running
        /// SIGTERM was sent at `since`.
        case terminating(since: ContinuousClock.Instant)
        /// SIGKILL was sent: nothing more to do.
        case killed
    }

    let deadline: ContinuousClock.Instant
    let grace: Duration
    private(set) var phase: Phase = .running

    /// The longest timeout or grace period honoured (about 68 years): longer ones are cut to it, so adding them to
    /// an instant cannot overflow.
    static let longest = Duration.seconds(Int64(Int32.max))

    /// A schedule whose deadline is `timeout` after `start`. Negative durations count as zero.
    init(start: ContinuousClock.Instant, timeout: Duration, grace: Duration) {
        self.deadline = start + min(max(timeout, .zero), Self.longest)
        self.grace = min(max(grace, .zero), Self.longest)
    }

    /// The deadline passed while the program ran (SIGTERM was sent).
    var timedOut: Bool { phase != .running }

    /// When `step(at:)` next has something to return; `nil` once SIGKILL was sent.
    var nextStepAt: ContinuousClock.Instant? {
        switch phase {
        case .running: deadline
        case .terminating(let since): since + grace
        case .killed: nil
        }
    }

    /// The step due at `now`, if any; each step is returned once, SIGTERM always before SIGKILL.
    mutating func step(at now: ContinuousClock.Instant) -> Step? {
        guard let due = nextStepAt, now >= due else { return nil }
        switch phase {
        case .running:
            phase = .terminating(since: now)
            return .terminate
        case .terminating:
            phase = .killed
            return .kill
        case .killed:
            return nil
        }
    }
}

extension Duration {
    /// This duration as a `poll(2)` timeout: whole milliseconds rounded up (so poll never wakes before the
    /// instant it waits for), 0 for a duration that is zero or negative, at most `Int32.max`.
    var pollMilliseconds: Int32 {
        guard self > .zero else { return 0 }
        let (seconds, attoseconds) = components
        let maximumSeconds = Int64(Int32.max / 1000)
        guard seconds < maximumSeconds else { return .max }
        let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
        let milliseconds = seconds * 1000 + (attoseconds + attosecondsPerMillisecond - 1) / attosecondsPerMillisecond
        return Int32(min(milliseconds, Int64(Int32.max)))
    }
}
