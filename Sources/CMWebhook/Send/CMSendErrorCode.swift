/// One row of CM's "JSON POST Error codes" table (seed 001), with what a sender should do about it.
///
/// The meanings are the table's descriptions, with its "(per msg)" notes dropped; they are the reason texts of
/// ``CMSendOutcome``. A pure value; the table is a constant shared by every thread.
public struct CMSendErrorCode: Sendable, Equatable {
    /// What a sender does when CM answers with this code.
    public enum Handling: Sendable, Equatable {
        /// 0: the request was fine; each message's own status says whether it was accepted.
        case ok
        /// 201: some or all messages were rejected; each message's own status and code say which and why.
        case perMessage
        /// 500, 999: CM failed; the same request may succeed later.
        case retry
        /// The account or the request is wrong (token, balance, JSON, sender, fields): every later send fails the
        /// same way until the operator acts. Permanent, and loud.
        case failLoudly
        /// This message to this recipient was refused (number, body, spam or blacklist filter). Permanent, quiet:
        /// other sends are unaffected.
        case reject
    }

    public let code: Int
    public let meaning: String
    public let handling: Handling

    /// Every code in seed 001's table, in its order.
    ///
    /// Judgement calls: 102 (balance) is loud rather than a retry, because a reply sent after the operator tops up
    /// would arrive late; 202/203 (malformed request) are loud because only a code or config change fixes them; 301
    /// (invalid From) and 305 (invalid field) are loud because `from`, `allowedChannels`, `reference` and the groupings
    /// come from our config and code, not from the customer; 302–304 and 401–403 concern one recipient or one text.
    public static let table: [CMSendErrorCode] = [
        CMSendErrorCode(code: 0, meaning: "Ok", handling: .ok),
        CMSendErrorCode(code: 999, meaning: "Unknown error, please contact CM support", handling: .retry),
        CMSendErrorCode(code: 101, meaning: "Authentication of the request failed", handling: .failLoudly),
        CMSendErrorCode(code: 102, meaning: "The account using this authentication has insufficient balance",
                        handling: .failLoudly),
        CMSendErrorCode(code: 103, meaning: "The product token is incorrect", handling: .failLoudly),
        CMSendErrorCode(code: 201, meaning: "This request has one or more errors in its messages. "
                        + "Some or all messages have not been sent", handling: .perMessage),
        CMSendErrorCode(code: 202, meaning: "This request is malformed, please confirm the JSON and that the correct "
                        + "data types are used", handling: .failLoudly),
        CMSendErrorCode(code: 203, meaning: "The request's MSG array is incorrect", handling: .failLoudly),
        CMSendErrorCode(code: 301, meaning: "This MSG has an invalid From field", handling: .failLoudly),
        CMSendErrorCode(code: 302, meaning: "This MSG has an invalid To field", handling: .reject),
        CMSendErrorCode(code: 303, meaning: "This MSG has an invalid Phone Number in the To field", handling: .reject),
        CMSendErrorCode(code: 304, meaning: "This MSG has an invalid Body field", handling: .reject),
        CMSendErrorCode(code: 305, meaning: "This MSG has an invalid field. Please confirm with the documentation",
                        handling: .failLoudly),
        CMSendErrorCode(code: 401, meaning: "Message has been spam filtered", handling: .reject),
        CMSendErrorCode(code: 402, meaning: "Message has been blacklisted", handling: .reject),
        CMSendErrorCode(code: 403, meaning: "Message has been rejected", handling: .reject),
        CMSendErrorCode(code: 500, meaning: "An internal error has occurred", handling: .retry),
    ]

    private static let byCode: [Int: CMSendErrorCode] = Dictionary(uniqueKeysWithValues: table.map { ($0.code, $0) })

    /// The table's row for `code`; `nil` for a code the table does not list.
    public static func lookup(_ code: Int) -> CMSendErrorCode? {
        byCode[code]
    }

    /// "CM error 101: Authentication of the request failed".
    var summary: String {
        "CM error \(code): \(meaning)"
    }
}
