import Foundation
import Glibc

/// Runs a program and waits for it with waitpid. Output goes to a file, not a pipe: `pg_ctl start` leaves a server
/// running that would inherit a pipe and keep it open (Foundation's Process also failed to reap `runuser` here).
/// Returns the exit status and what the program printed.
func spawnAndWait(_ command: [String], outputFile: String) throws -> (Int32, String) {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let arguments = command.map { strdup($0) } + [nil]
    defer { arguments.forEach { free($0) } }
    var pid = pid_t()
    let spawned = posix_spawn(&pid, command[0], &actions, nil, arguments, environ)
    guard spawned == 0 else {
        throw TestSupportError("cannot start \(command[0]): \(String(cString: strerror(spawned)))")
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let output = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
    unlink(outputFile)
    let exited = (status & 0x7f) == 0
    return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output)
}

/// Runs one of our executables (from the build directory next to the test bundle) and returns its exit status and
/// what it printed on stdout and stderr together.
public func runBuiltTool(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
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
    let output = NSTemporaryDirectory() + "mo-tool-\(UUID().uuidString).out"
    return try spawnAndWait([tool] + arguments, outputFile: output)
}
