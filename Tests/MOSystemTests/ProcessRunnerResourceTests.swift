import Foundation
import Glibc
import Testing
@testable import MOSystem
import MOTestSupport

/// Many runs, and runs from many threads at once: every run gets its own pipes and nothing leaks.
@Suite("ProcessRunner under concurrency and repetition")
struct ProcessRunnerResourceTests {
    @Test("20 runs on 20 threads at once each get back exactly their own input and status")
    func concurrentRuns() {
        let results = onThreads(20) { index -> (ok: Bool, detail: String) in
            var random = SystemRandomNumberGenerator()
            let input = (0..<(10_000 + index * 7_919)).map { _ in UInt8.random(in: .min ... .max, using: &random) }
            let request = ProcessRequest(executable: "/bin/sh", arguments: ["-c", "cat; echo \"$RUN\" >&2; exit $RUN"],
                                         environment: ["RUN": "\(index)"], stdin: input, timeout: .seconds(30))
            do {
                let result = try ProcessRunner.run(request)
                let ok = result.stdout == input && text(result.stderr) == "\(index)\n"
                    && result.termination == .exited(Int32(index))
                return (ok, "run \(index): \(result.termination), \(result.stdout.count) bytes back")
            } catch {
                return (false, "run \(index): \(error)")
            }
        }
        for result in results where !result.ok {
            Issue.record("\(result.detail)")
        }
    }

    @Test("a child sees only fds 0, 1 and 2, even while other threads start programs")
    func childSeesOnlyStandardStreams() {
        let results = onThreads(12) { index -> String in
            // Half the threads keep programs with open pipes running; the others look at their own fds.
            let request = index % 2 == 0
                ? shell("sleep 0.3; cat", stdin: Array(repeating: 1, count: 100_000))
                : shell("sleep 0.1; ls /proc/$$/fd")
            let result = try? ProcessRunner.run(request)
            return index % 2 == 0 ? "" : text(result?.stdout ?? [])
        }
        for (index, listing) in results.enumerated() where index % 2 == 1 {
            #expect(listing.split(separator: "\n").sorted() == ["0", "1", "2"], "thread \(index): \(listing)")
        }
    }

    @Test("no pipe is left open after 400 runs, start failures and timeouts included")
    func noDescriptorLeak() throws {
        _ = try ProcessRunner.run(shell("echo warm"))
        let before = try openPipeCount()
        for index in 0..<400 {
            switch index % 4 {
            case 0: _ = try ProcessRunner.run(shell("echo out; echo err >&2", stdin: [1, 2, 3]))
            case 1: _ = try? ProcessRunner.run(ProcessRequest(executable: "/nonexistent/hook", timeout: .seconds(5)))
            case 2: _ = try ProcessRunner.run(shell("exit 1", stdin: Array(repeating: 0, count: 200_000)))
            default: _ = try ProcessRunner.run(shell("sleep 5", timeout: .milliseconds(1)))
            }
        }
        // The runner's descriptors are all pipes, so only pipes are counted. A leak of one per run on any one path
        // would add 100; tests running in parallel in this process may hold a few pipes of their own, for a while.
        var after = try openPipeCount()
        for _ in 0..<10 where after - before >= 30 {
            usleep(500_000)
            after = try openPipeCount()
        }
        #expect(after - before < 30, "\(before) pipes open before, \(after) after")
    }
}
