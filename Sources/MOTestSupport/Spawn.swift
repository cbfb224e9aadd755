import Foundation
import Glibc

/// Runs a program and waits for it with waitpid. Output goes to a file, not a pipe: `pg_ctl start` leaves a server
/// running that would inherit a pipe and keep it open (Foundation's Process also failed to reap `runuser` here).
/// Returns the exit status and what the program printed.
func spawnAndWait(_ command: [String], outputFile: String) throws -> (Int32, String) {
    let process = try BackgroundProcess(command, outputFile: outputFile)
    var status: Int32?
    while status == nil { status = process.wait(timeout: .seconds(3_600)) }
    let output = process.output
    process.terminate()
    return (status ?? -1, output)
}

/// Runs one of our executables (from the build directory next to the test bundle) and returns its exit status and
/// what it printed on stdout and stderr together.
public func runBuiltTool(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let output = NSTemporaryDirectory() + "mo-tool-\(UUID().uuidString).out"
    return try spawnAndWait([try builtToolPath(name)] + arguments, outputFile: output)
}

/// The path of one of our executables in the build directory next to the test bundle.
public func builtToolPath(_ name: String) throws -> String {
    let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    var directory = bundle
    // swift test runs a .xctest bundle inside the build directory (e.g. .build/debug/mo-receiverPackageTests.xctest).
    while !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent(name).path),
          directory.path != "/" {
        directory.deleteLastPathComponent()
    }
    let tool = directory.appendingPathComponent(name).path
    guard FileManager.default.isExecutableFile(atPath: tool) else {
        throw TestSupportError("\(name) was not built next to the tests (run swift build --build-tests)")
    }
    return tool
}

/// A program running in the background (a daemon under test): output to a file, signals, exit status.
public final class BackgroundProcess: @unchecked Sendable {
    public let pid: pid_t
    public let outputFile: String
    private var status: Int32?

    /// `environment`: added to (or replacing in) this process's environment. `outputFile`: where stdout and stderr
    /// go (a new temporary file by default); removed by `terminate`.
    public init(_ command: [String], environment: [String: String] = [:], outputFile: String? = nil) throws {
        self.outputFile = outputFile ?? NSTemporaryDirectory() + "mo-background-\(UUID().uuidString).out"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, self.outputFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { _, new in new }
        let arguments = command.map { strdup($0) } + [nil]
        let variables = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            arguments.forEach { free($0) }
            variables.forEach { free($0) }
        }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, command[0], &actions, nil, arguments, variables)
        guard spawned == 0 else {
            throw TestSupportError("cannot start \(command[0]): \(String(cString: strerror(spawned)))")
        }
        self.pid = pid
    }

    public var output: String { (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? "" }

    public func signal(_ number: Int32) {
        kill(pid, number)
    }

    /// The exit status (128 + signal when killed), or nil if it did not exit within `timeout`.
    public func wait(timeout: Duration) -> Int32? {
        if let status { return status }
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var raw: Int32 = 0
        while ContinuousClock.now < deadline {
            let done = waitpid(pid, &raw, WNOHANG)
            if done == pid {
                let exited = (raw & 0x7f) == 0
                status = exited ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
                return status
            }
            usleep(20_000)
        }
        return nil
    }

    /// Kills it if still running (SIGKILL) and removes the output file.
    public func terminate() {
        if wait(timeout: .zero) == nil {
            kill(pid, SIGKILL)
            _ = wait(timeout: .seconds(5))
        }
        unlink(outputFile)
    }

    deinit {
        terminate()
    }
}
