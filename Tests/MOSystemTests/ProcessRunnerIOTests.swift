import Foundation
import Glibc
import Testing
@testable import MOSystem

/// Real programs: what goes in on stdin and comes out on stdout and stderr, the exit status, the environment.
@Suite("ProcessRunner input and output")
struct ProcessRunnerIOTests {
    @Test("stdin comes back from cat byte for byte, NUL and every other byte value included")
    func catEchoesEveryByte() throws {
        let input = (0..<4).flatMap { _ in (0...255).map(UInt8.init) }
        let result = try ProcessRunner.run(ProcessRequest(executable: "/bin/cat", stdin: input, timeout: .seconds(10)))
        #expect(result.termination == .exited(0))
        #expect(result.stdout == input)
        #expect(result.stderr.isEmpty)
        #expect(!result.stdoutTruncated && !result.stderrTruncated)
    }

    @Test("1 MiB of stdin, far more than a pipe holds, comes back from cat intact")
    func catEchoesOneMebibyte() throws {
        var random = SystemRandomNumberGenerator()
        let input = (0..<(1 << 20)).map { _ in UInt8.random(in: .min ... .max, using: &random) }
        let result = try ProcessRunner.run(ProcessRequest(executable: "/bin/cat", stdin: input, timeout: .seconds(20),
                                                          maxOutputBytes: 2 << 20))
        #expect(result.termination == .exited(0))
        #expect(result.stdout.count == input.count)
        #expect(result.stdout == input)
    }

    @Test("empty stdin is an immediate end-of-file for the program")
    func emptyStdin() throws {
        let result = try ProcessRunner.run(ProcessRequest(executable: "/bin/cat", timeout: .seconds(5)))
        #expect(result.termination == .exited(0))
        #expect(result.stdout.isEmpty)
        #expect(result.duration < .seconds(2))
    }

    @Test("stdout and stderr are captured separately")
    func separateStreams() throws {
        let result = try ProcessRunner.run(shell("echo out; echo err >&2; echo more out; echo more err >&2"))
        #expect(text(result.stdout) == "out\nmore out\n")
        #expect(text(result.stderr) == "err\nmore err\n")
    }

    @Test("the exit status is reported", arguments: [0, 1, 75, 255] as [Int32])
    func exitStatus(status: Int32) throws {
        let result = try ProcessRunner.run(shell("exit \(status)"))
        #expect(result.termination == .exited(status))
    }

    @Test("the environment is exactly the request's, nothing inherited")
    func exactEnvironment() throws {
        let environment = ["GREETING": "hello world", "EMPTY": "", "QUOTED": "a'b\"c", "UNICODE": "zoë"]
        let result = try ProcessRunner.run(ProcessRequest(executable: "/usr/bin/env", environment: environment,
                                                          timeout: .seconds(5)))
        #expect(result.termination == .exited(0))
        #expect(text(result.stdout) == "EMPTY=\nGREETING=hello world\nQUOTED=a'b\"c\nUNICODE=zoë\n")
    }

    @Test("an empty environment gives the program no variables at all")
    func emptyEnvironment() throws {
        let result = try ProcessRunner.run(ProcessRequest(executable: "/usr/bin/env", timeout: .seconds(5)))
        #expect(result.termination == .exited(0))
        #expect(result.stdout.isEmpty)
    }

    @Test("arguments arrive one by one, unchanged: spaces, quotes, empty strings, no shell expansion")
    func argumentsUnchanged() throws {
        let arguments = ["a b", "'single'", "\"double\"", "", "$HOME", "*", "zoë"]
        let result = try ProcessRunner.run(ProcessRequest(
            executable: "/bin/sh", arguments: ["-c", "for a in \"$@\"; do printf '[%s]\\n' \"$a\"; done", "sh"] + arguments,
            timeout: .seconds(5)))
        #expect(text(result.stdout) == arguments.map { "[\($0)]\n" }.joined())
    }

    @Test("the program starts in the working directory given")
    func workingDirectory() throws {
        let result = try ProcessRunner.run(ProcessRequest(executable: "/bin/pwd", timeout: .seconds(5),
                                                          workingDirectory: "/usr/share"))
        #expect(text(result.stdout) == "/usr/share\n")
    }

    @Test("output over maxOutputBytes is cut there and flagged, and the program still finishes normally")
    func truncation() throws {
        let result = try ProcessRunner.run(shell("head -c 300000 /dev/zero; head -c 5000 /dev/zero | tr '\\0' e >&2",
                                                 maxOutputBytes: 1_000))
        #expect(result.termination == .exited(0))
        #expect(result.stdout == [UInt8](repeating: 0, count: 1_000))
        #expect(result.stdoutTruncated)
        #expect(result.stderr == [UInt8](repeating: UInt8(ascii: "e"), count: 1_000))
        #expect(result.stderrTruncated)
    }

    @Test("output of exactly maxOutputBytes is kept whole and not flagged")
    func exactlyTheLimit() throws {
        let result = try ProcessRunner.run(shell("printf 12345; printf abc >&2", maxOutputBytes: 5))
        #expect(text(result.stdout) == "12345")
        #expect(!result.stdoutTruncated)
        #expect(text(result.stderr) == "abc")
        #expect(!result.stderrTruncated)
    }

    @Test("a program that exits without reading its stdin is not an error and does not hurt the caller")
    func exitWithoutReading() throws {
        let input = [UInt8](repeating: 0x41, count: 1 << 20)
        var maskBefore = sigset_t()
        pthread_sigmask(SIG_BLOCK, nil, &maskBefore)
        for _ in 0..<5 {
            let result = try ProcessRunner.run(shell("exit 3", stdin: input))
            #expect(result.termination == .exited(3))
        }
        // Had a SIGPIPE escaped, this process would be dead; the caller's signal mask is as it was.
        var maskAfter = sigset_t()
        pthread_sigmask(SIG_BLOCK, nil, &maskAfter)
        #expect(sigismember(&maskAfter, SIGPIPE) == sigismember(&maskBefore, SIGPIPE))
        var pending = sigset_t()
        sigpending(&pending)
        #expect(sigismember(&pending, SIGPIPE) == 0)
    }

    @Test("a program that closes stdin early and goes on is fed no more and finishes normally")
    func closesStdinEarly() throws {
        let input = [UInt8](repeating: 0x41, count: 1 << 20)
        let result = try ProcessRunner.run(shell("exec 0<&-; sleep 0.2; echo done", stdin: input))
        #expect(result.termination == .exited(0))
        #expect(text(result.stdout) == "done\n")
    }

    @Test("a program that reads only part of its stdin before exiting still has its output captured")
    func readsPartOfStdin() throws {
        let input = Array("first line\n".utf8) + [UInt8](repeating: 0x42, count: 1 << 20)
        let result = try ProcessRunner.run(shell("head -n 1", stdin: input))
        #expect(result.termination == .exited(0))
        #expect(text(result.stdout) == "first line\n")
    }
}
