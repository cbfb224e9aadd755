import Glibc

/// One started program, from just after `posix_spawn` to its reaping: feeds its stdin, collects its stdout and
/// stderr, ends its process group at the timeout, and reaps it.
///
/// Owned by one `ProcessRunner.run` call and used only on its (worker) thread; it blocks that thread in `poll`.
/// It owns the parent's three pipe ends and closes them on every path.
///
/// How the end is found without a SIGCHLD handler: `waitid(WNOWAIT)` looks at the child without reaping it, every
/// 50 ms while its output pipes are open (they stay open past its exit if a grandchild inherited them), and with a
/// 1, 2, 4 … 50 ms back-off once both reached end-of-file (the child closes them a moment before it becomes a
/// zombie). Not reaping until the end keeps the pid, and so the process group id, from being reused while the
/// runner may still signal the group.
struct ChildSession: ~Copyable {
    private let pid: pid_t
    private var input: Descriptor
    private var output: Descriptor
    private var errorOutput: Descriptor
    private let inputBytes: [UInt8]
    private var inputOffset = 0
    private(set) var stdout: OutputCapture
    private(set) var stderr: OutputCapture
    private var schedule: KillSchedule
    private let shield: BrokenPipeShield

    /// How often a child with open output pipes is looked at.
    private static let exitCheckInterval = Duration.milliseconds(50)
    /// Bytes moved per `read` or `write`.
    private static let chunkSize = 64 * 1024
    /// After the child exited, at most this many reads per stream take what is left in the pipe (bounded, because
    /// a grandchild may still be writing).
    private static let drainReads = 64

    init(pid: pid_t, input: consuming Descriptor, output: consuming Descriptor, errorOutput: consuming Descriptor,
         request: ProcessRequest, start: ContinuousClock.Instant, shield: consuming BrokenPipeShield) {
        self.pid = pid
        self.input = input
        self.output = output
        self.errorOutput = errorOutput
        self.inputBytes = request.stdin
        self.stdout = OutputCapture(limit: request.maxOutputBytes)
        self.stderr = OutputCapture(limit: request.maxOutputBytes)
        self.schedule = KillSchedule(start: start, timeout: request.timeout, grace: request.killGrace)
        self.shield = shield
    }

    /// Runs the exchange until the child has exited, then reaps it.
    mutating func run() -> ProcessResult.Termination {
        let clock = ContinuousClock()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        if inputBytes.isEmpty { input.close() }

        var exitCheckAt = clock.now + Self.exitCheckInterval
        var backoff = Duration.milliseconds(1)
        while true {
            let now = clock.now
            if schedule.nextStepAt.map({ now >= $0 }) == true {
                // A child that finished just in time has not timed out.
                if !schedule.timedOut && Self.hasExited(pid) { break }
                switch schedule.step(at: now) {
                case .terminate:
                    kill(-pid, SIGTERM)
                    kill(-pid, SIGCONT)   // a stopped member could not act on SIGTERM
                    input.close()
                case .kill:
                    kill(-pid, SIGKILL)
                case nil:
                    break
                }
            }
            if now >= exitCheckAt {
                if Self.hasExited(pid) { break }
                if output.isOpen || errorOutput.isOpen {
                    exitCheckAt = now + Self.exitCheckInterval
                } else {
                    exitCheckAt = now + backoff
                    backoff = min(backoff * 2, Self.exitCheckInterval)
                }
            }

            let wakeAt = min(exitCheckAt, schedule.nextStepAt ?? exitCheckAt)
            let outputsWereOpen = output.isOpen || errorOutput.isOpen
            pollOnce(timeout: (wakeAt - now).pollMilliseconds, buffer: buffer)
            if outputsWereOpen && !output.isOpen && !errorOutput.isOpen {
                // Both at end-of-file: the child is most likely exiting; look now, then back off.
                exitCheckAt = clock.now
                backoff = .milliseconds(1)
            }
        }

        if schedule.timedOut {
            // The leader is gone; end whatever of its group survived SIGTERM. Its unreaped zombie still holds the
            // group id, so this cannot reach an unrelated process.
            kill(-pid, SIGKILL)
        }
        input.close()
        Self.drain(&output, into: &stdout, buffer: buffer)
        Self.drain(&errorOutput, into: &stderr, buffer: buffer)
        let status = Self.reap(pid)
        if schedule.timedOut { return .timedOut }
        // The status is lost only if something else reaped the child (a process that ignores SIGCHLD).
        return status.flatMap(ProcessResult.Termination.init(waitStatus:)) ?? .exited(-1)
    }

