/// One auto-reply rule from the config file: when a message's text matches, the reply is this rule's template.
///
/// A rule matches on keywords (the message's first word, ``Keyword/first(in:)``, equals one of them ignoring case)
/// or on a ``RoutePattern`` searched for in the text (its rules: case-sensitive unless `(?i)`, anywhere unless
/// anchored). A pure value type, built once from config and shared by every thread.
public struct ReplyRule: Sendable {
    /// What a message must have for the rule to match.
    public enum Trigger: Sendable {
        /// Keywords as configured.
        case keywords([String])
        case pattern(RoutePattern)
    }

    /// The rule's name as configured; `nil` names it by position (``ReplyRules/identifier(at:)``).
    public let name: String?
    public let trigger: Trigger
    public let template: ReplyTemplate
    /// The keywords uppercased as ``Keyword`` does; empty for a pattern rule.
    let keywordKeys: Set<String>

    /// A keyword rule. Refused: no keywords, a keyword that is not exactly one word (``ReplyKeywordError``), a bad
    /// name (``ReplyRules/validateName(_:)``).
    public init(name: String? = nil, keywords: [String], template: ReplyTemplate) throws(ReplyRuleError) {
        if let name { try ReplyRules.validateName(name) }
        guard !keywords.isEmpty else { throw .noKeywords }
        do {
            keywordKeys = Set(try ReplyKeywordError.keys(keywords, list: "keywords"))
        } catch {
            throw .keyword(error)
        }
        self.name = name
        trigger = .keywords(keywords)
        self.template = template
    }

    /// A pattern rule. Refused: a bad name (``ReplyRules/validateName(_:)``).
    public init(name: String? = nil, pattern: RoutePattern, template: ReplyTemplate) throws(ReplyRuleError) {
        if let name { try ReplyRules.validateName(name) }
        self.name = name
        trigger = .pattern(pattern)
        self.template = template
        keywordKeys = []
    }

    /// Whether the rule applies to `text`. A text without a word matches no keyword rule; a pattern rule is
    /// searched for in any text, the empty one included (a media message has none).
    public func matches(_ text: String) -> Bool {
        switch trigger {
        case .keywords:
            guard let keyword = Keyword.first(in: text) else { return false }
            return keywordKeys.contains(keyword)
        case .pattern(let pattern):
            return pattern.matches(text)
        }
    }
}
