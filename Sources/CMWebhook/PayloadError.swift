import JSON
import XML

/// Why a webhook body is not a usable CM payload: which form was expected (``Subject``) and what is wrong
/// (``Problem``).
///
/// `description` is exactly one line that names the problem and the field path, never a payload value,
/// so it is safe to log and to return to the caller. An immutable value; safe to share between threads and tasks.
public struct PayloadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The form the body was read as; it starts every description.
    public enum Subject: String, Sendable {
        case inboundMessage = "MO payload"
        case statusReport = "status report"
        case event = "event payload"
    }

    public enum Problem: Equatable, Sendable {
        /// "… is not valid JSON: <JSONError description>"
        case invalidJSON(JSONError)
        /// "… is not well-formed XML: <detail>" (detail names a position or construct, never content)
        case invalidXML(String)
        /// "… is refused: <why>" — well-formed but hostile or over a limit (DOCTYPE, depth, item count, encoding).
        case refused(String)
        /// "… is not a JSON object (found array)"
        case notAnObject(found: String)
        /// "… has no from.number"
        case missingField(String)
        /// "… field message.text is a number, expected string"
        case wrongType(field: String, expected: String, found: String)
        /// "… parameter 'reference' is given more than once"
        case repeatedParameter(String)
        /// "… field STATUS/CODE is invalid: <why>" (why never quotes the value)
        case invalidValue(field: String, reason: String)
        /// "… came in a form no decoder knows: a GET query string" — kept raw, for an operator to look at.
        case unknownForm(String)
    }

    public var subject: Subject
    public var problem: Problem

    public init(_ subject: Subject, _ problem: Problem) {
        self.subject = subject
        self.problem = problem
    }

    /// Exactly one line, never containing payload values.
    public var description: String {
        let subject = subject.rawValue
        switch problem {
        case .invalidJSON(let error):
            return "\(subject) is not valid JSON: \(error)"
        case .invalidXML(let detail):
            return "\(subject) is not well-formed XML: \(detail)"
        case .refused(let why):
            return "\(subject) is refused: \(why)"
        case .notAnObject(let found):
            return "\(subject) is not a JSON object (found \(found))"
        case .missingField(let field):
            return "\(subject) has no \(field)"
        case .wrongType(let field, let expected, let found):
            return "\(subject) field \(field) is \(Self.withArticle(found)), expected \(expected)"
        case .repeatedParameter(let name):
            return "\(subject) parameter '\(name)' is given more than once"
        case .invalidValue(let field, let reason):
            return "\(subject) field \(field) is invalid: \(reason)"
        case .unknownForm(let form):
            return "\(subject) came in a form no decoder knows: \(form)"
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

// MO spellings, so the MO decoder and its tests read as before: `PayloadError.missingField("from.number")`.
extension PayloadError {
    public static func invalidJSON(_ error: JSONError) -> PayloadError { PayloadError(.inboundMessage, .invalidJSON(error)) }
    public static func notAnObject(found: String) -> PayloadError { PayloadError(.inboundMessage, .notAnObject(found: found)) }
    public static func missingField(_ field: String) -> PayloadError { PayloadError(.inboundMessage, .missingField(field)) }
    public static func wrongType(field: String, expected: String, found: String) -> PayloadError {
        PayloadError(.inboundMessage, .wrongType(field: field, expected: expected, found: found))
    }
}

extension PayloadError {
    /// A parse failure of a `subject` body: hostile or over-limit input (``XMLError/isRefusal``) becomes
    /// `.refused("DOCTYPE is not allowed at byte 38")`, anything else `.invalidXML(<XMLError description>)`.
    init(_ subject: Subject, xml error: XMLError) {
        if error.isRefusal {
            self.init(subject, .refused("\(error.kind.summary) at byte \(error.offset)"))
        } else {
            self.init(subject, .invalidXML(error.description))
        }
    }
}
