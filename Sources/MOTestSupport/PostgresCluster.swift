import Foundation
import Glibc

/// A private PostgreSQL cluster in a temporary directory, reachable only over its Unix socket.
///
/// PostgreSQL refuses to run as root, so when the tests run as root every server command runs as the `postgres`
/// user through `runuser`. Owned by one test (or the process-wide shared instance); `start`/`stop` are called from
/// one thread at a time.
public final class PostgresCluster: @unchecked Sendable {
    public let directory: String
    public let port = 5432
    private let binDirectory: String
    private var running = false

    /// Creates and initializes a cluster (initdb) under `MO_TEST_TMPDIR` or /tmp. Call `start()` next.
    public init() throws {
        binDirectory = try Self.findBinDirectory()
        let base = ProcessInfo.processInfo.environment["MO_TEST_TMPDIR"] ?? "/tmp"
        var template = Array("\(base)/mo-pg-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw TestSupportError("cannot create a temporary directory under \(base)")
        }
        directory = String(cString: created)
        chmod(directory, 0o700)
        if geteuid() == 0 {
            guard let user = getpwnam("postgres") else {
                throw TestSupportError("running as root needs a 'postgres' user to run PostgreSQL (apt-get install postgresql)")
            }
            chown(directory, user.pointee.pw_uid, user.pointee.pw_gid)
        }
        try runServerCommand(["initdb", "-D", "\(directory)/data", "-A", "trust", "-U", "postgres", "-E", "UTF8",
                              "--locale=C", "--no-sync"])
    }

    deinit {
        if running { try? stop(mode: "immediate") }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A libpq URI for `database` on this cluster.
    public func url(database: String = "postgres") -> String {
        "postgresql:///\(database)?host=\(directory)&port=\(port)&user=postgres"
    }

    public func start() throws {
        try runServerCommand(["pg_ctl", "-D", "\(directory)/data", "-l", "\(directory)/server.log", "-w", "-t", "60",
                              "-o", "-k \(directory) -p \(port) -c listen_addresses='' -c max_connections=300 -c shared_buffers=64MB -c fsync=on",
                              "start"])
        running = true
    }

    /// Stops the server: "fast" (sessions are terminated, clean shutdown) or "immediate" (a crash; WAL recovery on
    /// the next start).
    public func stop(mode: String = "fast") throws {
        try runServerCommand(["pg_ctl", "-D", "\(directory)/data", "-m", mode, "-w", "-t", "60", "stop"])
        running = false
    }

    /// The server log, for failure messages.
    public var serverLog: String {
        (try? String(contentsOfFile: "\(directory)/server.log", encoding: .utf8)) ?? ""
    }

    private func runServerCommand(_ arguments: [String]) throws {
        var command = ["\(binDirectory)/\(arguments[0])"] + arguments.dropFirst()
        if geteuid() == 0 {
            command = [Self.runuser, "-u", "postgres", "--"] + command
        }
        let (status, output) = try spawnAndWait(command, outputFile: "\(directory).out")
        guard status == 0 else {
            throw TestSupportError("\(arguments[0]) failed (\(status)): \(output)")
        }
    }

    private static var runuser: String {
        ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? "runuser"
    }

    /// MO_PG_BINDIR, else the newest /usr/lib/postgresql/*/bin (Debian's layout).
    static func findBinDirectory() throws -> String {
        if let configured = ProcessInfo.processInfo.environment["MO_PG_BINDIR"] { return configured }
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let newest = versions.compactMap(Int.init).sorted().last
        if let newest, FileManager.default.isExecutableFile(atPath: "\(root)/\(newest)/bin/initdb") {
            return "\(root)/\(newest)/bin"
        }
        throw TestSupportError("no PostgreSQL server found under \(root): run scripts/setup.sh (or apt-get install postgresql), or set MO_PG_BINDIR")
    }
}

public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
