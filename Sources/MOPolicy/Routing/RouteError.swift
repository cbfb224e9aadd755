/// Why a route from the config file was refused.
///
/// A pure value type usable from any thread. `description` is one line that starts with the key inside the route
/// (`to[1]: '+' has no letters or digits to compare`); the config loader prefixes where the route is
/// (`config.toml:40: routes[2].`). ``unknownKind(_:)`` comes from ``ItemKind/init(parsing:)``, which does not know
/// its key, so its description starts with the value. Config text is quoted with control characters escaped.
public enum RouteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The config keys a route is read from, as these messages name them.
    public enum Field: String, Sendable {
        case name, kinds, channels, to, keywords, handlers
        case fromPrefixes = "from_prefixes"
        case textPattern = "text_pattern"
    }

    /// A kind other than `mo`, `status`, `event`.
    case unknownKind(String)
    /// The route's name is the empty string.
    case emptyName
    /// `channels[index]` is empty or only whitespace.
    case emptyChannel(index: Int)
    /// `channels[index]` has whitespace before or after the name, so it could never equal a channel.
    case channelWhitespace(index: Int, String)
    /// `to[index]` or `from_prefixes[index]` keeps nothing after normalization (e.g. `"+"`), so it would
    /// equal nothing (`to`) or prefix everything (`from_prefixes`).
    case addressWithoutCharacters(Field, index: Int, String)
    /// `keywords[index]` has no letter or digit.
    case keywordWithoutWord(index: Int, String)
    /// `keywords[index]` has more than one word; only a message's first word is ever compared.
    case keywordNotOneWord(index: Int, String)
    /// `keywords[index]` has punctuation, symbols or whitespace around the word, which ``Keyword`` always strips;
    /// `keyword` is what it would have to be.
    case keywordNotTrimmed(index: Int, String, keyword: String)
    /// `handlers[index]` is the empty string.
    case emptyHandler(index: Int)
    /// The route has no handlers and does not stop, so matching it would change nothing.
    case noEffect
    /// A criterion needs a field that none of the route's kinds carry (`keywords` on a `status`-only route), so
    /// the route could never match.
    case criterionNeverMatches(Field, kinds: [ItemKind])

    public var description: String {
        switch self {
        case .unknownKind(let text):
            return "'\(text.escapedForLog)' is not a route kind (use mo, status or event)"
        case .emptyName:
            return "name is empty"
        case .emptyChannel(let index):
            return "channels[\(index)] is empty"
        case .channelWhitespace(let index, let text):
            return "channels[\(index)]: '\(text.escapedForLog)' has whitespace around the name"
        case .addressWithoutCharacters(let field, let index, let text):
            return "\(field.rawValue)[\(index)]: '\(text.escapedForLog)' has no letters or digits to compare"
        case .keywordWithoutWord(let index, let text):
            return "keywords[\(index)]: '\(text.escapedForLog)' has no letters or digits"
        case .keywordNotOneWord(let index, let text):
            return "keywords[\(index)]: '\(text.escapedForLog)' is more than one word (only a message's first word is compared)"
        case .keywordNotTrimmed(let index, let text, let keyword):
            return "keywords[\(index)]: '\(text.escapedForLog)' has punctuation, symbols or spaces around the word, "
                + "which a message's keyword never has (use '\(keyword.escapedForLog)')"
        case .emptyHandler(let index):
            return "handlers[\(index)] is empty"
        case .noEffect:
            return "has no handlers and stop is false, so it would do nothing"
        case .criterionNeverMatches(let field, let kinds):
            let names = kinds.map(\.rawValue).joined(separator: " and ")
            let missing = field == .fromPrefixes ? "sender" : "text"
            return "\(field.rawValue) can never match: \(names) items have no \(missing)"
        }
    }
}
