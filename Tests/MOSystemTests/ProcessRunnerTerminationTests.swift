import Foundation
import Glibc
import Testing
@testable import MOSystem
import MOTestSupport

/// Real programs that die, hang, ignore SIGTERM or leave children behind.
@Suite("ProcessRunner timeouts, signals and process groups")
struct ProcessRunnerTerminationTests {
    @Test("a program killed by a signal is reported as signaled with that signal",
          arguments: [SIGKILL, SIGTERM, SIGUSR1] as [Int32])
    func signaled(signal: Int32) throws {
        let result = try ProcessRunner.run(shell("kill -\(signal) $$; sleep 5"))
        #expect(result.termination == .signaled(signal))
    }

    @Test("a program past its timeout gets SIGTERM and is reported as timed out, promptly")
    func timeout() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try ProcessRunner.run(ProcessRequest(executable: "/bin/sleep", arguments: ["30"],
                                                          timeout: .milliseconds(300), killGrace: .seconds(5)))
        let elapsed = clock.now - start
        #expect(result.termination == .timedOut)
        #expect(elapsed >= .milliseconds(300))
        // sleep dies of SIGTERM at once; the grace period is not waited out.
        #expect(elapsed < .milliseconds(300) + .seconds(1))
        #expect(result.duration <= elapsed)
    }

    @Test("a program that ignores SIGTERM gets SIGKILL once the grace period is over")
    func ignoresTerm() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try ProcessRunner.run(shell("trap '' TERM; echo started; sleep 30",
                                                 timeout: .milliseconds(300), killGrace: .milliseconds(500)))
        let elapsed = clock.now - start
        #expect(result.termination == .timedOut)
        #expect(text(result.stdout) == "started\n")
        #expect(elapsed >= .milliseconds(800))
        #expect(elapsed < .milliseconds(800) + .seconds(1))
    }

    @Test("at the timeout the whole process group ends, grandchildren included")
    func groupIsEnded() throws {
        let result = try ProcessRunner.run(shell("sleep 30 & echo $!; wait", timeout: .milliseconds(300)))
        #expect(result.termination == .timedOut)
        let grandchild = try #require(firstLinePID(result.stdout))
        #expect(processEnds(grandchild))
    }

    @Test("a background grandchild holding stdout open does not hold up a program that exited")
    func grandchildHoldsStdout() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try ProcessRunner.run(shell("sleep 5 & echo $!; echo done", timeout: .seconds(10)))
        let elapsed = clock.now - start
        #expect(result.termination == .exited(0))
        #expect(elapsed < .seconds(2))
        let lines = text(result.stdout).split(separator: "\n")
        #expect(lines.last == "done")
        if let grandchild = firstLinePID(result.stdout) { kill(grandchild, SIGKILL) }
    }

    @Test("a grandchild that left the process group and holds stdout does not hold up a timed-out run")
    func escapedGrandchild() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try ProcessRunner.run(shell("setsid sleep 5 & echo $!; sleep 30",
                                                 timeout: .milliseconds(300), killGrace: .milliseconds(500)))
        let elapsed = clock.now - start
        #expect(result.termination == .timedOut)
        #expect(elapsed < .milliseconds(800) + .seconds(1))
        if let grandchild = firstLinePID(result.stdout) { kill(grandchild, SIGKILL) }
    }

    @Test("a program that closed its stdout and stderr still times out")
    func closedOutputsStillTimeOut() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try ProcessRunner.run(shell("exec >&- 2>&-; sleep 30", timeout: .milliseconds(300)))
        #expect(result.termination == .timedOut)
        #expect(clock.now - start < .milliseconds(300) + .seconds(1))
    }

    @Test("a program that closed its stdout and stderr is still waited for and its status reported")
    func closedOutputsStillWaitedFor() throws {
        let result = try ProcessRunner.run(shell("exec >&- 2>&-; sleep 0.3; exit 4"))
        #expect(result.termination == .exited(4))
        #expect(result.duration >= .milliseconds(300))
    }

    @Test("a program finishing well within its timeout is not reported as timed out")
    func finishesInTime() throws {
        let result = try ProcessRunner.run(shell("sleep 0.1; echo ok", timeout: .seconds(3)))
        #expect(result.termination == .exited(0))
        #expect(text(result.stdout) == "ok\n")
    }

    @Test("the child starts with no blocked and no ignored signals, even when the caller's thread blocks them")
    func cleanSignalState() throws {
        // The daemon blocks SIGTERM and SIGINT on every thread; an ignored disposition would also pass exec.
        let previous = signal(SIGUSR2, SIG_IGN)
        defer { signal(SIGUSR2, previous) }
        let status = onThreads(1) { _ -> String in
            var blocked = sigset_t()
            sigemptyset(&blocked)
            for blockedSignal in [SIGTERM, SIGINT, SIGHUP, SIGUSR1] { sigaddset(&blocked, blockedSignal) }
            pthread_sigmask(SIG_BLOCK, &blocked, nil)
            let result = try? ProcessRunner.run(ProcessRequest(executable: "/bin/cat", arguments: ["/proc/self/status"],
                                                               timeout: .seconds(5)))
            return text(result?.stdout ?? [])
        }[0]
        let lines = status.split(separator: "\n")
        #expect(lines.contains("SigBlk:\t0000000000000000"))
        #expect(lines.contains("SigIgn:\t0000000000000000"))
    }

    @Test("the child leads a process group of its own")
    func ownProcessGroup() throws {
        // Field 5 of /proc/self/stat is the process group id, field 1 the pid: a group leader has them equal.
        let result = try ProcessRunner.run(ProcessRequest(executable: "/bin/cat", arguments: ["/proc/self/stat"],
                                                          timeout: .seconds(5)))
        let stat = text(result.stdout)
        let close = try #require(stat.lastIndex(of: ")"))
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        let pid = stat.split(separator: " ").first.map(String.init)
        #expect(fields.count > 3)
        #expect(pid == String(fields[2]))
        #expect(String(fields[2]) != String(getpgrp()))
    }
}
