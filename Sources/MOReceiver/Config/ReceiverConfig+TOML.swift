#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MOPolicy
import MOSystem
import TOMLKit

extension ReceiverConfig {
    /// Reads and validates a config file. Every problem names the file, line and key.
    public static func load(path: String, registry: HandlerRegistry = .builtIn) throws(ConfigError) -> ReceiverConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(file: path, line: nil, key: "",
                              message: "cannot read the config file (\(readFailure(error))); pass --config with the path of a readable TOML file")
        }
        return try parse(text, file: path, registry: registry)
    }

    /// Why reading the config file failed, in a few words: the system's text for the error ("No such file or
    /// directory", "Permission denied"), or that the file is not UTF-8.
    static func readFailure(_ error: any Error) -> String {
        guard let error = error as? CocoaError else { return "\(error)" }
        if let underlying = error.underlying as? POSIXError { return errorText(underlying.code.rawValue) }
        switch error.code {
        case .fileReadCorruptFile, .fileReadInapplicableStringEncoding: return "it is not UTF-8 text"
        default: return "\(error)"
        }
    }

    /// Validates TOML text; `file` is only used in error messages.
    public static func parse(_ text: String, file: String,
                             registry: HandlerRegistry = .builtIn) throws(ConfigError) -> ReceiverConfig {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(file: file, line: error.source.begin.line, key: "", message: "not valid TOML: \(error.description)")
        } catch {
            throw ConfigError(file: file, line: nil, key: "", message: "not valid TOML")
        }
        let reader = ConfigReader(file: file, text: text)
        let sections = ["http", "admin", "trust", "database", "ingest", "log", "cm", "media", "queue", "dispatch", "retention",
                        "handlers", "routes", "numbers"]
        for key in root.keys where !sections.contains(key) {
            throw reader.error(key, "unknown section or key; the sections are \(sections.map { "[\($0)]" }.joined(separator: ", ")) (see config.example.toml)")
        }
        var config = ReceiverConfig()
        try config.readHTTP(root, reader)
        try config.readAdmin(root, reader)
        try config.readTrust(root, reader)
        try config.readDatabase(root, reader)
        try config.readIngest(root, reader)
        try config.readLog(root, reader)
        try config.readCM(root, reader)
        try config.readMedia(root, reader)
        try config.readQueue(root, reader)
        try config.readRetention(root, reader)
        try config.readHandlers(root, reader, registry: registry)
        try config.readRoutes(root, reader)
        try config.readNumbers(root, reader)
        return config
    }

    private mutating func readHTTP(_ root: TOMLTable, _ reader: ConfigReader) throws(ConfigError) {
        let table = try reader.section(root, "http", known: [
            "listen", "path_prefix", "path_token", "max_body_bytes", "threads", "connection_limit",
            "connection_timeout_seconds",
        ])
        if let listen = try reader.string(table, "http", "listen") {
            guard let (host, port) = Self.parseListen(listen) else {
                throw reader.error("http.listen", "'\(listen)' is not ADDRESS:PORT with a numeric address, e.g. \"127.0.0.1:8080\" or \"[::1]:8080\"")
            }
            http.host = host
            http.port = port
        }
        if let prefix = try reader.string(table, "http", "path_prefix") {
            guard prefix.isEmpty || (prefix.hasPrefix("/") && prefix.unicodeScalars.allSatisfy { Self.isPathCharacter($0, also: "-_./") }
                                     && !prefix.contains("//") && !prefix.contains("/./") && !prefix.contains("/../")) else {
                throw reader.error("http.path_prefix", "'\(prefix)' must be empty or a path like \"/cm\" (letters, digits, - _ . /)")
            }
            http.pathPrefix = prefix
        }
        if let token = try reader.string(table, "http", "path_token"), !token.isEmpty {
            guard token.unicodeScalars.allSatisfy({ Self.isPathCharacter($0, also: "-_") }) else {
                throw reader.error("http.path_token", "may hold only letters, digits, '-' and '_'")
            }
            guard token.count >= 16 else {
                throw reader.error("http.path_token", "is too short to be a secret: use at least 16 characters (e.g. the output of `openssl rand -hex 16`)")
            }
            http.pathToken = token
        }
        http.maxBodyBytes = try reader.int(table, "http", "max_body_bytes", in: 1_024...(64 << 20)) ?? http.maxBodyBytes
        http.threads = try reader.int(table, "http", "threads", in: 1...64) ?? http.threads
        http.connectionLimit = try reader.int(table, "http", "connection_limit", in: 1...100_000) ?? http.connectionLimit
        http.connectionTimeoutSeconds = try reader.int(table, "http", "connection_timeout_seconds", in: 1...3_600)
            ?? http.connectionTimeoutSeconds
    }

    private mutating func readAdmin(_ root: TOMLTable, _ reader: ConfigReader) throws(ConfigError) {
        let table = try reader.section(root, "admin", known: ["listen"])
        guard let listen = try reader.string(table, "admin", "listen") else { return }
        if listen.isEmpty {
            admin.host = nil
            return
        }
        guard let (host, port) = Self.parseListen(listen) else {
            throw reader.error("admin.listen", "'\(listen)' is not ADDRESS:PORT with a numeric address, e.g. \"127.0.0.1:9180\", or \"\" to turn the admin listener off")
        }
        admin.host = host
        admin.port = port
    }

    private mutating func readTrust(_ root: TOMLTable, _ reader: ConfigReader) throws(ConfigError) {
        let table = try reader.section(root, "trust", known: ["allowed_sources", "trusted_proxies", "client_ip_header"])
        if let sources = try reader.strings(table, "trust", "allowed_sources") {
            guard !sources.isEmpty else {
                throw reader.error("trust.allowed_sources", "is empty, so every request would be refused; list CM's ranges (see config.example.toml)")
            }
            trust.allowedSources = CIDRSet(try Self.parseCIDRs(sources, key: "trust.allowed_sources", reader))
        }
        if let proxies = try reader.strings(table, "trust", "trusted_proxies") {
            trust.trustedProxies = CIDRSet(try Self.parseCIDRs(proxies, key: "trust.trusted_proxies", reader))
        }
        if let header = try reader.string(table, "trust", "client_ip_header") {
            guard let mode = ClientIPHeader(rawValue: header.lowercased()) else {
                throw reader.error("trust.client_ip_header", "'\(header)' must be one of \(ClientIPHeader.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
            }
            trust.clientIPHeader = mode
        }
        if trust.clientIPHeader != .none && trust.trustedProxies.networks.isEmpty {
            throw reader.error("trust.client_ip_header", "is \"\(trust.clientIPHeader.rawValue)\" but trust.trusted_proxies is empty, so no proxy would be believed; list your reverse proxy's address (e.g. \"127.0.0.1/32\") or set \"none\"")
        }
    }

    private mutating func readDatabase(_ root: TOMLTable, _ reader: ConfigReader) throws(ConfigError) {
        let table = try reader.section(root, "database", known: [
            "url", "connect_timeout_seconds", "request_timeout_ms", "statement_timeout_ms",
        ])
        guard let url = try reader.string(table, "database", "url"), !url.trimmingWhitespace().isEmpty else {
            throw reader.error("database.url", "is required: a libpq connection URI such as \"postgresql://mo_receiver@localhost/mo_receiver\"")
        }
        database.url = url
        database.connectTimeoutSeconds = try reader.int(table, "database", "connect_timeout_seconds", in: 2...60)
            ?? database.connectTimeoutSeconds
        database.requestTimeoutMilliseconds = try reader.int(table, "database", "request_timeout_ms", in: 100...60_000)
            ?? database.requestTimeoutMilliseconds
        database.statementTimeoutMilliseconds = try reader.int(table, "database", "statement_timeout_ms", in: 100...600_000)
            ?? database.statementTimeoutMilliseconds
    }

    private mutating func readIngest(_ root: TOMLTable, _ reader: ConfigReader) throws(ConfigError) {
        let table = try reader.section(root, "ingest", known: [
            "malformed_status", "batching", "max_batch_items", "max_batch_bytes", "writers",
        ])
        if let status = try reader.int(table, "ingest", "malformed_status", in: 100...599) {
            let allowed = [200, 400, 422]
            guard allowed.contains(status) else {
                throw reader.error("ingest.malformed_status", "\(status) must be one of \(allowed.map(String.init).joined(separator: ", ")) (200 stops CM's retries; CM retries every other status, 202 included, every 5 minutes for a month)")
            }
            ingest.malformedStatus = status
        }
        ingest.batching = try reader.bool(table, "ingest", "batching") ?? ingest.batching
        ingest.maxBatchItems = try reader.int(table, "ingest", "max_batch_items", in: 1...1_024) ?? ingest.maxBatchItems
        ingest.maxBatchBytes = try reader.int(table, "ingest", "max_batch_bytes", in: (64 << 10)...(256 << 20))
            ?? ingest.maxBatchBytes
        ingest.writers = try reader.int(table, "ingest", "writers", in: 1...16) ?? ingest.writers
    }

    private mutating func readLog(_ root: TOMLTable, _ reader: ConfigReader) throws(ConfigError) {
        let table = try reader.section(root, "log", known: ["level", "format", "pii"])
        if let level = try reader.string(table, "log", "level") {
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            guard levels.contains(level.lowercased()) else {
                throw reader.error("log.level", "'\(level)' must be one of \(levels.joined(separator: ", "))")
            }
            log.level = level.lowercased()
        }
        if let format = try reader.string(table, "log", "format") {
            guard let value = Log.Format(rawValue: format.lowercased()) else {
                throw reader.error("log.format", "'\(format)' must be one of \(Log.Format.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            log.format = value
        }
        log.pii = try reader.bool(table, "log", "pii") ?? log.pii
    }

    private static func parseCIDRs(_ texts: [String], key: String, _ reader: ConfigReader) throws(ConfigError) -> [CIDR] {
        var networks: [CIDR] = []
        for (index, text) in texts.enumerated() {
            do {
                networks.append(try CIDR(parsing: text.trimmingWhitespace()))
            } catch {
                throw reader.error("\(key)[\(index)]", error.description)
            }
        }
        return networks
    }

    /// "127.0.0.1:8080" or "[::1]:8080" → (host, port); the host must be a numeric address.
    /// Whether `scalar` is an ASCII letter or digit, or one of `also`.
    static func isPathCharacter(_ scalar: Unicode.Scalar, also: String) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": true
        default: also.unicodeScalars.contains(scalar)
        }
    }

    static func parseListen(_ text: String) -> (String, UInt16)? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") { return nil }
        }
        guard IPAddress(host) != nil, let port = UInt16(portText), String(port) == portText else { return nil }
        return (String(host), port)
    }
}
