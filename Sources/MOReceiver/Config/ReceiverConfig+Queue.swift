import MOPolicy
import TOMLKit

/// `[queue]`, `[dispatch]`, `[[handlers]]` and `[[routes]]`.
extension ReceiverConfig {
    mutating func readQueue(_ root: TOMLTable, _ reader: ConfigReader) throws(ConfigError) {
        let table = try reader.section(root, "queue", known: [
            "workers", "claim_batch", "poll_interval_ms", "lease_seconds", "max_backoff_seconds", "completed_retention_hours",
            "discarded_retention_days", "shutdown_grace_seconds",
        ])
        queue.workers = try reader.int(table, "queue", "workers", in: 1...64) ?? queue.workers
        queue.claimBatch = try reader.int(table, "queue", "claim_batch", in: 1...100) ?? queue.claimBatch
        if let value = try reader.int(table, "queue", "poll_interval_ms", in: 10...60_000) {
            queue.pollInterval = .milliseconds(value)
        }
        if let value = try reader.int(table, "queue", "lease_seconds", in: 1...3_600) { queue.lease = .seconds(value) }
        if let value = try reader.int(table, "queue", "max_backoff_seconds", in: 1...(30 * 86_400)) {
            queue.maxBackoff = .seconds(value)
        }
        if let value = try reader.int(table, "queue", "completed_retention_hours", in: 0...(24 * 3_650)) {
            queue.completedRetention = .seconds(value * 3_600)
        }
        if let value = try reader.int(table, "queue", "discarded_retention_days", in: 1...3_650) {
            queue.discardedRetention = .seconds(value * 86_400)
        }
        if let value = try reader.int(table, "queue", "shutdown_grace_seconds", in: 0...600) {
            queue.shutdownGrace = .seconds(value)
        }
        let dispatchTable = try reader.section(root, "dispatch", known: ["wait_for_media"])
        dispatch.waitForMedia = try reader.bool(dispatchTable, "dispatch", "wait_for_media") ?? dispatch.waitForMedia
    }

    mutating func readHandlers(_ root: TOMLTable, _ reader: ConfigReader, registry: HandlerRegistry) throws(ConfigError) {
        let tables = try reader.arrayOfTables(root, "handlers")
        var names: Set<String> = []
        for (index, table) in tables.enumerated() {
            let key = "handlers[\(index)]"
            guard let name = try reader.string(table, key, "name"), Self.isName(name) else {
                throw reader.error("\(key).name", "is required: 1–64 letters, digits, '_', '-' or '.', e.g. name = \"crm\"")
            }
            guard names.insert(name).inserted else {
                throw reader.error("\(key).name", "'\(name)' is used by an earlier handler; names must be unique")
            }
            guard let type = try reader.string(table, key, "type") else {
                throw reader.error("\(key).type", "is required; the types are \(registry.types.joined(separator: ", "))")
            }
            let maxAttempts = try reader.int(table, key, "max_attempts", in: 1...100) ?? 20
            var settings = HandlerSettings()
            for settingKey in table.keys where !["name", "type", "max_attempts"].contains(settingKey) {
                guard let value = table[settingKey] else { continue }
                settings.values[settingKey] = try Self.settingValue(value, key: "\(key).\(settingKey)", reader)
            }
            let spec = HandlerSpec(name: name, type: type, maxAttempts: maxAttempts, settings: settings)
            do {
                _ = try registry.make(spec, environment: handlerEnvironment)
            } catch {
                throw reader.error("\(key).\(error.key)", error.message)
            }
            handlers.append(spec)
        }
    }

