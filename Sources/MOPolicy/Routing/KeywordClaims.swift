/// The keywords we claimed on shared numbers (CM's Channels API, seed 004: "Claim a keyword on a shared or
/// dedicated (owned) number."). On a shared number every message that reaches us starts with one of our claimed
/// keywords: "JOIN STOP" is the customer saying STOP to the JOIN service. Routes' `keywords`, auto-reply rules and
/// STOP/START compare the text after the claim (``stripped(_:to:)``); the stored message keeps its text as received.
///
/// A pure value type, built once from the config's `[[numbers]]` and shared by every thread.
public struct KeywordClaims: Sendable, Equatable {
    /// One configured number and the keywords claimed on it, as written in the config.
    public struct Number: Sendable, Equatable {
        public var number: String
        public var keywords: [String]

        public init(number: String, keywords: [String]) {
            self.number = number
            self.keywords = keywords
        }
    }

    /// Claimed keywords (uppercased as ``Keyword`` finds a word) by number (``RouteAddress/normalize(_:)``).
    public let claims: [String: Set<String>]

    /// No claims: every text is compared as received.
    public init() {
        claims = [:]
    }

    /// Refuses (``KeywordClaimsError``, keys relative to the `numbers` array): a number with no letters or
    /// digits, the same number twice (compared as routes compare numbers: `"+31 6…"`, `"0031 6…"`, `"316…"` are
    /// one), a keyword that is not exactly one word as a message's first word is found (`"JOIN!"`, `"JOIN NOW"`),
    /// and a keyword given twice for one number (in any letter case).
    public init(_ numbers: [Number]) throws(KeywordClaimsError) {
        var claims: [String: Set<String>] = [:]
        var firstIndex: [String: Int] = [:]
        for (index, entry) in numbers.enumerated() {
            let key = RouteAddress.normalize(entry.number)
            guard !key.isEmpty else {
                throw KeywordClaimsError(key: "numbers[\(index)].number",
                                         message: "'\(entry.number.escapedForLog)' has no letters or digits")
            }
            if let first = firstIndex[key] {
                throw KeywordClaimsError(key: "numbers[\(index)].number",
                                         message: "'\(entry.number.escapedForLog)' is the same number as numbers[\(first)].number (give each number once, with all its claimed_keywords)")
            }
            firstIndex[key] = index
            let words: [String]
            do {
                words = try ReplyKeywordError.keys(entry.keywords, list: "claimed_keywords")
            } catch {
                throw KeywordClaimsError(key: "numbers[\(index)].claimed_keywords[\(error.index)]",
                                         message: error.message)
            }
            var seen: Set<String> = []
            for (position, word) in words.enumerated() where !seen.insert(word).inserted {
                throw KeywordClaimsError(key: "numbers[\(index)].claimed_keywords[\(position)]",
                                         message: "'\(entry.keywords[position].escapedForLog)' is given twice (keywords compare ignoring letter case)")
            }
            claims[key] = seen
        }
        self.claims = claims
    }

    public var isEmpty: Bool { claims.isEmpty }

    /// The text to compare for a message sent to `number`: ``strip(_:claimed:)`` with the keywords claimed on that
    /// number; `text` unchanged when `number` is `nil` or has no claims.
    public func stripped(_ text: String, to number: String?) -> String {
        guard !claims.isEmpty, let number, let keywords = claims[RouteAddress.normalize(number)] else { return text }
        return Self.strip(text, claimed: keywords)
    }

    /// `text` without its leading claimed keyword: when the message's first word, found exactly as
    /// ``Keyword/first(in:)`` finds it (whitespace-separated, pieces without a letter or digit skipped, punctuation
    /// and symbols around the word ignored, compared in Unicode uppercase), is one of `keywords` (uppercased), that
    /// word's piece, everything before it and the whitespace after it go; the rest is returned as it was.
    /// Otherwise `text` is returned unchanged. Only one claim is removed: `"JOIN JOIN STOP"` gives `"JOIN STOP"`.
    ///
    /// `"JOIN STOP"` → `"STOP"`, `"join, stop"` → `"stop"`, `"JOIN"` → `""`, `"JOINSTOP"` and `"STOP JOIN"` stay.
    public static func strip(_ text: String, claimed keywords: Set<String>) -> String {
        guard !keywords.isEmpty, let (word, end) = Keyword.firstPiece(in: text), keywords.contains(word) else {
            return text
        }
        let rest = text[end...]
        return String(rest[(rest.firstIndex(where: { !$0.isWhitespace }) ?? rest.endIndex)...])
    }
}

/// Why the `[[numbers]]` of the config were refused: `key` is the full key (`numbers[1].claimed_keywords[0]`),
/// `message` one line saying what is wrong. A pure value usable from any thread.
public struct KeywordClaimsError: Error, Equatable, Sendable, CustomStringConvertible {
    public let key: String
    public let message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { "\(key): \(message)" }
}
