/// How one run of a program ended, and what it printed.
///
/// A plain value returned by `ProcessRunner.run` to its caller's thread; it holds no resources.
public struct ProcessResult: Sendable {
    /// How the run ended.
    public enum Termination: Sendable, Equatable, CustomStringConvertible {
        /// The program exited by itself with this status (0...255).
        case exited(Int32)
        /// The program was ended by this signal, not sent by the runner.
        case signaled(Int32)
        /// The program was still running at the timeout and its process group was ended (SIGTERM, then SIGKILL
        /// after the grace period if needed), however it then died.
        case timedOut

        public var description: String {
            switch self {
            case .exited(let status): "exited with status \(status)"
            case .signaled(let signal): "killed by \(signalName(signal))"
            case .timedOut: "timed out"
            }
        }
    }

    /// How the run ended.
    public var termination: Termination
    /// What the program wrote to stdout, at most `maxOutputBytes` of it.
    public var stdout: [UInt8]
    /// What the program wrote to stderr, at most `maxOutputBytes` of it.
    public var stderr: [UInt8]
    /// The program wrote more than `maxOutputBytes` to stdout; `stdout` is the first part.
    public var stdoutTruncated: Bool
    /// The program wrote more than `maxOutputBytes` to stderr; `stderr` is the first part.
    public var stderrTruncated: Bool
    /// From just before the program was started to just after it was reaped.
    public var duration: Duration

    public init(termination: Termination, stdout: [UInt8], stderr: [UInt8], stdoutTruncated: Bool,
                stderrTruncated: Bool, duration: Duration) {
        self.termination = termination
        self.stdout = stdout
        self.stderr = stderr
        self.stdoutTruncated = stdoutTruncated
        self.stderrTruncated = stderrTruncated
        self.duration = duration
    }
}
