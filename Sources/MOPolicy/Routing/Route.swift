/// One route from the config file: which stored items it matches, and the handlers they go to.
///
/// A pure value type, built once when the config is loaded and shared by every thread that routes items.
/// Within a route every given criterion must hold (AND); a criterion left empty matches anything. A criterion that
/// needs a field the item lacks does not match: `keywords` or `textPattern` on an item without text (status reports,
/// events), `fromPrefixes` on an item without a sender (status reports), `channels` or `to` on an item without
/// that field.
public struct Route: Sendable {
    /// The route's name, for logs (``RouteMatch/routes``).
    public let name: String
    /// The item kinds matched; empty means every kind.
    public let kinds: Set<ItemKind>
    /// Channel names as configured, compared ignoring case (`"WhatsApp"` matches `"whatsapp"`); empty means any.
    public let channels: [String]
    /// Recipient numbers or ids as configured, compared after ``RouteAddress/normalize(_:)``; empty means any.
    public let to: [String]
    /// Sender prefixes as configured; both sides are normalized by ``RouteAddress/normalize(_:)``, then the sender
    /// must start with one of them (`"+31"` matches `"0031612345678"`). Empty means any sender, or none.
    public let fromPrefixes: [String]
    /// Keywords as configured; the message's ``Keyword/first(in:)`` must equal one of them ignoring case (both are
    /// uppercased; then Swift string equality, so a precomposed and a decomposed accent are equal).
    /// Empty means any text, or none.
    public let keywords: [String]
    /// A regular expression that must occur in the text; `nil` means any text, or none.
    public let textPattern: RoutePattern?
    /// Handler names in the order configured.
    public let handlers: [String]
    /// When this route matches, the routes after it are not evaluated.
    public let stop: Bool

    /// `channels`, lowercased.
    let channelKeys: Set<String>
    /// `to`, normalized.
    let toKeys: Set<String>
    /// `fromPrefixes`, normalized.
    let fromPrefixKeys: [String]
    /// `keywords`, uppercased as ``Keyword`` does.
    let keywordKeys: Set<String>

    /// Validates the criteria; the error names the offending key (``RouteError``). Refused: an empty name, an
    /// empty handler name, a channel that is blank or has whitespace around it, a `to` or `from_prefixes` entry with
    /// no letters or digits, a keyword that is not exactly one word as ``Keyword`` would find it (`"STOP!"`,
    /// `"stop now"`), a route with no handlers that does not stop, and a criterion none of `kinds` can satisfy
    /// (`keywords` on a status-only route).
    ///
    /// A route with no handlers and `stop = true` is allowed: it silences the routes after it for what it matches.
    public init(
        name: String,
        kinds: Set<ItemKind> = [],
        channels: [String] = [],
        to: [String] = [],
        fromPrefixes: [String] = [],
        keywords: [String] = [],
        textPattern: RoutePattern? = nil,
        handlers: [String],
        stop: Bool = false
    ) throws(RouteError) {
        guard !name.isEmpty else { throw .emptyName }
        self.name = name
        self.kinds = kinds
        self.channels = channels
        self.to = to
        self.fromPrefixes = fromPrefixes
        self.keywords = keywords
        self.textPattern = textPattern
        self.handlers = handlers
        self.stop = stop

        channelKeys = Set(try Route.channelKeys(channels))
        toKeys = Set(try Route.addressKeys(to, field: .to))
        fromPrefixKeys = try Route.addressKeys(fromPrefixes, field: .fromPrefixes)
        keywordKeys = Set(try Route.keywordKeys(keywords))
        if let index = handlers.firstIndex(of: "") { throw .emptyHandler(index: index) }
        if handlers.isEmpty && !stop { throw .noEffect }
        try Route.checkSatisfiable(kinds: kinds, fromPrefixes: !fromPrefixes.isEmpty,
                                   keywords: !keywords.isEmpty, textPattern: textPattern != nil)
    }

    private static func channelKeys(_ channels: [String]) throws(RouteError) -> [String] {
        var keys: [String] = []
        for (index, channel) in channels.enumerated() {
            guard channel.contains(where: { !$0.isWhitespace }) else { throw .emptyChannel(index: index) }
            if channel.first?.isWhitespace == true || channel.last?.isWhitespace == true {
                throw .channelWhitespace(index: index, channel)
            }
            keys.append(channel.lowercased())
        }
        return keys
    }

    private static func addressKeys(_ addresses: [String], field: RouteError.Field) throws(RouteError) -> [String] {
        var keys: [String] = []
        for (index, address) in addresses.enumerated() {
            let key = RouteAddress.normalize(address)
            guard !key.isEmpty else { throw .addressWithoutCharacters(field, index: index, address) }
            keys.append(key)
        }
        return keys
    }

    private static func keywordKeys(_ keywords: [String]) throws(RouteError) -> [String] {
        var keys: [String] = []
        for (index, keyword) in keywords.enumerated() {
            guard let word = Keyword.first(in: keyword) else { throw .keywordWithoutWord(index: index, keyword) }
            if word != keyword.uppercased() {
                let hasInnerWhitespace = keyword.split(whereSeparator: \.isWhitespace).count > 1
                if hasInnerWhitespace { throw .keywordNotOneWord(index: index, keyword) }
                throw .keywordNotTrimmed(index: index, keyword, keyword: word)
            }
            keys.append(word)
        }
        return keys
    }

    /// Status reports have no sender and no text; events have no text.
    private static func checkSatisfiable(
        kinds: Set<ItemKind>, fromPrefixes: Bool, keywords: Bool, textPattern: Bool
    ) throws(RouteError) {
        guard !kinds.isEmpty else { return }
        let listed = ItemKind.allCases.filter(kinds.contains)
        if fromPrefixes && kinds == [.status] { throw .criterionNeverMatches(.fromPrefixes, kinds: listed) }
        let textless = kinds.isSubset(of: [.status, .event])
        if keywords && textless { throw .criterionNeverMatches(.keywords, kinds: listed) }
        if textPattern && textless { throw .criterionNeverMatches(.textPattern, kinds: listed) }
    }
}
