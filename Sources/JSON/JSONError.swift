/// Why ``JSONParser`` rejected its input, and the byte offset where it noticed.
///
/// `description` is one line and echoes no payload text except, for a duplicate key, the key's first
/// 40 Unicode scalars with quotes, backslashes and control or format characters escaped.
/// An immutable value; safe to share between threads and tasks.
public struct JSONError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The rule the input broke.
    public enum Kind: Equatable, Sendable {
        /// No value at all: empty input, or only a byte order mark and whitespace.
        case empty
        /// Bytes that are not UTF-8 (overlong, encoded surrogate, above U+10FFFF, truncated, stray continuation).
        case invalidUTF8
        /// A byte that cannot start or continue the expected token.
        case unexpectedCharacter
        /// The input ended inside a value.
        case unexpectedEnd
        /// A backslash escape that JSON does not define, or `\u` without four hex digits.
        case invalidEscape
        /// A `\u` escape of a lone or mis-paired UTF-16 surrogate.
        case invalidSurrogate
        /// A raw byte below 0x20 inside a string.
        case controlCharacterInString
        /// A number that breaks RFC 8259's grammar (leading zero, `+1`, `.5`, `1.`, `1e`, `-`).
        case invalidNumber
        /// Something other than whitespace after the top-level value.
        case trailingContent
        /// Arrays and objects nested deeper than ``JSONLimits/maxDepth``.
        case tooDeep
        /// A string longer than ``JSONLimits/maxStringBytes``.
        case stringTooLong
        /// An object that names the same key twice.
        case duplicateKey(String)
    }

    /// The rule the input broke.
    public let kind: Kind

    /// The byte offset into the input (a byte order mark counts) where the problem starts:
    /// the offending byte; the backslash of a bad escape; the opening quote of a string that is too long
    /// or a duplicate key; the bracket that is one level too deep; the input's length when it ended early.
    public let offset: Int

    public init(kind: Kind, offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    /// One line, e.g. `invalid JSON at byte 17: duplicate key "from"`.
    public var description: String {
        "invalid JSON at byte \(offset): \(kind.summary)"
    }
}

extension JSONError.Kind {
    /// A short phrase naming the problem without payload text.
    var summary: String {
        switch self {
        case .empty: "empty input"
        case .invalidUTF8: "invalid UTF-8"
        case .unexpectedCharacter: "unexpected character"
        case .unexpectedEnd: "unexpected end of input"
        case .invalidEscape: "invalid escape sequence"
        case .invalidSurrogate: "unpaired UTF-16 surrogate escape"
        case .controlCharacterInString: "unescaped control character in string"
        case .invalidNumber: "invalid number"
        case .trailingContent: "trailing content after the value"
        case .tooDeep: "nesting too deep"
        case .stringTooLong: "string too long"
        case .duplicateKey(let key): "duplicate key \"\(Self.displayKey(key))\""
        }
    }

    /// At most 40 scalars of `key`, safe to put on one log line.
    static func displayKey(_ key: String) -> String {
        let limit = 40
        var shown = ""
        for (count, scalar) in key.unicodeScalars.enumerated() {
            if count == limit {
                shown += "…"
                break
            }
            shown += escaped(scalar)
        }
        return shown
    }

    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\"": return "\\\""
        case "\\": return "\\\\"
        default:
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .unassigned, .surrogate:
                return "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default:
                return String(scalar)
            }
        }
    }
}
