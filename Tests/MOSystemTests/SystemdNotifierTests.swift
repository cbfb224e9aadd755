import Foundation
import Glibc
import MOSystem
import MOTestSupport
import Testing

@Suite("systemd notify protocol")
struct SystemdNotifierTests {
    @Test("one datagram per message, KEY=value lines in order, to a path or an abstract socket", arguments: [false, true])
    func sendsDatagrams(abstract: Bool) throws {
        let systemd = try FakeNotifySocket(abstract: abstract)
        let notifier = try SystemdNotifier(socketPath: systemd.name)
        #expect(notifier.send([("READY", "1"), ("STATUS", "listening on 127.0.0.1:8080\nsecond line")]))
        #expect(systemd.next(within: .seconds(2)) == "READY=1\nSTATUS=listening on 127.0.0.1:8080 second line")
        #expect(notifier.send([("WATCHDOG", "1")]))
        #expect(systemd.next(within: .seconds(2)) == "WATCHDOG=1")
    }

    @Test("from the environment: nil without NOTIFY_SOCKET; the watchdog period from WATCHDOG_USEC for our pid; variables removed")
    func environment() throws {
        unsetenv("NOTIFY_SOCKET")
        #expect(try SystemdNotifier.fromEnvironment() == nil)
        let systemd = try FakeNotifySocket()
        setenv("NOTIFY_SOCKET", systemd.name, 1)
        setenv("WATCHDOG_USEC", "30000000", 1)
        setenv("WATCHDOG_PID", "\(getpid())", 1)
        let notifier = try #require(try SystemdNotifier.fromEnvironment())
        #expect(notifier.watchdogPeriod == .seconds(30))
        #expect(getenv("NOTIFY_SOCKET") == nil && getenv("WATCHDOG_USEC") == nil && getenv("WATCHDOG_PID") == nil,
                "a program the daemon starts must not inherit them")
        #expect(notifier.send([("STOPPING", "1")]))
        #expect(systemd.next(within: .seconds(2)) == "STOPPING=1")

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
