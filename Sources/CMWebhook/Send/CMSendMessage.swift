/// One message for CM's send API (`messages.msg[]`, seed 000/001): a plain text body (`"type":"auto"`, so CM picks
/// GSM-7 or Unicode) to one or more numbers.
///
/// A plain value built by whoever sends (the auto_reply handler, `moctl send`); safe to share between threads and
/// tasks. ``CMSendRequest/body(for:productTokenInBody:)`` turns messages into the request body.
public struct CMSendMessage: Sendable, Equatable {
    /// The sender (`from`): the number or channel account the customer wrote to. CM limits SMS senders to 16 digits
    /// or 11 alphanumeric characters; other channels use their own ids (an Apple Messages for Business id is a
    /// UUID), so no length is checked here.
    public var from: String
    /// Recipients (`to[].number`), in CM's format (`00447911123456`) or the channel's id. Every number gets the same
    /// message, and its own entry in the response.
    public var to: [String]
    /// The text (`body.content`).
    public var content: String
    /// Our reference (`reference`): 1 to 32 ASCII letters and digits (CM's XML/GET docs, seed 001). CM echoes it in
    /// the response and in status reports; it is how we find our message in both.
    public var reference: String
    /// `allowedChannels` (`"WhatsApp"`, `"SMS"`, …); empty leaves it out, which lets CM use any channel configured
    /// for the account. More than one is a fallback order (seed 001, "fallback").
    public var allowedChannels: [String]
    /// `customGrouping3` (up to 100 characters, seed 001); `nil` leaves it out.
    public var customGrouping3: String?

    public init(from: String, to: [String], content: String, reference: String, allowedChannels: [String] = [],
                customGrouping3: String? = nil) {
        self.from = from
        self.to = to
        self.content = content
        self.reference = reference
        self.allowedChannels = allowedChannels
        self.customGrouping3 = customGrouping3
    }

    /// The longest `customGrouping3` CM accepts (seed 001: "up to 100 characters").
    public static let maxCustomGroupingLength = 100

    /// The longest `reference` CM accepts (seed 001: "1 - 32 alphanumeric characters").
    public static let maxReferenceLength = 32

    /// Refuses what CM would reject per message (codes 301–305) or that could never be matched back: an empty
    /// sender, no recipient or an empty one, an empty body, a reference that is not 1–32 ASCII letters or digits,
    /// an empty channel name, a grouping over 100 characters. The error names the field, never its value.
    public func validate() throws(CMSendMessageError) {
        guard !from.isEmpty else { throw .emptyField("from") }
        guard !to.isEmpty else { throw .emptyField("to") }
        if let index = to.firstIndex(where: \.isEmpty) { throw .emptyField("to[\(index)].number") }
        guard !content.isEmpty else { throw .emptyField("body.content") }
        guard !reference.isEmpty else { throw .emptyField("reference") }
        guard reference.utf8.count <= Self.maxReferenceLength,
              reference.utf8.allSatisfy(CMSendMessage.isASCIIAlphanumeric) else {
            throw .invalidReference
        }
        if let index = allowedChannels.firstIndex(where: \.isEmpty) { throw .emptyField("allowedChannels[\(index)]") }
        if let grouping = customGrouping3, grouping.count > Self.maxCustomGroupingLength {
            throw .customGroupingTooLong(grouping.count)
        }
    }

    static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "a")...UInt8(ascii: "z"):
            return true
        default:
            return false
        }
    }
}

/// Why a ``CMSendMessage`` would be rejected by CM. `description` is one line naming the field, never its value.
/// A pure value usable from any thread.
public enum CMSendMessageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The field (`from`, `to`, `to[1].number`, `body.content`, `reference`, `allowedChannels[0]`) is empty.
    case emptyField(String)
    /// The reference is longer than 32 characters or has a character other than ASCII letters and digits.
    case invalidReference
    /// `customGrouping3` has this many characters, more than CM's 100.
    case customGroupingTooLong(Int)

    public var description: String {
        switch self {
        case .emptyField(let field):
            "send message field \(field) is empty"
        case .invalidReference:
            "send message reference must be 1 to \(CMSendMessage.maxReferenceLength) ASCII letters and digits"
        case .customGroupingTooLong(let count):
            "send message customGrouping3 has \(count) characters, more than CM's \(CMSendMessage.maxCustomGroupingLength)"
        }
    }
}
