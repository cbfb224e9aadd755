/// The words with which a customer opts out of automatic messages (STOP) and back in (START).
///
/// An entry is a word or a phrase of several words ("OPT OUT"); words are found in a message as ``Keyword`` finds
/// its first word (punctuation, emoji and letter case ignored). How a text is classified (``match(_:)``):
/// - Stop entries match the message's **first words**, whatever follows: "stop", "STOP!", "Stop please", "stop
///   sending me this", "opt out of this" all opt out. Honouring a request to stop matters more than an occasional
///   false opt-out, which only silences auto-replies to that customer until they send a start word. (The FCC's
///   consent-revocation rule, 47 CFR 64.1200(a)(10), in force since April 2025, names "stop", "quit", "end",
///   "revoke", "opt out", "cancel" and "unsubscribe" in a reply as revocation, and asks for other reasonable wording
///   to count too.) Services where "Cancel my order" or "End of story" are everyday messages should take CANCEL and
///   END out of `stop_words`, or switch stops to ``Matching/wholeMessage``.
/// - Start entries must be the **whole message** (its only words, with only punctuation, emoji or whitespace
///   around): "START", "start!", "👍 unstop". Opting back in re-enables messages to someone who said stop, so it
///   takes an unambiguous message; "start the engine" is not one.
/// - Stop entries are tried first. Anything else is `nil`.
/// Each rule can be switched per list (``Matching``).
///
/// Defaults: the FCC's seven plus the carrier keywords CTIA's handbook lists for SMS (STOP, STOPALL, UNSUBSCRIBE,
/// CANCEL, END, QUIT), OPTOUT and OPT-OUT as people write them; START and UNSTOP to opt back in. YES, which some
/// gateways also take as opt-in, is left out: it is the commonest answer to any question. Add local words (STOPP,
/// ARRÊT, AFMELDEN) as needed.
///
/// A pure value type, built once from config and shared by every thread.
public struct OptOutKeywords: Sendable {
    /// What a message asks for.
    public enum Intent: String, Sendable, Equatable {
        case stop, start
    }

    /// How much of the message an entry must be.
    public enum Matching: String, Sendable, Equatable, CaseIterable {
        /// The message's first words (what follows does not matter).
        case firstWords = "first_words"
        /// All of the message's words.
        case wholeMessage = "whole_message"
    }

    /// A classified message: what it asks, and the entry that said so (its words uppercased, one space apart).
    public struct Match: Sendable, Equatable {
        public let intent: Intent
        public let keyword: String

        public init(intent: Intent, keyword: String) {
            self.intent = intent
            self.keyword = keyword
        }
    }

    public static let defaultStopWords = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE",
                                          "OPT OUT", "OPTOUT", "OPT-OUT"]
    public static let defaultStartWords = ["START", "UNSTOP"]

    public let stopWords: [String]
    public let startWords: [String]
    public let stopMatching: Matching
    public let startMatching: Matching
    private let stopPhrases: [[String]]
    private let startPhrases: [[String]]
    /// The most words in any entry.
    private let longest: Int

    /// Refuses an entry not written as a message's words would be found (``ReplyKeywordError``, lists named
    /// `stop_words` and `start_words`: `"STOP!"`, `"opt  out"`) and an entry in both lists. Either list may be empty,
    /// which switches that side off.
    public init(stopWords: [String] = defaultStopWords, startWords: [String] = defaultStartWords,
                stopMatching: Matching = .firstWords, startMatching: Matching = .wholeMessage)
        throws(OptOutKeywordsError) {
        do {
            stopPhrases = try ReplyKeywordError.phrases(stopWords, list: "stop_words")
            startPhrases = try ReplyKeywordError.phrases(startWords, list: "start_words")
        } catch {
            throw .keyword(error)
        }
        if let index = startPhrases.firstIndex(where: stopPhrases.contains) {
            throw .inBothLists(startWords[index])
        }
        self.stopWords = stopWords
        self.startWords = startWords
        self.stopMatching = stopMatching
        self.startMatching = startMatching
        longest = (stopPhrases + startPhrases).map(\.count).max() ?? 0
    }

    /// `.stop`, `.start` or `nil` for `text` (rules above).
    public func classify(_ text: String) -> Intent? {
        match(text)?.intent
    }

    /// The intent and the entry that matched, or `nil`. When several entries of one list match ("OPT" and
    /// "OPT OUT"), the longest is reported.
    public func match(_ text: String) -> Match? {
        // One word more than the longest entry tells whether an entry is the whole message.
        let words = KeywordWords.words(in: text, limit: longest + 1)
        guard !words.isEmpty else { return nil }
        if let phrase = Self.longestMatch(stopPhrases, in: words, matching: stopMatching) {
            return Match(intent: .stop, keyword: phrase.joined(separator: " "))
        }
        if let phrase = Self.longestMatch(startPhrases, in: words, matching: startMatching) {
            return Match(intent: .start, keyword: phrase.joined(separator: " "))
        }
        return nil
    }

    private static func longestMatch(_ phrases: [[String]], in words: [String], matching: Matching) -> [String]? {
        var best: [String]?
        for phrase in phrases where words.starts(with: phrase) {
            if matching == .wholeMessage && words.count != phrase.count { continue }
            if phrase.count > best?.count ?? 0 { best = phrase }
        }
        return best
    }
}

/// Why the opt-out word lists were refused. A pure value usable from any thread; `description` is one line starting
/// with the config key inside the `auto_reply` table.
public enum OptOutKeywordsError: Error, Equatable, Sendable, CustomStringConvertible {
    case keyword(ReplyKeywordError)
    /// An entry that is both a stop and a start entry.
    case inBothLists(String)

    public var description: String {
        switch self {
        case .keyword(let error):
            error.description
        case .inBothLists(let entry):
            "start_words: '\(entry.escapedForLog)' is also in stop_words"
        }
    }
}
