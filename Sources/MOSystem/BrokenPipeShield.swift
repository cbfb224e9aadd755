import Glibc

/// Keeps SIGPIPE blocked on the calling thread for one run, so writing to a child that closed its stdin fails
/// with EPIPE instead of killing the daemon. The SIGPIPE such a write raises stays pending on this thread and is
/// taken off with `discardPending()` before the old mask comes back. No handler is installed and no process-wide
/// disposition changes (a SIGPIPE from writing to a pipe is sent to the writing thread only).
///
/// Owned by one `ProcessRunner.run` call; must end on the thread that made it.
struct BrokenPipeShield: ~Copyable {
    private let previousMask: sigset_t

    init() {
        var pipeOnly = sigset_t()
        sigemptyset(&pipeOnly)
        sigaddset(&pipeOnly, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeOnly, &previous)
        previousMask = previous
    }

    /// Takes any pending SIGPIPE off this thread (and off the process), without waiting.
    func discardPending() {
        var pipeOnly = sigset_t()
        sigemptyset(&pipeOnly)
        sigaddset(&pipeOnly, SIGPIPE)
        var noWait = timespec(tv_sec: 0, tv_nsec: 0)
        while true {
            let taken = sigtimedwait(&pipeOnly, nil, &noWait)
            if taken == SIGPIPE || (taken < 0 && errno == EINTR) { continue }
            return   // -1 with EAGAIN: nothing pending
        }
    }

    deinit {
        var previous = previousMask
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }
}
