#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An event from CM's event webhook (RCS `SuggestionClick`, Instagram `StoryMention`, GBM
/// `HumanAgentRequested`, …), normalised. Any event type is accepted.
///
/// A pure value made by `InboundEvent(json:)`; safe to share between threads and tasks. Strings never
/// contain U+0000 (replaced by U+FFFD).
public struct InboundEvent: Sendable, Equatable {
    /// As sent; "" when absent.
    public var channel: String
    /// `from.number`; required.
    public var fromNumber: String
    public var toNumber: String?
    /// `event.type`; required, any value.
    public var type: String
    /// Raw JSON text of `event.custom` as received; `nil` when absent or null.
    public var customJSON: String?
    /// Raw JSON text of the whole `event` object.
    public var eventJSON: String
    public var reference: String?
    /// A string as is; any other JSON value as its raw text.
    public var messageContext: String?
    public var groupings: [String]
    public var timeUtc: Date?
    public var timeUtcRaw: String?

    public init(channel: String, fromNumber: String, toNumber: String?, type: String, customJSON: String?,
                eventJSON: String, reference: String?, messageContext: String?, groupings: [String],
                timeUtc: Date?, timeUtcRaw: String?) {
        self.channel = channel
        self.fromNumber = fromNumber
        self.toNumber = toNumber
        self.type = type
        self.customJSON = customJSON
        self.eventJSON = eventJSON
        self.reference = reference
        self.messageContext = messageContext
        self.groupings = groupings
        self.timeUtc = timeUtc
        self.timeUtcRaw = timeUtcRaw
    }
}
