/// Why a webhook body is not a usable CM inbound message.
///
/// `description` is exactly one line that names the problem and the field path, never a payload value,
/// so it is safe to log and to return to the caller. An immutable value; safe to share between threads and tasks.
public enum PayloadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// "MO payload is not valid JSON: <JSONError description>"
    case invalidJSON(JSONError)
    /// "MO payload is not a JSON object (found array)"
    case notAnObject(found: String)
    /// "MO payload has no from.number"
    case missingField(String)
    /// "MO payload field message.text is a number, expected string"
    case wrongType(field: String, expected: String, found: String)

    /// Exactly one line, never containing payload values.
    public var description: String {
        switch self {
        case .invalidJSON(let error):
            return "MO payload is not valid JSON: \(error)"
        case .notAnObject(let found):
            return "MO payload is not a JSON object (found \(found))"
        case .missingField(let field):
            return "MO payload has no \(field)"
        case .wrongType(let field, let expected, let found):
            return "MO payload field \(field) is \(Self.withArticle(found)), expected \(expected)"
        }
    }

    /// "a number", "an object", "null".
    private static func withArticle(_ typeName: String) -> String {
        switch typeName {
        case "null": return "null"
        case "array", "object": return "an \(typeName)"
        default: return "a \(typeName)"
        }
    }
}
