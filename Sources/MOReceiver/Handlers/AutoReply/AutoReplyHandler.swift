import CMWebhook
import LibPQ
import Logging
import MOPolicy
import MOStore

/// `type = "auto_reply"`: answers inbound messages through CM's send API, at most once per message, within the
/// safety rules of ``AutoReplyPolicy`` and the customer's STOP/START. Settings: docs/auto-replies.md.
///
/// Per message: one transaction (customer locked) takes the decision and, for a reply, writes the intent row; after
/// COMMIT the intent is sent and CM's answer recorded. A retried or replayed job finds the decision and never takes
/// another; it re-sends only an intent whose send was never answered (the one duplicate window). Shared by the
/// worker threads; state lives in the database.
struct AutoReplyHandler: EventHandler {
    let policy: AutoReplyPolicy
    let senders: [String: String]
    /// The `allowed_channels` setting: `allowedChannels` for a message whose channel has no send API name.
    let allowedChannels: [String]
    let sender: CMSender
    let redactor: Redactor
    /// Keywords claimed on shared numbers: rules and STOP/START see the text after the claim ("JOIN STOP" → "STOP").
    var claims = KeywordClaims()

    func handle(_ event: EventDocument, context: HandlerContext) -> JobResult {
        guard event.kind == .mo, let from = event.from else { return .completed }
        let channel = event.channel ?? ""
        let message = AutoReplyPolicy.Message(from: from, to: event.to, name: event.name,
                                              text: claims.stripped(event.text ?? "", to: event.to), channel: channel)
        do {
            guard let outboundID = try decide(message, messageID: event.id, context: context) else { return .completed }
            switch try sender.send(outboundID: outboundID, outbound: context.replies.outbound, logger: context.logger) {
            case .accepted, .rejected, .skipped: return .completed
            case .retry(let reason): return .retry(reason: "auto_reply: \(reason)")
            case .failed(let reason): return .discard(reason: "auto_reply: \(reason)")
            }
        } catch {
            return .retry(reason: "auto_reply: database error: \(error.message)")
        }
    }

    /// Takes (or finds) the decision; returns the outbound message to send, if any.
    private func decide(_ message: AutoReplyPolicy.Message, messageID: Int64,
                        context: HandlerContext) throws(PGError) -> Int64? {
        let handler = context.handlerName
        let (decision, outboundID): (AutoReplyPolicy.Decision?, Int64?) = try context.replies.deciding(for: message.from) {
            (store, outbound) throws(PGError) in
            if let existing = try store.existing(messageID: messageID, handler: handler) {
                // Decided before: send only an intent CM never took (unanswered, or refused as a whole: a bad token
                // fixed since); the sender checks the conversation window again first.
                let again = existing.sendState == "intent" || existing.sendState == "failed"
                return (nil, again ? existing.outboundMessageID : nil)
            }
            let decision = try takeDecision(for: message, messageID: messageID, store: store)
            switch decision {
            case .skip(let reason):
                try store.recordSkip(messageID: messageID, handler: handler, reason: reason)
                return (decision, nil)
            case .reply(let rule, let text):
                let sendChannel = CMSendChannel.sendName(for: message.channel)
                guard let from = senders[message.channel.lowercased()] ?? sendChannel.flatMap({ senders[$0.lowercased()] })
                        ?? message.to, !from.isEmpty else {
                    let reason = "no sender: the message has no to number and senders has none for \(message.channel)"
                    try store.recordSkip(messageID: messageID, handler: handler, reason: reason)
                    return (.skip(reason: reason), nil)
                }
                let channels = sendChannel.map { [$0] } ?? allowedChannels
                guard !channels.isEmpty else {
                    let reason = message.channel.isEmpty
                        ? "no channel: the message names none and the handler sets no allowed_channels"
                        : "no channel: '\(message.channel)' is not a channel CM's send API takes and the handler sets no allowed_channels"
                    try store.recordSkip(messageID: messageID, handler: handler, reason: reason)
                    return (.skip(reason: reason), nil)
                }
                let id = try outbound.insert(OutboundStore.Intent(
                    reference: (try? OutboundReference.make(prefix: "ar")) ?? OutboundReference.make(), recipient: message.from, sender: from,
                    channel: message.channel, body: text, origin: "auto_reply", handler: handler,
                    inboundMessageID: messageID, allowedChannels: channels))
                try store.recordReply(messageID: messageID, handler: handler, rule: rule, outboundMessageID: id)
                return (decision, id)
            }
        }
        if let decision {
            var metadata: Logger.Metadata = ["handler.name": "\(handler)", "event.id": "\(messageID)",
                                             "cm.from": "\(redactor.phone(message.from))"]
            switch decision {
            case .reply(let rule, _): metadata["auto_reply.rule"] = "\(rule)"
            case .skip(let reason): metadata["auto_reply.skip"] = "\(reason)"
            }
            context.logger.info("auto-reply decided", metadata: metadata)
        }
        return outboundID
    }

    /// STOP and START first (they change the opt-out table), then the policy.
    private func takeDecision(for message: AutoReplyPolicy.Message, messageID: Int64,
                          store: AutoReplyStore) throws(PGError) -> AutoReplyPolicy.Decision {
        switch policy.optOut.match(message.text) {
        case .some(let match) where match.intent == .stop:
            let new = try store.optOut(number: message.from, channel: message.channel, keyword: match.keyword,
                                       messageID: messageID, source: "keyword")
            guard new else { return .skip(reason: "already opted out (stop word)") }
            guard let confirmation = policy.stopConfirmation else { return .skip(reason: "opted out (stop word)") }
            return .reply(rule: "stop-confirmation",
                          text: confirmation.render(text: message.text, name: message.name, channel: message.channel))
        case .some(let match) where match.intent == .start:
            if try store.optIn(number: message.from) {
                guard let confirmation = policy.startConfirmation else { return .skip(reason: "opted in again (start word)") }
                return .reply(rule: "start-confirmation",
                              text: confirmation.render(text: message.text, name: message.name, channel: message.channel))
            }
        default:
            break
        }
        let facts = try store.facts(messageID: messageID, customer: message.from, ourNumber: message.to,
                                    conversationHours: policy.conversationHours)
        return policy.decide(message, facts: facts)
    }
}
