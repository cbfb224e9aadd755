import Foundation
import LibPQ
import Logging
@testable import MOReceiver
import MOStore
import MOTestSupport
import Testing

@Suite("Retention in the daemon and on a terminal")
struct RetentionServiceTests {
    @Test("the daemon's periodic purge deletes what is older than the configured ages and leaves the rest")
    func periodicPurge() throws {
        let url = try TestDatabase.make()
        let connection = try PGConnection(parameters: [("dbname", url)])
        let old = try MOCtlAdminTests.request(connection, body: "old junk", outcome: "quarantined", reason: "bad", age: "100 days")
        let young = try MOCtlAdminTests.request(connection, body: "young junk", outcome: "quarantined", reason: "bad", age: "89 days")
        var config = ReceiverConfig()
        config.database.url = url
        let service = RetentionService(config: config,
                                       database: DatabaseSettings(url: url, connectTimeoutSeconds: 2,
                                                                  statementTimeoutMilliseconds: 5_000),
                                       logger: Logger(label: "test"), firstRunDelay: .zero)
        service.start()
        defer { service.stop(deadline: .now) }
        #expect(eventually(timeout: .seconds(30)) {
            (try? connection.execute("SELECT count(*) FROM webhook_requests WHERE id = \(old)").int(0, 0)) == 0
        })
        #expect(try connection.execute("SELECT count(*) FROM webhook_requests WHERE id = \(young)").int(0, 0) == 1)
    }

    @Test("purge draws progress on a terminal, and only the summary when piped")
    func progressOnTerminal() throws {
        let url = try TestDatabase.make()
        let connection = try PGConnection(parameters: [("dbname", url)])
        try MOCtlAdminTests.request(connection, body: "old junk", outcome: "quarantined", reason: "bad", age: "100 days")
        let config = try MOCtlTests.config(url: url)
        // script(1) gives the command a pseudo-terminal.
        let command = "\(try builtToolPath("moctl")) purge --config \(config)"
        let output = NSTemporaryDirectory() + "script-\(UUID().uuidString).out"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: output)
        try process.run()
        process.waitUntilExit()
        let onTerminal = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "\(onTerminal)")
        #expect(onTerminal.contains("purging raw payloads: 1"), "\(onTerminal)")
        #expect(onTerminal.contains("purged:"))
        let piped = try runBuiltTool("moctl", ["purge", "--config", config])
        #expect(piped.status == 0)
        #expect(piped.output.contains("purged:"))
        #expect(!piped.output.contains("purging") && !piped.output.contains("\u{1B}[K"))
        #expect(!piped.output.contains("out of range"))
    }
}