    mutating func readRoutes(_ root: TOMLTable, _ reader: ConfigReader) throws(ConfigError) {
        let tables = try reader.arrayOfTables(root, "routes")
        let known = ["name", "kinds", "channels", "to", "from_prefixes", "keywords", "text_pattern", "handlers", "stop"]
        let handlerNames = Set(handlers.map(\.name))
        for (index, table) in tables.enumerated() {
            let key = "routes[\(index)]"
            for field in table.keys where !known.contains(field) {
                throw reader.error("\(key).\(field)", "unknown key; the keys of [[routes]] are \(known.joined(separator: ", "))")
            }
            var kinds: Set<ItemKind> = []
            for (position, text) in try reader.oneOrMany(table, key, "kinds").enumerated() {
                do {
                    kinds.insert(try ItemKind(parsing: text))
                } catch {
                    throw reader.error("\(key).kinds[\(position)]", "\(error)")
                }
            }
            let targets = try reader.strings(table, key, "handlers") ?? []
            for (position, target) in targets.enumerated() where !handlerNames.contains(target) {
                throw reader.error("\(key).handlers[\(position)]", "'\(target)' is not the name of a [[handlers]] entry")
            }
            var pattern: RoutePattern?
            if let source = try reader.string(table, key, "text_pattern") {
                do {
                    pattern = try RoutePattern(source)
                } catch {
                    throw reader.error("\(key).text_pattern", "\(error)")
                }
            }
            do {
                routes.append(try Route(name: try reader.string(table, key, "name") ?? key, kinds: kinds,
                                        channels: try reader.oneOrMany(table, key, "channels"),
                                        to: try reader.oneOrMany(table, key, "to"),
                                        fromPrefixes: try reader.oneOrMany(table, key, "from_prefixes"),
                                        keywords: try reader.oneOrMany(table, key, "keywords"), textPattern: pattern,
                                        handlers: targets, stop: try reader.bool(table, key, "stop") ?? false))
            } catch let error as RouteError {
                throw reader.error(key, error.description)
            } catch let error as ConfigError {
                throw error
            } catch {
                throw reader.error(key, "\(error)")
            }
        }
    }

    /// A TOML value as a handler setting: strings, integers, booleans, arrays of strings, tables, arrays of tables.
    static func settingValue(_ value: any TOMLValueConvertible, key: String,
                             _ reader: ConfigReader) throws(ConfigError) -> HandlerSettings.Value {
        if let text = value.string { return .string(text) }
        if let number = value.int { return .int(number) }
        if let flag = value.bool { return .bool(flag) }
        if let table = value.table { return .table(try settings(table, key: key, reader)) }
        guard let array = value.array else { throw reader.error(key, "unsupported value of type \(value.type)") }
        if array.isEmpty { return .strings([]) }
        if array.allSatisfy({ $0.table != nil }) {
            var tables: [HandlerSettings] = []
            for (index, element) in array.enumerated() {
                tables.append(try settings(element.table!, key: "\(key)[\(index)]", reader))
            }
            return .tables(tables)
        }
        var strings: [String] = []
        for (index, element) in array.enumerated() {
            guard let text = element.string else {
                throw reader.error("\(key)[\(index)]", "must be a string, found \(element.type)")
            }
            strings.append(text)
        }
        return .strings(strings)
    }

    private static func settings(_ table: TOMLTable, key: String, _ reader: ConfigReader) throws(ConfigError) -> HandlerSettings {
        var settings = HandlerSettings()
        for name in table.keys {
            guard let value = table[name] else { continue }
            settings.values[name] = try settingValue(value, key: "\(key).\(name)", reader)
        }
        return settings
    }

    static func isName(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x5F
                || byte == 0x2D || byte == 0x2E
        }
    }
}

extension ConfigReader {
    /// `[[name]]` tables, in order (none when absent).
    func arrayOfTables(_ root: TOMLTable, _ name: String) throws(ConfigError) -> [TOMLTable] {
        guard let value = root[name] else { return [] }
        guard let array = value.array else {
            throw error(name, "must be written as [[\(name)]] tables, found \(value.type)")
        }
        var tables: [TOMLTable] = []
        for (index, element) in array.enumerated() {
            guard let table = element.table else {
                throw error("\(name)[\(index)]", "must be a table ([[\(name)]]), found \(element.type)")
            }
            tables.append(table)
        }
        return tables
    }

    /// A string or an array of strings ("WhatsApp" or ["WhatsApp", "SMS"]); [] when absent.
    func oneOrMany(_ table: TOMLTable, _ section: String, _ key: String) throws(ConfigError) -> [String] {
        if let text = table[key]?.string { return [text] }
        return try strings(table, section, key) ?? []
    }
}
