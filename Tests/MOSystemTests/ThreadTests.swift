import Glibc
import Synchronization
import Testing
@testable import MOSystem

/// The calling thread's name as the kernel has it.
private func currentThreadName() -> String {
    guard let file = fopen("/proc/thread-self/comm", "r") else { return "?" }
    defer { fclose(file) }
    var buffer = [CChar](repeating: 0, count: 64)
    guard fgets(&buffer, Int32(buffer.count), file) != nil else { return "?" }
    let bytes = buffer.prefix { $0 != 0 && $0 != 0x0A }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}

/// What a thread hands back to the test that started it.
private final class Handover<Value: Sendable>: Sendable {
    let value = Mutex<Value?>(nil)
}

/// Runs `body` on a detached thread named `name` and waits (up to 5 s) for it to finish.
private func onThread<Result: Sendable>(named name: String, _ body: @escaping @Sendable () -> Result) -> Result? {
    let done = ThreadCondition()
    let result = Handover<Result>()
    done.lock()
    SystemThread.detach(name: name) {
        let value = body()
        done.lock()
        result.value.withLock { $0 = value }
        done.signal()
        done.unlock()
    }
    let deadline = ContinuousClock.now + .seconds(5)
    while result.value.withLock({ $0 == nil }) && done.wait(until: deadline) {}
    done.unlock()
    return result.value.withLock { $0 }
}

/// A flag two threads share.
private final class Flag: Sendable {
    let value = Atomic(false)
}

@Suite("SystemThread and ThreadCondition: threads, sleeps and waits without Foundation")
struct ThreadTests {
    @Test("a detached thread runs its body once, under its name, on another thread")
    func detachedThreadRuns() {
        let caller = pthread_self()
        let seen = onThread(named: "mo-test-thread") { (currentThreadName(), pthread_equal(pthread_self(), caller) != 0) }
        #expect(seen?.0 == "mo-test-thread")
        #expect(seen?.1 == false)
    }

    @Test("a name longer than the kernel keeps is cut to its first 15 bytes, not dropped")
    func longNameIsCut() {
        #expect(onThread(named: "mo-queue-maintenance") { currentThreadName() } == "mo-queue-mainte")
    }

    @Test("sleep lasts at least its duration")
    func sleepLasts() {
        let clock = ContinuousClock()
        let elapsed = clock.measure { SystemThread.sleep(for: .milliseconds(30)) }
        #expect(elapsed >= .milliseconds(30))
        #expect(clock.measure { SystemThread.sleep(for: .zero) } < .milliseconds(30))
    }

    @Test("a timed wait nobody signals gives up at its deadline and says so")
    func waitTimesOut() {
        let condition = ThreadCondition()
        let start = ContinuousClock.now
        condition.lock()
        var signalled = true
        while signalled && ContinuousClock.now < start + .milliseconds(50) {
            signalled = condition.wait(until: start + .milliseconds(50))
        }
        condition.unlock()
        #expect(!signalled)
        #expect(ContinuousClock.now - start >= .milliseconds(50))
        condition.lock()
        #expect(!condition.wait(until: start))  // a deadline already past returns at once
        condition.unlock()
    }

    @Test("a signal wakes a waiter long before its deadline")
    func signalWakes() {
        let condition = ThreadCondition()
        let flag = Flag()
        let start = ContinuousClock.now
        condition.lock()
        SystemThread.detach(name: "mo-test-signal") {
            SystemThread.sleep(for: .milliseconds(20))
            condition.lock()
            flag.value.store(true, ordering: .relaxed)
            condition.broadcast()
            condition.unlock()
        }
        while !flag.value.load(ordering: .relaxed) {
            if !condition.wait(until: start + .seconds(10)) { break }
        }
        condition.unlock()
        let raised = flag.value.load(ordering: .relaxed)
        #expect(raised)
        #expect(ContinuousClock.now - start < .seconds(5))
    }
}
