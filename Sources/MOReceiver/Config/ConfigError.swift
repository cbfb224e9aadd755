/// A configuration problem, phrased to be fixed without reading the source:
/// "config.toml:12: trust.allowed_sources[1]: '31.169.57.0/21' has host bits set (did you mean 31.169.56.0/21?)".
public struct ConfigError: Error, Sendable, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int?
    /// The dotted key, e.g. "trust.allowed_sources[1]"; "" for the file as a whole.
    public let key: String
    public let message: String

    public init(file: String, line: Int?, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if !key.isEmpty { text += ": \(key)" }
        return text + ": " + message
    }
}
