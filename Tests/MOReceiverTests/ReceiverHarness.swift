import Foundation
import LibPQ
import Logging
import MOPolicy
import MOReceiver
import MOTestSupport
import Testing

/// A receiver built exactly as the daemon builds it, on port 0, against a fresh migrated database of its own.
final class ReceiverHarness: @unchecked Sendable {
    let receiver: Receiver
    let databaseURL: String
    let logs = LineSink.capturing()
    let port: UInt16
    /// The media store this harness made up (a test that sets its own keeps it), removed when the harness goes.
    private let ownMediaDirectory: String?

    /// The test default: loopback is a trusted proxy, X-Forwarded-For carries the client.
    static func config(databaseURL: String) -> ReceiverConfig {
        var config = ReceiverConfig()
        config.http.host = "127.0.0.1"
        config.http.port = 0
        config.admin.port = 0
        config.http.maxBodyBytes = 64 * 1024
        config.trust.trustedProxies = CIDRSet([try! CIDR(parsing: "127.0.0.1/32")])
        config.trust.clientIPHeader = .xForwardedFor
        config.database.url = databaseURL
        config.media.directory = NSTemporaryDirectory() + "mo-media-\(UUID().uuidString)"
        return config
    }

    init(databaseURL: String? = nil, level: Logger.Level = .info, registry: HandlerRegistry = .builtIn,
         configure: (inout ReceiverConfig) -> Void = { _ in }) throws {
        let url = try databaseURL ?? TestDatabase.make()
        self.databaseURL = url
        var config = Self.config(databaseURL: url)
        let madeUp = config.media.directory
        configure(&config)
        ownMediaDirectory = config.media.directory == madeUp ? madeUp : nil
        let sink = logs
        var logger = Logger(label: "test") { label in LineLogHandler(label: label, level: level, format: .text, sink: sink) }
        logger.logLevel = level
        receiver = try buildReceiver(config: config, logger: logger, registry: registry)
        try receiver.start()
        port = receiver.port
    }

    deinit {
        receiver.shutdown(grace: .seconds(2))
        if let ownMediaDirectory { try? FileManager.default.removeItem(atPath: ownMediaDirectory) }
    }

    static let cmClient = "31.169.56.10"

    func post(_ path: String = "/cm/mo", body: [UInt8], forwardedFor: String? = cmClient,
              contentType: String? = "application/json", headers: [(String, String)] = []) throws -> HTTPReply {
        var all = headers
        if let forwardedFor { all.append(("X-Forwarded-For", forwardedFor)) }
        return try RawHTTPClient.post(port: port, path: path, body: body, headers: all, contentType: contentType)
    }

    func query(_ query: Query) throws -> PGResult {
        try PGConnection(parameters: [("dbname", databaseURL)]).execute(query)
    }

    func count(_ table: String) throws -> Int {
        try query(Query(unsafeSQL: "SELECT count(*) FROM \(table)")).int(0, 0) ?? -1
    }
}

/// The bytes of a fixture under Tests/Fixtures.
func fixture(_ path: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent(path)
    return Array(try Data(contentsOf: url))
}

/// The JSON reply's fields.
func fields(_ reply: HTTPReply) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any]) ?? [:]
}
