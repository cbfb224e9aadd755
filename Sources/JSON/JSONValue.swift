/// One JSON value and the byte range (`span`) of its text in the parsed ``JSONDocument/bytes``.
///
/// A span is half-open and covers the value's own text only: quotes included for strings,
/// brackets included for arrays and objects, surrounding whitespace excluded.
/// An immutable value; safe to share between threads and tasks.
public indirect enum JSONValue: Sendable, Equatable {
    case null(span: Range<Int>)
    case bool(Bool, span: Range<Int>)
    /// The literal as written; never converted (huge numbers are fine).
    case number(String, span: Range<Int>)
    /// The unescaped string. May contain U+0000 (from a `\u0000` escape).
    case string(String, span: Range<Int>)
    case array([JSONValue], span: Range<Int>)
    /// Members in document order. Keys are unique (the parser rejects duplicates).
    case object([(key: String, value: JSONValue)], span: Range<Int>)

    /// The byte range of this value's text in the document it was parsed from.
    public var span: Range<Int> {
        switch self {
        case .null(let span), .bool(_, let span), .number(_, let span),
             .string(_, let span), .array(_, let span), .object(_, let span):
            return span
        }
    }

    /// Object member lookup: `nil` for non-objects and missing keys.
    ///
    /// Keys match by exact Unicode scalars (as JSON compares names), not by Swift's canonical equivalence.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members, _) = self else { return nil }
        return members.first { $0.key.hasSameUTF8(as: key) }?.value
    }

    /// The unescaped text of a `.string`; `nil` for every other case.
    public var stringValue: String? {
        guard case .string(let text, _) = self else { return nil }
        return text
    }

    /// Whether this is JSON `null`.
    public var isNull: Bool {
        guard case .null = self else { return false }
        return true
    }

    /// The JSON type's name for error messages: "null", "boolean", "number", "string", "array" or "object".
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
