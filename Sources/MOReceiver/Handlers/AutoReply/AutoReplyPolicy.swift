#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MOPolicy
import MOStore

/// The safety rules of auto-replies, as a pure decision over an inbound message and what the database knows about
/// its sender (``AutoReplyStore/Facts``). Value type; built once from the handler's settings.
struct AutoReplyPolicy: Sendable {
    var rules: ReplyRules
    var optOut: OptOutKeywords
    var stopConfirmation: ReplyTemplate?
    var startConfirmation: ReplyTemplate?
    /// Our own numbers (normalized): never replied to, so two daemons or two numbers cannot talk to each other.
    var ownNumbers: Set<String>
    var skipAutomated = true
    var window = ConversationWindow.standard
    var minInterval = Duration.seconds(600)
    var maxPerDay = 5
    var maxPerConversation = 3
    var conversationHours = 24

    /// The inbound message as the policy sees it.
    struct Message: Sendable {
        var from: String
        var to: String?
        var name: String?
        var text: String
        var channel: String
    }

    enum Decision: Sendable, Equatable {
        case reply(rule: String, text: String)
        case skip(reason: String)
    }

    /// The decision for a message that is neither a stop nor a start word (those are handled first, with the
    /// opt-out table). Checks run in a fixed order and the first that refuses names the reason.
    func decide(_ message: Message, facts: AutoReplyStore.Facts) -> Decision {
        if facts.optedOut { return .skip(reason: "the customer opted out") }
        let sender = RouteAddress.normalize(message.from)
        if ownNumbers.contains(sender) || message.to.map(RouteAddress.normalize) == sender {
            return .skip(reason: "the sender is one of our own numbers")
        }
        if skipAutomated && AutomatedMessageHeuristics.standard.looksAutomated(message.text) {
            return .skip(reason: "the message looks automated")
        }
        guard let reply = rules.reply(to: message.text, name: message.name, channel: message.channel) else {
            return .skip(reason: "no rule matched and there is no default reply")
        }
        let sent = Date(timeIntervalSinceNow: -facts.messageAgeSeconds)
        if !window.isOpen(channel: message.channel, lastInboundAt: sent, now: Date()) {
            return .skip(reason: "the \(message.channel) conversation window closed before the reply could be sent")
        }
        if let since = facts.secondsSinceLastReply, since < Double(minInterval.components.seconds) {
            return .skip(reason: "rate limit: an auto-reply went to this customer \(Int(since)) s ago (at most one per \(minInterval.components.seconds) s)")
        }
        if facts.repliesLastDay >= maxPerDay {
            return .skip(reason: "rate limit: \(facts.repliesLastDay) auto-replies to this customer in 24 hours (at most \(maxPerDay))")
        }
        if facts.repliesInConversation >= maxPerConversation {
            return .skip(reason: "loop protection: \(facts.repliesInConversation) auto-replies in this conversation (at most \(maxPerConversation))")
        }
        return .reply(rule: reply.rule, text: reply.text)
    }
}
