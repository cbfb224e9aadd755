import Testing
@testable import MOSystem

@Suite("KillSchedule: SIGTERM at the deadline, SIGKILL a grace period later")
struct KillScheduleTests {
    let start = ContinuousClock.now

    @Test("nothing is due before the deadline")
    func beforeDeadline() {
        var schedule = KillSchedule(start: start, timeout: .seconds(5), grace: .seconds(2))
        #expect(schedule.step(at: start) == nil)
        #expect(schedule.step(at: start + .milliseconds(4_999)) == nil)
        #expect(!schedule.timedOut)
        #expect(schedule.nextStepAt == start + .seconds(5))
    }

    @Test("SIGTERM is due at the deadline, once, and the run has timed out")
    func terminateAtDeadline() {
        var schedule = KillSchedule(start: start, timeout: .seconds(5), grace: .seconds(2))
        #expect(schedule.step(at: start + .seconds(5)) == .terminate)
        #expect(schedule.timedOut)
        #expect(schedule.step(at: start + .seconds(6)) == nil)
    }

    @Test("SIGKILL is due the grace period after SIGTERM was sent, once, then nothing more")
    func killAfterGrace() {
        var schedule = KillSchedule(start: start, timeout: .seconds(5), grace: .seconds(2))
        #expect(schedule.step(at: start + .seconds(5)) == .terminate)
        #expect(schedule.nextStepAt == start + .seconds(7))
        #expect(schedule.step(at: start + .milliseconds(6_999)) == nil)
        #expect(schedule.step(at: start + .seconds(7)) == .kill)
        #expect(schedule.nextStepAt == nil)
        #expect(schedule.step(at: start + .seconds(100)) == nil)
        #expect(schedule.timedOut)
    }

    @Test("a late look sends SIGTERM first and counts the grace from when it was sent")
    func lateLook() {
        var schedule = KillSchedule(start: start, timeout: .seconds(5), grace: .seconds(2))
        #expect(schedule.step(at: start + .seconds(30)) == .terminate)
        #expect(schedule.step(at: start + .seconds(31)) == nil)
        #expect(schedule.step(at: start + .seconds(32)) == .kill)
    }

    @Test("a zero or negative grace makes SIGKILL due together with SIGTERM", arguments: [Duration.zero, .seconds(-1)])
    func noGrace(grace: Duration) {
        var schedule = KillSchedule(start: start, timeout: .zero, grace: grace)
        #expect(schedule.step(at: start) == .terminate)
        #expect(schedule.step(at: start) == .kill)
    }

    @Test("a negative timeout is due at once")
    func negativeTimeout() {
        var schedule = KillSchedule(start: start, timeout: .seconds(-3), grace: .seconds(1))
        #expect(schedule.nextStepAt == start)
        #expect(schedule.step(at: start) == .terminate)
    }

    @Test("an absurdly long timeout or grace is cut to about 68 years instead of overflowing")
    func absurdDurations() {
        var schedule = KillSchedule(start: start, timeout: .seconds(Int64.max), grace: .seconds(Int64.max))
        #expect(schedule.deadline == start + KillSchedule.longest)
        #expect(schedule.grace == KillSchedule.longest)
        #expect(schedule.step(at: start + .seconds(3_600)) == nil)
    }

    @Test("a duration becomes poll milliseconds rounded up, never negative, capped at Int32.max", arguments: [
        (Duration.zero, Int32(0)), (.milliseconds(-5), 0), (.nanoseconds(1), 1), (.microseconds(999), 1),
        (.milliseconds(1), 1), (.microseconds(1_001), 2), (.milliseconds(50), 50), (.seconds(2), 2_000),
        (.seconds(2) + .nanoseconds(1), 2_001), (.seconds(3_000_000), .max), (.seconds(Int64.max), .max),
    ])
    func pollMilliseconds(duration: Duration, milliseconds: Int32) {
        #expect(duration.pollMilliseconds == milliseconds)
    }
}
