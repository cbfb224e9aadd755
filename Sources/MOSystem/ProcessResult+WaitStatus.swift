import Glibc

extension ProcessResult.Termination {
    /// Decodes a status from `waitpid`: `nil` for a stopped or continued child, which has not ended. (The
    /// `WIFEXITED` family are C macros Swift cannot call; this is their Linux encoding.)
    init?(waitStatus status: Int32) {
        let low = status & 0x7f
        if low == 0 {
            self = .exited((status >> 8) & 0xff)
        } else if low != 0x7f {
            // Bit 0x80 only says whether a core was dumped.
            self = .signaled(low)
        } else {
            return nil
        }
    }
}

/// "signal 15 (SIGTERM)" for the signals an operator meets; "signal N" for the rest.
func signalName(_ signal: Int32) -> String {
    let names: [Int32: String] = [
        SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
        SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGUSR1: "SIGUSR1",
        SIGSEGV: "SIGSEGV", SIGUSR2: "SIGUSR2", SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM",
        SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ", SIGSYS: "SIGSYS",
    ]
    guard let name = names[signal] else { return "signal \(signal)" }
    return "signal \(signal) (\(name))"
}
