/// The auto-reply rules of one handler, in config order, and the default reply.
///
/// ``reply(to:name:channel:)`` takes the first rule that matches, else the default template, else nothing. Each
/// reply says which rule made it with a stable identifier: the rule's name, `rule[N]` for an unnamed rule (N is its
/// 0-based position, as the config loader numbers array entries), or `default`.
///
/// A pure value type, built once from config and shared by every thread.
public struct ReplyRules: Sendable {
    /// The identifier of replies made by the default template.
    public static let defaultIdentifier = "default"
    /// Identifiers the auto_reply handler gives its own replies (opt-out confirmations); no rule may take them.
    public static let reservedNames: Set<String> = [defaultIdentifier, "stop-confirmation", "start-confirmation"]

    public let rules: [ReplyRule]
    public let defaultTemplate: ReplyTemplate?

    /// Refuses two rules with the same name.
    public init(_ rules: [ReplyRule], defaultTemplate: ReplyTemplate? = nil) throws(ReplyRuleError) {
        var seen: [String: Int] = [:]
        for (index, rule) in rules.enumerated() {
            guard let name = rule.name else { continue }
            if let first = seen[name] { throw .duplicateName(name, index: index, firstIndex: first) }
            seen[name] = index
        }
        self.rules = rules
        self.defaultTemplate = defaultTemplate
    }

    /// The identifier of the rule at `index`: its name, or `rule[index]`.
    public func identifier(at index: Int) -> String {
        rules[index].name ?? "rule[\(index)]"
    }

    /// The reply to a message: the first rule whose trigger matches `text`, else the default template, else `nil`.
    /// `nil` too when the chosen template renders to nothing but whitespace (it would be rejected by CM); the rules
    /// after it are not tried, as the operator chose that reply for this text.
    public func reply(to text: String, name: String?, channel: String) -> (rule: String, text: String)? {
        let chosen: (rule: String, template: ReplyTemplate)
        if let index = rules.firstIndex(where: { $0.matches(text) }) {
            chosen = (identifier(at: index), rules[index].template)
        } else if let defaultTemplate {
            chosen = (Self.defaultIdentifier, defaultTemplate)
        } else {
            return nil
        }
        let rendered = chosen.template.render(text: text, name: name, channel: channel)
        guard rendered.contains(where: { !$0.isWhitespace }) else { return nil }
        return (chosen.rule, rendered)
    }

    /// A rule name is 1 to 64 ASCII letters, digits, `_`, `-` and `.` (like handler names: it is stored and logged),
    /// and not one of ``reservedNames``. `rule[N]` cannot be given, so it never collides with a given name.
    public static func validateName(_ name: String) throws(ReplyRuleError) {
        guard !name.isEmpty else { throw .emptyName }
        guard name.utf8.count <= 64, name.utf8.allSatisfy(isNameByte) else { throw .invalidName(name) }
        guard !reservedNames.contains(name) else { throw .reservedName(name) }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."):
            true
        default:
            false
        }
    }
}

/// Why a reply rule, or the list of them, was refused.
///
/// A pure value type usable from any thread. `description` is one line relative to the rule (the config loader
/// prefixes where it is: `config.toml:52: auto_reply.rules[1].`); names are quoted with control characters escaped.
public enum ReplyRuleError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptyName
    /// A name with characters other than ASCII letters, digits, `_`, `-`, `.`, or longer than 64.
    case invalidName(String)
    /// `default`, `stop-confirmation` or `start-confirmation`.
    case reservedName(String)
    /// Two rules named alike; `index` is the later one.
    case duplicateName(String, index: Int, firstIndex: Int)
    /// A keyword rule with an empty `keywords` list.
    case noKeywords
    case keyword(ReplyKeywordError)

    public var description: String {
        switch self {
        case .emptyName:
            return "name is empty"
        case .invalidName(let name):
            return "name: '\(name.escapedForLog)' may only have ASCII letters, digits, '_', '-' and '.' (at most 64)"
        case .reservedName(let name):
            return "name: '\(name.escapedForLog)' is reserved for the handler's own replies"
        case .duplicateName(let name, let index, let firstIndex):
            return "rules[\(index)].name: '\(name.escapedForLog)' is already the name of rules[\(firstIndex)]"
        case .noKeywords:
            return "keywords is empty (give at least one, or a text_pattern)"
        case .keyword(let error):
            return error.description
        }
    }
}
