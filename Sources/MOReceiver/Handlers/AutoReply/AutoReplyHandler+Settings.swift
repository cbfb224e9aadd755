import CMWebhook
import MOPolicy

extension AutoReplyHandler {
    static let knownSettings = [
        "rules", "default_reply", "name_fallback", "senders", "own_numbers", "min_interval_seconds", "max_per_day",
        "max_per_conversation", "conversation_hours", "stop_words", "start_words", "stop_confirmation",
        "start_confirmation", "skip_automated", "allowed_channels",
    ]
    static let defaultStopConfirmation = "You will not receive automatic replies any more. Send START to turn them on again."
    static let defaultStartConfirmation = "Automatic replies are on again. Send STOP to turn them off."

    static func make(_ spec: HandlerSpec, _ environment: HandlerEnvironment) throws(HandlerSettings.Problem) -> any EventHandler {
        let settings = spec.settings
        try settings.refuseUnknown(known: knownSettings, type: spec.type)
        guard let sender = environment.cm else {
            throw HandlerSettings.Problem("type", "auto_reply sends through CM: set [cm] product_token_file (or the systemd credential cm-product-token)")
        }
        let fallback = try settings.string("name_fallback") ?? ""
        func template(_ key: String, _ text: String) throws(HandlerSettings.Problem) -> ReplyTemplate {
            do {
                return try ReplyTemplate(text, nameFallback: fallback)
            } catch {
                throw HandlerSettings.Problem(key, "\(error)")
            }
        }
        var rules: [ReplyRule] = []
        for (index, table) in (try settings.tables("rules") ?? []).enumerated() {
            let key = "rules[\(index)]"
            do {
                try table.refuseUnknown(known: ["name", "keywords", "pattern", "reply"], type: "auto_reply rule")
            } catch {
                throw HandlerSettings.Problem("\(key).\(error.key)", error.message)
            }
            let name = try table.string("name")
            guard let replyText = try table.string("reply") else {
                throw HandlerSettings.Problem("\(key).reply", "is required: the text to answer with, e.g. reply = \"Our opening hours are 9–17.\"")
            }
            let reply = try template("\(key).reply", replyText)
            let keywords = try table.strings("keywords")
            let pattern = try table.string("pattern")
            do {
                switch (keywords, pattern) {
                case (let keywords?, nil):
                    rules.append(try ReplyRule(name: name, keywords: keywords, template: reply))
                case (nil, let source?):
                    let compiled: RoutePattern
                    do { compiled = try RoutePattern(source) } catch {
                        throw HandlerSettings.Problem("\(key).pattern", "\(error)")
                    }
                    rules.append(try ReplyRule(name: name, pattern: compiled, template: reply))
                default:
                    throw HandlerSettings.Problem(key, "needs exactly one of keywords = [\"HELP\"] or pattern = \"(?i)opening hours\"")
                }
            } catch let error as HandlerSettings.Problem {
                throw error
            } catch {
                throw HandlerSettings.Problem(key, "\(error)")
            }
        }
        let replyRules: ReplyRules
        do {
            replyRules = try ReplyRules(rules, defaultTemplate: try settings.string("default_reply").map { text throws(HandlerSettings.Problem) in
                try template("default_reply", text)
            })
        } catch let error as HandlerSettings.Problem {
            throw error
        } catch {
            throw HandlerSettings.Problem("rules", "\(error)")
        }
        let optOut: OptOutKeywords
        do {
            optOut = try OptOutKeywords(stopWords: try settings.strings("stop_words") ?? OptOutKeywords.defaultStopWords,
                                        startWords: try settings.strings("start_words") ?? OptOutKeywords.defaultStartWords)
        } catch let error as HandlerSettings.Problem {
            throw error
        } catch {
            throw HandlerSettings.Problem("stop_words", "\(error)")
        }
        var policy = AutoReplyPolicy(
            rules: replyRules, optOut: optOut,
            stopConfirmation: try optionalTemplate(settings, "stop_confirmation", defaultStopConfirmation, template),
            startConfirmation: try optionalTemplate(settings, "start_confirmation", defaultStartConfirmation, template),
            ownNumbers: Set((try settings.strings("own_numbers") ?? []).map(RouteAddress.normalize)))
        policy.skipAutomated = try settings.bool("skip_automated") ?? true
        policy.minInterval = .seconds(try settings.int("min_interval_seconds", in: 0...604_800) ?? 600)
        policy.maxPerDay = try settings.int("max_per_day", in: 1...1_000) ?? 5
        policy.maxPerConversation = try settings.int("max_per_conversation", in: 1...1_000) ?? 3
        policy.conversationHours = try settings.int("conversation_hours", in: 1...720) ?? 24
        var senders: [String: String] = [:]
        for (channel, value) in (try settings.table("senders"))?.values ?? [:] {
            guard case .string(let number) = value, !number.isEmpty else {
                throw HandlerSettings.Problem("senders.\(channel)", "must be a sender (a number or an alphanumeric sender id)")
            }
            senders[channel.lowercased()] = number
        }
        var allowedChannels: [String] = []
        for (index, name) in (try settings.strings("allowed_channels") ?? []).enumerated() {
            let trimmed = name.trimmingWhitespace()
            guard !trimmed.isEmpty else {
                throw HandlerSettings.Problem("allowed_channels[\(index)]", "must be a channel name of CM's send API (\(CMSendChannel.sendNames.joined(separator: ", ")))")
            }
            let canonical = CMSendChannel.sendName(for: trimmed) ?? trimmed
            if !allowedChannels.contains(canonical) { allowedChannels.append(canonical) }
        }
        return AutoReplyHandler(policy: policy, senders: senders, allowedChannels: allowedChannels, sender: sender,
                                redactor: environment.redactor, claims: environment.keywordClaims)
    }

    /// A confirmation template: the default text when absent, none when set to "".
    private static func optionalTemplate(_ settings: HandlerSettings, _ key: String, _ fallback: String,
                                         _ make: (String, String) throws(HandlerSettings.Problem) -> ReplyTemplate)
        throws(HandlerSettings.Problem) -> ReplyTemplate? {
        let text = try settings.string(key) ?? fallback
        return text.isEmpty ? nil : try make(key, text)
    }
}
