import Glibc

/// systemd's notify protocol (sd_notify(3)) spoken directly, without libsystemd: each message is one datagram of
/// newline-separated `KEY=value` lines sent to the AF_UNIX socket named by `$NOTIFY_SOCKET` (a leading `@` names
/// the abstract namespace). Owns its socket; `send` may be called from any thread (each call is one `sendto`).
public final class SystemdNotifier: Sendable {
    /// The watchdog period systemd expects pings within (`WATCHDOG_USEC`), when the watchdog is on for this
    /// process (`WATCHDOG_PID` unset or ours).
    public let watchdogPeriod: Duration?
    private let socket: Int32
    private let address: [UInt8]

    /// The notifier systemd asked for through the environment, or nil when the process was not started by systemd
    /// with `Type=notify` (no `NOTIFY_SOCKET`). Removes the variables from the environment, so programs the daemon
    /// starts (exec handlers) cannot notify on its behalf.
    public static func fromEnvironment() throws(SystemdNotifierError) -> SystemdNotifier? {
        defer {
            unsetenv("NOTIFY_SOCKET")
            unsetenv("WATCHDOG_USEC")
            unsetenv("WATCHDOG_PID")
        }
        guard let path = environment("NOTIFY_SOCKET"), !path.isEmpty else { return nil }
        var watchdog: Duration?
        if let usec = environment("WATCHDOG_USEC").flatMap(Int64.init), usec > 0,
           environment("WATCHDOG_PID").flatMap(Int32.init).map({ $0 == getpid() }) ?? true {
            watchdog = .microseconds(usec)
        }
        return try SystemdNotifier(socketPath: path, watchdogPeriod: watchdog)
    }

    /// `socketPath`: a file system path, or `@name` for the abstract namespace.
    public init(socketPath: String, watchdogPeriod: Duration? = nil) throws(SystemdNotifierError) {
        var bytes = Array(socketPath.utf8)
        guard bytes.first == UInt8(ascii: "/") || bytes.first == UInt8(ascii: "@") else {
            throw .badSocket("NOTIFY_SOCKET must be an absolute path or start with @, got '\(socketPath)'")
        }
        if bytes[0] == UInt8(ascii: "@") { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
        guard bytes.count < capacity else { throw .badSocket("NOTIFY_SOCKET is longer than \(capacity - 1) bytes") }
        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw .system("socket(AF_UNIX, SOCK_DGRAM)", errno) }
        self.socket = descriptor
        self.address = bytes
        self.watchdogPeriod = watchdogPeriod
    }

    deinit {
        close(socket)
    }

    /// Sends one message; `fields` in order, e.g. `[("READY", "1"), ("STATUS", "listening")]`. Values must not
    /// contain newlines (they are replaced by spaces). Returns whether systemd's socket took the datagram.
    @discardableResult
    public func send(_ fields: [(key: String, value: String)]) -> Bool {
        let text = fields.map { "\($0.key)=\($0.value.replacingNewlines())" }.joined(separator: "\n")
        var storage = sockaddr_un()
        storage.sun_family = sa_family_t(AF_UNIX)
        let length = withUnsafeMutableBytes(of: &storage.sun_path) { path -> Int in
            path.copyBytes(from: address)
            // A path name is NUL-terminated; an abstract name is exactly its bytes.
            return address.first == 0 ? address.count : address.count + 1
        }
        let size = socklen_t(MemoryLayout<sa_family_t>.size + length)
        let payload = Array(text.utf8)
        let sent = withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                payload.withUnsafeBytes { bytes in
                    sendto(socket, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), address, size)
                }
            }
        }
        return sent == payload.count
    }

    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

public enum SystemdNotifierError: Error, Sendable, CustomStringConvertible {
    case badSocket(String)
    case system(String, Int32)

    public var description: String {
        switch self {
        case .badSocket(let why): return why
        case .system(let call, let code): return "\(call) failed: \(String(cString: strerror(code)))"
        }
    }
}

extension String {
    fileprivate func replacingNewlines() -> String {
        String(map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}