    /// Waits in `poll` for the open pipe ends, at most `timeout` milliseconds, and moves one chunk on each ready end.
    private mutating func pollOnce(timeout: Int32, buffer: UnsafeMutableRawBufferPointer) {
        var fds: [pollfd] = []
        fds.reserveCapacity(3)
        if input.isOpen { fds.append(pollfd(fd: input.raw, events: Int16(POLLOUT), revents: 0)) }
        if output.isOpen { fds.append(pollfd(fd: output.raw, events: Int16(POLLIN), revents: 0)) }
        if errorOutput.isOpen { fds.append(pollfd(fd: errorOutput.raw, events: Int16(POLLIN), revents: 0)) }

        let ready = poll(&fds, nfds_t(fds.count), timeout)
        guard ready > 0 else { return }   // timeout, or EINTR: the loop looks at the clock again
        for entry in fds where entry.revents != 0 {
            if entry.fd == input.raw {
                writeInput()
            } else if entry.fd == output.raw {
                Self.readChunk(&output, into: &stdout, buffer: buffer)
            } else if entry.fd == errorOutput.raw {
                Self.readChunk(&errorOutput, into: &stderr, buffer: buffer)
            }
        }
    }

    /// Writes the next chunk of stdin; closes stdin when all is written or the child stopped reading.
    private mutating func writeInput() {
        let remaining = inputBytes.count - inputOffset
        let written = inputBytes.withUnsafeBytes { bytes in
            write(input.raw, bytes.baseAddress! + inputOffset, min(remaining, Self.chunkSize))
        }
        if written >= 0 {
            inputOffset += written
            if inputOffset == inputBytes.count { input.close() }
            return
        }
        switch errno {
        case EAGAIN, EINTR:
            return
        case EPIPE:
            // The child closed its stdin (or exited) without reading everything: not an error.
            shield.discardPending()
            input.close()
        default:
            input.close()
        }
    }

    /// Reads one chunk from `descriptor` into `capture`; closes it at end-of-file or on an error.
    private static func readChunk(_ descriptor: inout Descriptor, into capture: inout OutputCapture,
                           buffer: UnsafeMutableRawBufferPointer) {
        let count = read(descriptor.raw, buffer.baseAddress, buffer.count)
        if count > 0 {
            capture.append(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
            descriptor.close()
        }
    }

    /// Takes what is already in the pipe after the child exited, then closes it.
    private static func drain(_ descriptor: inout Descriptor, into capture: inout OutputCapture,
                       buffer: UnsafeMutableRawBufferPointer) {
        var reads = 0
        while descriptor.isOpen && reads < Self.drainReads {
            let count = read(descriptor.raw, buffer.baseAddress, buffer.count)
            if count > 0 {
                capture.append(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break   // end-of-file, or EAGAIN: a grandchild holds the pipe open but wrote nothing more
            }
            reads += 1
        }
        descriptor.close()
    }

    /// Whether the child has exited, without reaping it. A child that cannot be waited for (reaped elsewhere)
    /// counts as exited.
    private static func hasExited(_ pid: pid_t) -> Bool {
        while true {
            var info = siginfo_t()
            if waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 {
                return info._sifields._sigchld.si_pid != 0
            }
            if errno != EINTR { return true }
        }
    }

    /// Reaps the child and returns its wait status; `nil` if it was already reaped elsewhere.
    private static func reap(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        while true {
            if waitpid(pid, &status, 0) == pid {
                if ProcessResult.Termination(waitStatus: status) != nil { return status }
                continue   // stopped or continued: not the end (only reported with WUNTRACED, kept for safety)
            }
            if errno != EINTR { return nil }
        }
    }
}
