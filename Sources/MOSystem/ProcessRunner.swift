import Glibc

/// Runs an operator-configured program to completion: the daemon's `exec` handler gives it a JSON document on
/// stdin and reads its stdout and stderr.
///
/// Stateless. `run` blocks the calling thread until the program has ended (at most about `timeout + killGrace`),
/// so call it from a worker thread, never from a Swift concurrency task; any number of threads may run programs
/// at once. It installs no signal handler and changes no process-wide signal disposition.
public enum ProcessRunner {
    /// Starts `request.executable` with `posix_spawn` in a process group of its own, writes `request.stdin` to it,
    /// collects its output, and reaps it.
    ///
    /// - The program's fds 0, 1 and 2 are pipes to the runner; nothing else is inherited (all the runner's
    ///   descriptors are close-on-exec from creation, and on glibc 2.34+ every other descriptor is closed in the
    ///   child as well). It starts with an empty signal mask and default signal dispositions, and exactly the
    ///   request's environment.
    /// - At the timeout the whole process group gets SIGTERM, and SIGKILL `killGrace` later if the program is
    ///   still there; after a timed-out program exits, any survivors in its group get SIGKILL at once.
    /// - Once the program has exited, the runner takes what is already in its pipes and returns, even if a
    ///   background grandchild still holds them open. Such a grandchild of a program that exited by itself is left
    ///   running.
    /// - Throws `ProcessError` when the program cannot be started; everything about a started program (a non-zero
    ///   status, a signal, a timeout) is in the result.
    public static func run(_ request: ProcessRequest) throws(ProcessError) -> ProcessResult {
        let clock = ContinuousClock()
        let start = clock.now
        do throws(ProcessError.Reason) {
            let command = try SpawnCommand(request)
            var stdinPipe = try ChildPipe()
            var stdoutPipe = try ChildPipe()
            var stderrPipe = try ChildPipe()
            try stdinPipe.writeEnd.makeNonBlocking()
            try stdoutPipe.readEnd.makeNonBlocking()
            try stderrPipe.readEnd.makeNonBlocking()

            // Blocked before the first write can fail; the child's mask is set explicitly, so this does not leak.
            let shield = BrokenPipeShield()
            let pid = try command.spawn(stdin: stdinPipe.readEnd.raw, stdout: stdoutPipe.writeEnd.raw,
                                        stderr: stderrPipe.writeEnd.raw)
            // The child has its copies; ours must go, or the child's output would never reach end-of-file.
            stdinPipe.readEnd.close()
            stdoutPipe.writeEnd.close()
            stderrPipe.writeEnd.close()

            var session = ChildSession(pid: pid, input: stdinPipe.writeEnd, output: stdoutPipe.readEnd,
                                       errorOutput: stderrPipe.readEnd, request: request,
                                       start: start, shield: shield)
            let termination = session.run()
            return ProcessResult(termination: termination, stdout: session.stdout.bytes,
                                 stderr: session.stderr.bytes, stdoutTruncated: session.stdout.truncated,
                                 stderrTruncated: session.stderr.truncated, duration: clock.now - start)
        } catch {
            throw ProcessError(executable: request.executable, workingDirectory: request.workingDirectory,
                               reason: error)
        }
    }
}
