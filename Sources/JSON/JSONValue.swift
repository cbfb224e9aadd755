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

extension JSONValue {
    /// Structural equality, spans included. Strings and keys compare by exact Unicode scalars
    /// (JSON's notion of equal text), not by Swift's canonical equivalence; member order matters.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case let (.null(a), .null(b)):
            return a == b
        case let (.bool(x, a), .bool(y, b)):
            return x == y && a == b
        case let (.number(x, a), .number(y, b)):
            return a == b && x.utf8.elementsEqual(y.utf8)
        case let (.string(x, a), .string(y, b)):
            return a == b && x.utf8.elementsEqual(y.utf8)
        case let (.array(x, a), .array(y, b)):
            return a == b && x == y
        case let (.object(x, a), .object(y, b)):
            return a == b && x.count == y.count && zip(x, y).allSatisfy { left, right in
                left.key.utf8.elementsEqual(right.key.utf8) && left.value == right.value
            }
        default:
            return false
        }
    }
}
