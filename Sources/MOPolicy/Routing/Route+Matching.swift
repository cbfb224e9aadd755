extension Route {
    /// `true` when every criterion of this route holds for `item`. ``RouteTable`` prepares the item once for all
    /// routes; this is the same test for one route.
    public func matches(_ item: RoutableItem) -> Bool {
        matches(PreparedItem(item))
    }

    /// Cheap criteria first; the regular expression last.
    func matches(_ item: PreparedItem) -> Bool {
        if !kinds.isEmpty && !kinds.contains(item.kind) { return false }
        if !channelKeys.isEmpty {
            guard let channel = item.channelKey, channelKeys.contains(channel) else { return false }
        }
        if !toKeys.isEmpty {
            guard let to = item.toKey, toKeys.contains(to) else { return false }
        }
        if !fromPrefixKeys.isEmpty {
            guard let from = item.fromKey, fromPrefixKeys.contains(where: { from.hasPrefix($0) }) else { return false }
        }
        if !keywordKeys.isEmpty {
            guard let keyword = item.keyword, keywordKeys.contains(keyword) else { return false }
        }
        if let textPattern {
            guard let text = item.text, textPattern.matches(text) else { return false }
        }
        return true
    }
}

/// A ``RoutableItem`` with its fields in the form routes compare, computed once per item.
struct PreparedItem {
    let kind: ItemKind
    /// The channel, lowercased.
    let channelKey: String?
    /// `from` and `to`, normalized by ``RouteAddress/normalize(_:)``.
    let fromKey: String?
    let toKey: String?
    let text: String?
    /// ``Keyword/first(in:)`` of an MO's text after the keyword claimed on its `to` number, if any
    /// (``KeywordClaims/stripped(_:to:)``); `nil` without text or without a word.
    let keyword: String?

    init(_ item: RoutableItem, claims: KeywordClaims = KeywordClaims()) {
        kind = item.kind
        channelKey = item.channel?.lowercased()
        fromKey = item.from.map(RouteAddress.normalize)
        toKey = item.to.map(RouteAddress.normalize)
        text = item.text
        let compared = item.kind == .mo ? item.text.map { claims.stripped($0, to: item.to) } : item.text
        keyword = compared.flatMap(Keyword.first(in:))
    }
}
