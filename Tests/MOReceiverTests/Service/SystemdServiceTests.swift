import Foundation
import Glibc
import LibPQ
import MOReceiver
import MOTestSupport
import Testing

/// A TCP port nothing listens on right now.
func freePort() throws -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
            guard bind(fd, pointer, length) == 0 else { return -1 }
            return getsockname(fd, pointer, &length)
        }
    }
    guard bound == 0 else { throw TestSupportError("could not find a free port") }
    return UInt16(bigEndian: address.sin_port)
}

@Suite("Running under systemd (Type=notify), as the real binary")
struct SystemdServiceTests {
    static func config(database: String, port: UInt16, adminPort: UInt16, media: String, handler: String,
                       maxBody: Int = 65_536, level: String = "info") -> String {
        """
        [http]
        listen = "127.0.0.1:\(port)"
        max_body_bytes = \(maxBody)
        [admin]
        listen = "127.0.0.1:\(adminPort)"
        [trust]
        trusted_proxies = ["127.0.0.1/32"]
        client_ip_header = "x-forwarded-for"
        [database]
        url = "\(database)"
        [log]
        level = "\(level)"
        format = "text"
        [media]
        directory = "\(media)"
        [queue]
        completed_retention_hours = 1
        [[handlers]]
        name = "first"
        type = "log"
        [[handlers]]
        name = "second"
        type = "log"
        [[routes]]
        name = "all"
        handlers = ["\(handler)"]
        """
    }

    @Test("READY=1 once listening with the database up, WATCHDOG=1 pings, SIGHUP reloads routes and the log level live, SIGTERM sends STOPPING=1 and exits 0")
    func lifecycle() throws {
        let url = try TestDatabase.make()
        let port = try freePort(), adminPort = try freePort()
        let media = NSTemporaryDirectory() + "mo-media-\(UUID().uuidString)"
        let configPath = NSTemporaryDirectory() + "mo-service-\(UUID().uuidString).toml"
        defer { unlink(configPath) }
        try Self.config(database: url, port: port, adminPort: adminPort, media: media, handler: "first")
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        let systemd = try FakeNotifySocket()
        let daemon = try BackgroundProcess([try builtToolPath("mo-receiver"), "--config", configPath],
                                           environment: ["NOTIFY_SOCKET": systemd.name, "WATCHDOG_USEC": "1000000"])
        defer { daemon.terminate() }

        let ready = systemd.next { $0.hasPrefix("READY=1") }
        #expect(ready?.contains("STATUS=ready") == true, "\(ready ?? "no READY=1"); log: \(daemon.output)")
        #expect(try RawHTTPClient.get(port: adminPort, path: "/readyz").status == 200)
        #expect(systemd.next(within: .seconds(5)) { $0 == "WATCHDOG=1" } != nil, "a ping every half WATCHDOG_USEC")

        let client = [("X-Forwarded-For", "31.169.56.10")]
        #expect(try RawHTTPClient.post(port: port, path: "/cm/mo", body: smsBody(1), headers: client).status == 200)
        #expect(!daemon.output.contains("stored webhook request"), "a debug line, not logged at info")

        // Reload: the route now names "second", the level is debug; a changed listener setting is reported, not
        // applied.
        try Self.config(database: url, port: port, adminPort: adminPort, media: media, handler: "second", maxBody: 1_024,
                        level: "debug")
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        let reloading = systemd.next { $0.hasPrefix("RELOADING=1") }
        #expect(reloading?.contains("MONOTONIC_USEC=") == true)
        #expect(systemd.next { $0.hasPrefix("READY=1") } != nil, "READY=1 again after the reload")
        #expect(try RawHTTPClient.post(port: port, path: "/cm/mo", body: smsBody(2), headers: client).status == 200)
        #expect(eventually { daemon.output.contains("stored webhook request") }, "log.level reloaded to debug")
        let connection = try PGConnection(parameters: [("dbname", url)])
        let handlers = try connection.execute("""
            SELECT m.text, j.args->>'handler' FROM jobs j JOIN inbound_messages m ON m.id = (j.args->>'id')::bigint
            ORDER BY m.id
            """)
        #expect((0..<handlers.rowCount).map { "\(handlers.string($0, 0)!)→\(handlers.string($0, 1)!)" }
                == ["HELP me 1→first", "HELP me 2→second"])
        #expect(daemon.output.contains("config.needs_restart=http"), "\(daemon.output)")
        let metrics = try RawHTTPClient.get(port: adminPort, path: "/metrics").body
        #expect(metrics.contains("\nmo_receiver_config_reloads_total{result=\"applied\"} 1\n"))

        // A broken config is refused and the running one stays.
        try "[http]\nlisten = 8080\n".write(toFile: configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(systemd.next { $0.hasPrefix("READY=1") } != nil)
        #expect(daemon.output.contains("config reload failed; the running config stays"))
        #expect(try RawHTTPClient.post(port: port, path: "/cm/mo", body: smsBody(3), headers: client).status == 200)

        daemon.signal(SIGTERM)
        #expect(systemd.next { $0.hasPrefix("STOPPING=1") } != nil)
        #expect(daemon.wait(timeout: .seconds(20)) == 0, "\(daemon.output)")
    }

    @Test("without a reachable database there is no READY=1, and STATUS= says why")
    func notReadyWithoutDatabase() throws {
        let port = try freePort(), adminPort = try freePort(), deadPort = try freePort()
        let configPath = NSTemporaryDirectory() + "mo-service-\(UUID().uuidString).toml"
        defer { unlink(configPath) }
        try Self.config(database: "postgresql://postgres@127.0.0.1:\(deadPort)/nothing", port: port, adminPort: adminPort,
                        media: NSTemporaryDirectory() + "mo-media-\(UUID().uuidString)", handler: "first")
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        let systemd = try FakeNotifySocket()
        let daemon = try BackgroundProcess([try builtToolPath("mo-receiver"), "--config", configPath],
                                           environment: ["NOTIFY_SOCKET": systemd.name])
        defer { daemon.terminate() }
        let status = systemd.next(within: .seconds(20)) { $0.hasPrefix("STATUS=") || $0.hasPrefix("READY=1") }
        #expect(status?.hasPrefix("STATUS=starting:") == true, "\(status ?? "nothing")")
        #expect(status?.contains("database") == true)
        #expect(systemd.next(within: .seconds(3)) { $0.hasPrefix("READY=1") } == nil)
        let readiness = try RawHTTPClient.get(port: adminPort, path: "/readyz")
        #expect(readiness.status == 503)
        // Webhooks are answered 503 meanwhile, so CM retries.
        let reply = try RawHTTPClient.post(port: port, path: "/cm/mo", body: smsBody(1), headers: [("X-Forwarded-For", "31.169.56.10")])
        #expect(reply.status == 503)
        daemon.signal(SIGTERM)
        #expect(daemon.wait(timeout: .seconds(20)) == 0)
    }
}
