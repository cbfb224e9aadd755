import JSON

/// CM's answer to a send request (seed 000, seed 001 "Examples of responses of failed JSON requests"):
///
/// ```json
/// {"details":"Created 1 message(s)","errorCode":0,"messages":[{"to":"00447911123456","status":"Accepted",
///   "reference":"my_reference_123","parts":1,"messageDetails":null,"messageErrorCode":0}]}
/// ```
///
/// Read by ``init(json:limits:)``; classified by ``CMSendOutcome``. A pure value; safe to share between threads
/// and tasks.
public struct CMSendResponse: Sendable, Equatable {
    /// One entry of `messages[]`: the result for one recipient of one `msg`.
    public struct Message: Sendable, Equatable {
        /// `status`, compared ignoring ASCII case.
        public enum Status: Sendable, Equatable {
            case accepted
            case rejected
            /// Any other text, as sent.
            case other(String)

            /// "Accepted" and "Rejected" in any letter case; anything else is `.other`.
            public init(_ text: String) {
                if text.equalsIgnoringASCIICase("accepted") {
                    self = .accepted
                } else if text.equalsIgnoringASCIICase("rejected") {
                    self = .rejected
                } else {
                    self = .other(text)
                }
            }
        }

        /// `to`: the recipient as CM understood it; may be `nil`.
        public var to: String?
        /// `status`; `nil` when absent, null or empty.
        public var status: Status?
        /// `reference`: ours, echoed; `nil` when absent, null or empty (CM sends `null` for a msg without one).
        public var reference: String?
        /// `parts`: how many SMS parts CM created (0 when rejected).
        public var parts: Int?
        /// `messageDetails`: why it was rejected, in CM's words. May quote the recipient's number: keep it out of
        /// logs that must not hold personal data.
        public var messageDetails: String?
        /// `messageErrorCode` (0 when accepted); `nil` when absent, as in older responses (seen in
        /// cmdotcom-plugins/messaging-php mocks).
        public var messageErrorCode: Int?

        public init(to: String? = nil, status: Status? = nil, reference: String? = nil, parts: Int? = nil,
                    messageDetails: String? = nil, messageErrorCode: Int? = nil) {
            self.to = to
            self.status = status
            self.reference = reference
            self.parts = parts
            self.messageDetails = messageDetails
            self.messageErrorCode = messageErrorCode
        }
    }

    /// The top-level `errorCode` (see ``CMSendErrorCode``): 0 when everything was accepted, 201 when some or all
    /// messages were rejected (then see `messages`), 1xx for the account, 500/999 for CM's own failures.
    public var errorCode: Int
    /// `details`: "Created 1 message(s)", "No account found for the given authentication", …
    public var details: String?
    /// `messages[]` in the order CM sent them; empty when absent or null (CM sends `[]` for request-level errors).
    public var messages: [Message]

    public init(errorCode: Int, details: String? = nil, messages: [Message] = []) {
        self.errorCode = errorCode
        self.details = details
        self.messages = messages
    }
}

/// Why a send response body could not be read. `description` is one line starting "CM send response" that names
/// the field path (`messages[2].parts`, numbered from 1), never a value from the body, so it is safe to log and to
/// store. A pure value usable from any thread.
public enum CMSendResponseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The body is not JSON (an HTML error page from a proxy, say).
    case invalidJSON(JSONError)
    /// The body is JSON but not an object.
    case notAnObject(found: String)
    /// No `errorCode` member, or it is null or an empty string: not a send response.
    case missingErrorCode
    /// A member has the wrong JSON type (`expected` says what was wanted, `found` the JSON type seen).
    case wrongType(field: String, expected: String, found: String)
    /// A number, or a string meant as one, that is not an integer in Int's range.
    case notAnInteger(field: String)
    /// Two members of one object whose names differ only in letter case (CM's keys are case-insensitive).
    case ambiguousKey(field: String)
    /// More `messages` entries than ``CMSendResponse/maxMessages``.
    case tooManyMessages(limit: Int)

    public var description: String {
        switch self {
        case .invalidJSON(let error):
            return "CM send response is not valid JSON: \(error)"
        case .notAnObject(let found):
            return "CM send response is not a JSON object (found \(found))"
        case .missingErrorCode:
            return "CM send response has no errorCode"
        case .wrongType(let field, let expected, let found):
            return "CM send response field \(field) is \(Self.withArticle(found)), expected \(expected)"
        case .notAnInteger(let field):
            return "CM send response field \(field) is not an integer"
        case .ambiguousKey(let field):
            return "CM send response field \(field) is given more than once in different letter case"
        case .tooManyMessages(let limit):
            return "CM send response has more than \(limit) messages entries"
        }
    }

    /// "a number", "an object", "null".
    private static func withArticle(_ typeName: String) -> String {
        switch typeName {
        case "null": "null"
        case "array", "object": "an \(typeName)"
        default: "a \(typeName)"
        }
    }
}
