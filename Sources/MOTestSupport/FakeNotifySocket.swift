import Foundation
import Glibc

/// systemd's side of the notify protocol for tests: a datagram socket bound at a path (or, `abstract`, in the
/// abstract namespace, named `@…`) that a process is told about through `NOTIFY_SOCKET`.
public final class FakeNotifySocket: @unchecked Sendable {
    /// What to put in `NOTIFY_SOCKET`.
    public let name: String
    private let descriptor: Int32

    public init(abstract: Bool = false) throws {
        let unique = "mo-notify-\(getpid())-\(UUID().uuidString.prefix(8))"
        name = abstract ? "@\(unique)" : NSTemporaryDirectory() + unique + ".sock"
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(name.utf8)
        if abstract { bytes[0] = 0 }
        let length = withUnsafeMutableBytes(of: &address.sun_path) { path -> Int in
            path.copyBytes(from: bytes)
            return abstract ? bytes.count : bytes.count + 1
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sa_family_t>.size + length))
            }
        }
        guard bound == 0 else { throw TestSupportError("bind \(name): errno \(errno)") }
        if !abstract { chmod(name, 0o777) }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The next message whose text satisfies `matching`, skipping others, within `timeout`; nil when none came.
    public func next(within timeout: Duration = .seconds(30), matching: (String) -> Bool = { _ in true }) -> String? {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while ContinuousClock.now < deadline {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { continue }
            let text = String(decoding: buffer[..<count], as: UTF8.self)
            if matching(text) { return text }
        }
        return nil
    }

    deinit {
        close(descriptor)
        if !name.hasPrefix("@") { unlink(name) }
    }
}
