import Glibc
import Testing
@testable import MOSystem

@Suite("ProcessError names the program and the cause in one line")
struct ProcessErrorTests {
    @Test("each reason reads as one line naming the program", arguments: [
        (ProcessError.Reason.notAbsolutePath, "cannot start /opt/hook: the program must be given as an absolute path"),
        (.nulInArgument(index: 2), "cannot start /opt/hook: argument 2 contains a NUL byte"),
        (.invalidEnvironmentName("A=B"),
         "cannot start /opt/hook: environment variable name 'A=B' is empty or contains '=' or a NUL byte"),
        (.nulInEnvironmentValue(name: "TOKEN"),
         "cannot start /opt/hook: the value of environment variable TOKEN contains a NUL byte"),
        (.nulInWorkingDirectory, "cannot start /opt/hook: the working directory contains a NUL byte"),
        (.workingDirectoryUnsupported,
         "cannot start /opt/hook: this C library cannot start a program in another directory (glibc 2.29 or later is needed)"),
        (.systemCall("pipe2", errno: EMFILE), "cannot start /opt/hook: pipe2 failed: Too many open files"),
        (.spawnFailed(errno: ENOENT), "cannot start /opt/hook: No such file or directory"),
        (.spawnFailed(errno: EACCES), "cannot start /opt/hook: Permission denied"),
    ])
    func reasons(reason: ProcessError.Reason, line: String) {
        let error = ProcessError(executable: "/opt/hook", workingDirectory: nil, reason: reason)
        #expect(error.description == line)
    }

    @Test("the working directory is named when one was set")
    func workingDirectory() {
        let error = ProcessError(executable: "/opt/hook", workingDirectory: "/srv/hooks",
                                 reason: .spawnFailed(errno: ENOENT))
        #expect(error.description == "cannot start /opt/hook in /srv/hooks: No such file or directory")
    }

    @Test("control characters in the names are escaped so the message stays one line")
    func escaping() {
        let error = ProcessError(executable: "/opt/ho\nok\u{1b}", workingDirectory: "/tmp\t\\x",
                                 reason: .invalidEnvironmentName("A\u{0}B"))
        #expect(error.description == "cannot start /opt/ho\\nok\\u{1b} in /tmp\\t\\\\x: "
            + "environment variable name 'A\\u{0}B' is empty or contains '=' or a NUL byte")
        #expect(!error.description.contains("\n"))
    }
}
