/// A failure reported by libpq or the server.
///
/// `description` is one line with no query parameters in it; server detail (which may quote values) is only in
/// `debugDescription`. Value type, usable from any thread.
public struct PGError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public enum Kind: String, Sendable {
        /// Could not connect, or the connection broke: the server may be down, restarting or unreachable.
        case connection
        /// The server rejected a statement (see `sqlState`).
        case query
        /// The connection is fine but the result was not what the caller expected.
        case protocolViolation
    }

    public let kind: Kind
    /// The five-character SQLSTATE, e.g. "23505", when the server sent one.
    public let sqlState: String?
    /// The server's primary message (or libpq's), first line only.
    public let message: String
    /// The constraint that failed, when the server named one.
    public let constraint: String?
    /// Server detail; may quote data, so it never appears in `description`.
    public let detail: String?
    /// The statement was sent and then the connection broke or went silent before its answer: it may have
    /// committed. (A server error, or a failure before sending, means it did not.)
    public let outcomeUnknown: Bool

    public init(kind: Kind, sqlState: String? = nil, message: String, constraint: String? = nil, detail: String? = nil,
                outcomeUnknown: Bool = false) {
        self.outcomeUnknown = outcomeUnknown
        self.kind = kind
        self.sqlState = sqlState
        self.message = PGError.firstLine(message)
        self.constraint = constraint
        self.detail = detail
    }

    /// True when retrying on a fresh connection may succeed: connection failures, and the server classes that mean
    /// "not now" (08 connection exception, 57P0x shutdown/crash, 53 insufficient resources, 40001/40P01 serialization).
    public var isTransient: Bool {
        if kind == .connection { return true }
        guard let state = sqlState else { return false }
        return state.hasPrefix("08") || state.hasPrefix("57P") || state.hasPrefix("53")
            || state == "40001" || state == "40P01" || state == "55P03" || state == "57014"
    }

    public var description: String {
        var text = "\(kind.rawValue) error"
        if let sqlState { text += " \(sqlState)" }
        text += ": \(message)"
        if let constraint { text += " (constraint \(constraint))" }
        return text
    }

    public var debugDescription: String {
        detail.map { "\(description); detail: \($0)" } ?? description
    }

    /// The first line of `text` once leading and trailing whitespace and newlines (Unicode White_Space, the set
    /// Foundation calls `whitespacesAndNewlines`) are trimmed.
    static func firstLine(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        let trimmed = String(scalars)
        return trimmed.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? trimmed
    }
}
