/// Why a configured keyword (a reply rule's `keywords`, `stop_words`, `start_words`) was refused: only a message's
/// first word is ever compared (``Keyword/first(in:)``), so a keyword must be exactly one such word.
///
/// A pure value type usable from any thread. `description` is one line that starts with the key inside its table
/// (`keywords[1]: …`); config text is quoted with control characters escaped.
public struct ReplyKeywordError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Problem: Equatable, Sendable {
        /// No letter or digit at all.
        case noWord
        /// More than one word.
        case notOneWord
        /// Punctuation, symbols or spaces around the word, which ``Keyword`` always strips; the associated value is
        /// what the keyword would have to be.
        case notTrimmed(String)
    }

    /// The config key of the list: `keywords`, `stop_words`, `start_words`.
    public let list: String
    /// 0-based, as the config loader numbers array entries.
    public let index: Int
    /// The keyword as configured.
    public let keyword: String
    public let problem: Problem

    public init(list: String, index: Int, keyword: String, problem: Problem) {
        self.list = list
        self.index = index
        self.keyword = keyword
        self.problem = problem
    }

    public var description: String {
        "\(list)[\(index)]: \(message)"
    }

    /// The problem without its key: `'STOP!' has punctuation, …`.
    public var message: String {
        let quoted = "'\(keyword.escapedForLog)'"
        switch problem {
        case .noWord:
            return "\(quoted) has no letters or digits"
        case .notOneWord:
            return "\(quoted) is more than one word (only a message's first word is compared)"
        case .notTrimmed(let word):
            return "\(quoted) has punctuation, symbols or spaces around the word, which a message's "
                + "keyword never has (use '\(word.escapedForLog)')"
        }
    }

    /// `keywords` uppercased as ``Keyword`` does, or the first that is not exactly one keyword.
    static func keys(_ keywords: [String], list: String) throws(ReplyKeywordError) -> [String] {
        var keys: [String] = []
        for (index, keyword) in keywords.enumerated() {
            guard let word = Keyword.first(in: keyword) else {
                throw ReplyKeywordError(list: list, index: index, keyword: keyword, problem: .noWord)
            }
            if word != keyword.uppercased() {
                let words = keyword.split(whereSeparator: \.isWhitespace)
                    .filter { $0.contains(where: Keyword.isWordCharacter) }
                throw ReplyKeywordError(list: list, index: index, keyword: keyword,
                                        problem: words.count > 1 ? .notOneWord : .notTrimmed(word))
            }
            keys.append(word)
        }
        return keys
    }

    /// Each entry as its words (``KeywordWords``), or the first entry that is not written exactly as a message's
    /// words would be found: one space between words, nothing around them.
    static func phrases(_ entries: [String], list: String) throws(ReplyKeywordError) -> [[String]] {
        var phrases: [[String]] = []
        for (index, entry) in entries.enumerated() {
            let words = KeywordWords.words(in: entry, limit: Int.max)
            guard !words.isEmpty else {
                throw ReplyKeywordError(list: list, index: index, keyword: entry, problem: .noWord)
            }
            let canonical = words.joined(separator: " ")
            guard canonical == entry.uppercased() else {
                throw ReplyKeywordError(list: list, index: index, keyword: entry, problem: .notTrimmed(canonical))
            }
            phrases.append(words)
        }
        return phrases
    }
}
