import Foundation
import Glibc
import Testing
@testable import MOSystem

/// Programs that cannot be started: nothing runs, and the error says why in one line.
@Suite("ProcessRunner start failures")
struct ProcessRunnerErrorTests {
    private func startError(_ request: ProcessRequest) -> ProcessError? {
        do {
            _ = try ProcessRunner.run(request)
            return nil
        } catch {
            return error
        }
    }

    @Test("a program that does not exist is a ProcessError naming it and the system's reason")
    func missingProgram() throws {
        let error = try #require(startError(ProcessRequest(executable: "/nonexistent/hook", timeout: .seconds(5))))
        #expect(error.reason == .spawnFailed(errno: ENOENT))
        #expect(error.description == "cannot start /nonexistent/hook: No such file or directory")
    }

    @Test("a file that is not executable, or a directory, is a ProcessError with Permission denied")
    func notExecutable() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-executable-\(getpid())").path
        try Data("#!/bin/sh\necho hi\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        chmod(path, 0o644)
        for program in [path, "/usr"] {
            let error = try #require(startError(ProcessRequest(executable: program, timeout: .seconds(5))))
            #expect(error.reason == .spawnFailed(errno: EACCES))
            #expect(error.description == "cannot start \(program): Permission denied")
        }
    }

    @Test("a relative program path is refused: there is no PATH search", arguments: ["cat", "bin/cat", "./cat", ""])
    func relativePath(program: String) throws {
        let error = try #require(startError(ProcessRequest(executable: program, timeout: .seconds(5))))
        #expect(error.reason == .notAbsolutePath)
    }

    @Test("a NUL byte in an argument is refused, naming the argument's position, not its value")
    func nulInArgument() throws {
        let error = try #require(startError(ProcessRequest(executable: "/bin/echo", arguments: ["fine", "sec\u{0}ret"],
                                                           timeout: .seconds(5))))
        #expect(error.reason == .nulInArgument(index: 2))
        #expect(!error.description.contains("sec"))
    }

    @Test("an environment name that is empty or holds '=' or NUL is refused", arguments: ["", "A=B", "A\u{0}B"])
    func invalidEnvironmentName(name: String) throws {
        let error = try #require(startError(ProcessRequest(executable: "/usr/bin/env", environment: [name: "x"],
                                                           timeout: .seconds(5))))
        #expect(error.reason == .invalidEnvironmentName(name))
    }

    @Test("a NUL byte in an environment value is refused, naming the variable, not the value")
    func nulInEnvironmentValue() throws {
        let error = try #require(startError(ProcessRequest(executable: "/usr/bin/env",
                                                           environment: ["TOKEN": "sec\u{0}ret"], timeout: .seconds(5))))
        #expect(error.reason == .nulInEnvironmentValue(name: "TOKEN"))
        #expect(!error.description.contains("sec"))
    }

    @Test("a working directory that does not exist is a ProcessError naming it")
    func missingWorkingDirectory() throws {
        let error = try #require(startError(ProcessRequest(executable: "/bin/pwd", timeout: .seconds(5),
                                                           workingDirectory: "/nonexistent/dir")))
        #expect(error.reason == .spawnFailed(errno: ENOENT))
        #expect(error.description == "cannot start /bin/pwd in /nonexistent/dir: No such file or directory")
    }
}
