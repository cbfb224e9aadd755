import Glibc
import Testing
@testable import MOSystem

@Suite("Termination from a wait status, and its description")
struct TerminationTests {
    @Test("an exit status decodes to exited with its code", arguments: [0, 1, 75, 127, 255] as [Int32])
    func exited(code: Int32) {
        #expect(ProcessResult.Termination(waitStatus: code << 8) == .exited(code))
    }

    @Test("a signal death decodes to signaled, with or without a core dump",
          arguments: [SIGKILL, SIGTERM, SIGSEGV, SIGABRT, 64] as [Int32])
    func signaled(signal: Int32) {
        #expect(ProcessResult.Termination(waitStatus: signal) == .signaled(signal))
        #expect(ProcessResult.Termination(waitStatus: signal | 0x80) == .signaled(signal))
    }

    @Test("a stopped or continued child has not ended", arguments: [SIGSTOP << 8 | 0x7f, SIGTSTP << 8 | 0x7f, 0xffff])
    func notEnded(status: Int32) {
        #expect(ProcessResult.Termination(waitStatus: status) == nil)
    }

    @Test("each termination reads as one line for an operator", arguments: [
        (ProcessResult.Termination.exited(0), "exited with status 0"),
        (.exited(75), "exited with status 75"),
        (.signaled(SIGKILL), "killed by signal 9 (SIGKILL)"),
        (.signaled(SIGTERM), "killed by signal 15 (SIGTERM)"),
        (.signaled(SIGSEGV), "killed by signal 11 (SIGSEGV)"),
        (.signaled(40), "killed by signal 40"),
        (.timedOut, "timed out"),
    ])
    func description(termination: ProcessResult.Termination, text: String) {
        #expect(termination.description == text)
    }
}
