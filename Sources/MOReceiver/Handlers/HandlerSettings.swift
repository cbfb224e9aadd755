/// One `[[handlers]]` entry of the config: its name, its type, and the type's own settings (every other key).
/// Value type; validated into a handler by ``HandlerRegistry``.
public struct HandlerSpec: Sendable {
    public var name: String
    public var type: String
    /// Attempts before a failing dispatch is discarded (`max_attempts`, default 20).
    public var maxAttempts: Int
    public var settings: HandlerSettings

    public init(name: String, type: String, maxAttempts: Int = 20, settings: HandlerSettings = HandlerSettings()) {
        self.name = name
        self.type = type
        self.maxAttempts = maxAttempts
        self.settings = settings
    }
}

/// A handler type's settings as read from the config, with typed accessors whose errors name the key. Value type.
public struct HandlerSettings: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case string(String)
        case int(Int)
        case bool(Bool)
        case strings([String])
        /// A table (`senders = { WhatsApp = "+3197…" }`).
        case table(HandlerSettings)
        /// An array of tables (`[[handlers.rules]]`).
        case tables([HandlerSettings])
    }

    public var values: [String: Value]

    public init(_ values: [String: Value] = [:]) {
        self.values = values
    }

    /// A handler setting that is missing, of the wrong type or out of range. `key` is the setting's own name; the
    /// config loader adds the file, line and `handlers[N]`.
    public struct Problem: Error, Sendable, Equatable {
        public let key: String
        public let message: String

        public init(_ key: String, _ message: String) {
            self.key = key
            self.message = message
        }
    }

    public func string(_ key: String) throws(Problem) -> String? {
        switch values[key] {
        case nil: return nil
        case .string(let text): return text
        case .some(let other): throw Problem(key, "must be a string, found \(other.typeName)")
        }
    }

    public func requiredString(_ key: String, example: String) throws(Problem) -> String {
        guard let text = try string(key), !text.isEmpty else {
            throw Problem(key, "is required, e.g. \(key) = \(example)")
        }
        return text
    }

    public func int(_ key: String, in range: ClosedRange<Int>) throws(Problem) -> Int? {
        switch values[key] {
        case nil: return nil
        case .int(let number):
            guard range.contains(number) else {
                throw Problem(key, "\(number) is out of range (\(range.lowerBound)...\(range.upperBound))")
            }
            return number
        case .some(let other): throw Problem(key, "must be an integer, found \(other.typeName)")
        }
    }

    public func bool(_ key: String) throws(Problem) -> Bool? {
        switch values[key] {
        case nil: return nil
        case .bool(let flag): return flag
        case .some(let other): throw Problem(key, "must be true or false, found \(other.typeName)")
        }
    }

    public func table(_ key: String) throws(Problem) -> HandlerSettings? {
        switch values[key] {
        case nil: return nil
        case .table(let table): return table
        case .some(let other): throw Problem(key, "must be a table, found \(other.typeName)")
        }
    }

    public func tables(_ key: String) throws(Problem) -> [HandlerSettings]? {
        switch values[key] {
        case nil: return nil
        case .tables(let tables): return tables
        case .some(let other): throw Problem(key, "must be written as [[handlers.\(key)]] tables, found \(other.typeName)")
        }
    }

    public func strings(_ key: String) throws(Problem) -> [String]? {
        switch values[key] {
        case nil: return nil
        case .strings(let list): return list
        case .some(let other): throw Problem(key, "must be an array of strings, found \(other.typeName)")
        }
    }

    /// Refuses keys the handler type does not know (a misspelt key must not fall back to a default silently).
    public func refuseUnknown(known: [String], type: String) throws(Problem) {
        for key in values.keys.sorted() where !known.contains(key) {
            throw Problem(key, "unknown setting for a handler of type \"\(type)\"; its settings are \(known.isEmpty ? "none" : known.joined(separator: ", "))")
        }
    }
}

extension HandlerSettings.Value {
    var typeName: String {
        switch self {
        case .string: "a string"
        case .int: "an integer"
        case .bool: "a boolean"
        case .strings: "an array"
        case .table: "a table"
        case .tables: "an array of tables"
        }
    }
}
