#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Which channels only let a business answer for a while after the customer's last message, and for how long.
///
/// Outside the window the channel refuses free-form messages (status report error 40, "the conversation window is
/// closed", seed 001), so an auto-reply that would arrive after it (a retry after an outage, a replayed job) is
/// skipped instead of sent. Defaults, by CM's channel names compared ignoring case:
/// - WhatsApp: 24 hours (seed 003: "After an incoming message is received, there is a time window … In general this
///   time window is 24 hours"; outside it only approved templates may be sent, seed 001).
/// - Facebook Messenger (also "Messenger", "Facebook") and Instagram (also "Instagram Messaging"): 24 hours, Meta's
///   standard messaging window (the HUMAN_AGENT tag's 7 days is for people, not auto-replies).
/// - Twitter (X): 24 hours (seed 001: up to 5 messages "within a 24 hour window" after each received message).
/// - Google Business Messages (also "GBM"): 30 days after the user's last message (Google's documentation). Google
///   wound the service down in July 2024; the entry stays for stored messages that are replayed.
/// - Apple Messages for Business (also "Apple Business Chat", CM's older name that MO payloads still carry):
///   24 hours. Apple documents no fixed expiry, only that the customer must start the conversation (and can delete
///   it); 24 hours is a conservative choice for automatic replies, which are stale long before that.
/// - Not windowed: SMS, RCS, Viber, Telegram, Push, Voice and any channel not listed: ``isOpen(channel:lastInboundAt:now:)``
///   is always true for them.
///
/// A pure value type, built once from config and shared by every thread.
public struct ConversationWindow: Sendable {
    /// Window lengths by channel name as configured.
    public let windows: [String: Duration]
    /// `windows` keyed by lowercased name.
    private let keys: [String: Duration]

    public static let defaultWindows: [String: Duration] = [
        "WhatsApp": .seconds(24 * 3600),
        "Facebook Messenger": .seconds(24 * 3600),
        "Messenger": .seconds(24 * 3600),
        "Facebook": .seconds(24 * 3600),
        "Instagram": .seconds(24 * 3600),
        "Instagram Messaging": .seconds(24 * 3600),
        "Twitter": .seconds(24 * 3600),
        "Google Business Messages": .seconds(30 * 24 * 3600),
        "GBM": .seconds(30 * 24 * 3600),
        "Apple Messages for Business": .seconds(24 * 3600),
        "Apple Business Chat": .seconds(24 * 3600),
    ]

    /// Refuses a blank channel name, a name given twice ignoring case, and a window that is not positive.
    public init(windows: [String: Duration] = defaultWindows) throws(ConversationWindowError) {
        var keys: [String: Duration] = [:]
        for (channel, length) in windows.sorted(by: { $0.key < $1.key }) {
            guard channel.contains(where: { !$0.isWhitespace }) else { throw .emptyChannel }
            guard length > .zero else { throw .notPositive(channel) }
            let key = channel.lowercased()
            guard keys[key] == nil else { throw .duplicateChannel(channel) }
            keys[key] = length
        }
        self.windows = windows
        self.keys = keys
    }

    /// The defaults.
    public static let standard: ConversationWindow = {
        do {
            return try ConversationWindow()
        } catch {
            preconditionFailure("the default conversation windows are valid: \(error)")
        }
    }()

    /// The window of `channel` (compared ignoring case), `nil` when it has none.
    public func window(for channel: String) -> Duration? {
        keys[channel.lowercased()]
    }

    /// Whether a message may still be sent on `channel` at `now`.
    ///
    /// Always true for a channel without a window. For a windowed channel: false when there was no inbound message
    /// (`lastInboundAt` nil), else true while less than the window has passed since it (exactly the window is
    /// closed). A `lastInboundAt` after `now` (clocks apart) counts as just now.
    public func isOpen(channel: String, lastInboundAt: Date?, now: Date) -> Bool {
        guard let window = window(for: channel) else { return true }
        guard let lastInboundAt else { return false }
        let elapsed = max(0, now.timeIntervalSince(lastInboundAt))
        return elapsed < Self.seconds(window)
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// Why a conversation window table was refused. A pure value usable from any thread; one line.
public enum ConversationWindowError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptyChannel
    case duplicateChannel(String)
    case notPositive(String)

    public var description: String {
        switch self {
        case .emptyChannel:
            "a conversation window has an empty channel name"
        case .duplicateChannel(let channel):
            "the conversation window of '\(channel.escapedForLog)' is given twice (names are compared ignoring case)"
        case .notPositive(let channel):
            "the conversation window of '\(channel.escapedForLog)' must be longer than zero"
        }
    }
}
