import Foundation
import Glibc
import MOSystem
import Testing

/// A datagram socket standing in for systemd's notify socket.
private final class FakeNotifySocket {
    let descriptor: Int32
    let name: String

    /// `abstract`: bind in the abstract namespace and name it `@…`, as systemd may.
    init(abstract: Bool) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        let unique = "mo-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        name = abstract ? "@\(unique)" : NSTemporaryDirectory() + unique
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
        guard bound == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EINVAL) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        return count < 0 ? nil : String(decoding: buffer[..<count], as: UTF8.self)
    }

    deinit {
        close(descriptor)
        if !name.hasPrefix("@") { unlink(name) }
    }
}

@Suite("systemd notify protocol")
struct SystemdNotifierTests {
    @Test("one datagram per message, KEY=value lines in order, to a path or an abstract socket", arguments: [false, true])
    func sendsDatagrams(abstract: Bool) throws {
        let systemd = try FakeNotifySocket(abstract: abstract)
        let notifier = try SystemdNotifier(socketPath: systemd.name)
        #expect(notifier.send([("READY", "1"), ("STATUS", "listening on 127.0.0.1:8080\nsecond line")]))
        #expect(systemd.receive() == "READY=1\nSTATUS=listening on 127.0.0.1:8080 second line")
        #expect(notifier.send([("WATCHDOG", "1")]))
        #expect(systemd.receive() == "WATCHDOG=1")
    }

    @Test("from the environment: nil without NOTIFY_SOCKET; the watchdog period from WATCHDOG_USEC for our pid; variables removed")
    func environment() throws {
        unsetenv("NOTIFY_SOCKET")
        #expect(try SystemdNotifier.fromEnvironment() == nil)
        let systemd = try FakeNotifySocket(abstract: false)
        setenv("NOTIFY_SOCKET", systemd.name, 1)
        setenv("WATCHDOG_USEC", "30000000", 1)
        setenv("WATCHDOG_PID", "\(getpid())", 1)
        let notifier = try #require(try SystemdNotifier.fromEnvironment())
        #expect(notifier.watchdogPeriod == .seconds(30))
        #expect(getenv("NOTIFY_SOCKET") == nil && getenv("WATCHDOG_USEC") == nil && getenv("WATCHDOG_PID") == nil,
                "a program the daemon starts must not inherit them")
        #expect(notifier.send([("STOPPING", "1")]))
        #expect(systemd.receive() == "STOPPING=1")

        // The watchdog is for another process (e.g. a parent that forked us): not ours to ping.
        setenv("NOTIFY_SOCKET", systemd.name, 1)
        setenv("WATCHDOG_USEC", "30000000", 1)
        setenv("WATCHDOG_PID", "1", 1)
        #expect(try #require(try SystemdNotifier.fromEnvironment()).watchdogPeriod == nil)
    }

    @Test("a relative socket path is refused with the reason")
    func refusesRelativePath() {
        #expect(throws: SystemdNotifierError.self) { try SystemdNotifier(socketPath: "run/notify") }
    }
}
