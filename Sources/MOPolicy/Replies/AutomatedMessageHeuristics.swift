/// Whether an inbound text looks written by a machine: an auto-responder, an out-of-office notice, a "do not reply"
/// notification, a one-time code, a delivery failure notice. The auto_reply handler does not answer those, so two
/// automatic systems cannot answer each other forever and codes are not answered with marketing.
///
/// Conservative by design: a phrase is listed only when a person writing to a business would rarely use it (so
/// "verification code" alone is not listed, "your verification code is" is; "not delivered" is not, as customers
/// complain about parcels). A false positive only suppresses one auto-reply; it never drops or hides the message.
///
/// Matching: the text (its first 4,096 characters) and every phrase are compared after folding letter case and
/// diacritics (``LatinFolding``, as Foundation's `folding` does for Latin letters, so "RÉPONSE AUTOMATIQUE" matches
/// "reponse automatique" and "ß" matches "ss"), with typographic apostrophes read as `'` and every run of whitespace
/// as one space. A phrase matches anywhere in the text.
///
/// A pure value type, built once and shared by every thread.
public struct AutomatedMessageHeuristics: Sendable, CustomStringConvertible {
    /// What kind of automatic message a phrase gives away.
    public enum Kind: String, Sendable, CaseIterable {
        case autoResponder = "auto_responder"
        case outOfOffice = "out_of_office"
        case doNotReply = "do_not_reply"
        case oneTimeCode = "one_time_code"
        case deliveryNotice = "delivery_notice"
    }

    /// A telltale phrase, its language (ISO 639-1) and kind.
    public struct Phrase: Sendable, Equatable {
        public let text: String
        public let language: String
        public let kind: Kind

        public init(_ text: String, language: String, kind: Kind) {
            self.text = text
            self.language = language
            self.kind = kind
        }
    }

    /// How much of a text is examined.
    public static let examinedCharacters = 4096

    public let phrases: [Phrase]
    /// `phrases` folded, in the same order.
    private let folded: [String]

    /// Refuses a phrase that is empty or only whitespace after folding (it would match every text).
    public init(phrases: [Phrase] = defaultPhrases) throws(AutomatedMessageHeuristicsError) {
        var folded: [String] = []
        for (index, phrase) in phrases.enumerated() {
            let text = Self.fold(phrase.text)
            guard !text.isEmpty else { throw .emptyPhrase(index: index) }
            folded.append(text)
        }
        self.phrases = phrases
        self.folded = folded
    }

    /// The default phrases.
    public static let standard: AutomatedMessageHeuristics = {
        do {
            return try AutomatedMessageHeuristics()
        } catch {
            preconditionFailure("the default automated-message phrases are valid: \(error)")
        }
    }()

    /// The first phrase found in `text`, or `nil`.
    public func match(_ text: String) -> Phrase? {
        let subject = Self.fold(String(text.prefix(Self.examinedCharacters)))
        guard !subject.isEmpty else { return nil }
        for (index, phrase) in folded.enumerated() where subject.contains(phrase) {
            return phrases[index]
        }
        return nil
    }

    /// Whether `text` looks automated.
    public func looksAutomated(_ text: String) -> Bool {
        match(text) != nil
    }

    /// "AutomatedMessageHeuristics(158 phrases)".
    public var description: String {
        "AutomatedMessageHeuristics(\(phrases.count) phrases)"
    }

    /// Case and diacritics folded, apostrophes unified, whitespace runs as one space, ends trimmed.
    static func fold(_ text: String) -> String {
        let lowered = LatinFolding.fold(text)
        var result = ""
        result.reserveCapacity(lowered.utf8.count)
        var pendingSpace = false
        for character in lowered {
            if character.isWhitespace {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace {
                result.append(" ")
                pendingSpace = false
            }
            switch character {
            case "\u{2019}", "\u{2018}", "\u{02BC}", "`", "\u{00B4}": result.append("'")
            default: result.append(character)
            }
        }
        return result
    }
}

/// Why a phrase list was refused. One line; a pure value usable from any thread.
public enum AutomatedMessageHeuristicsError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptyPhrase(index: Int)

    public var description: String {
        switch self {
        case .emptyPhrase(let index):
            "automated_phrases[\(index)] is empty, which would match every message"
        }
    }
}
