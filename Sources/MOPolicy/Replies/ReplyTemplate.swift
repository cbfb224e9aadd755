/// An auto-reply text from the config file with placeholders, parsed once at start-up and rendered per message.
///
/// Syntax:
/// - `{name}`: the sender's profile name (CM's `from.name`), or ``nameFallback`` when there is none.
/// - `{keyword}`: the message's first word, uppercased (``Keyword/first(in:)``); empty when it has none.
/// - `{channel}`: the channel the message came in on (`WhatsApp`, `SMS`, …).
/// - `{text}`: the text received.
/// - `{{` and `}}` are a literal `{` and `}`.
///
/// Anything else in braces, a `{` without its `}` and a lone `}` are refused with their position. Placeholder names
/// are lowercase and exact (`{Name}` and `{ name }` are refused, not guessed). The template's own text is kept as
/// written, line breaks included; it may not hold other control characters.
///
/// Rendering (``render(text:name:channel:)``) is one pass over the parsed pieces, so inserted values are never read
/// as placeholders: a customer who sends `{text}` gets `{text}` back. Inserted values are cleaned first (see
/// ``ReplyTemplate/clean(_:limit:)``) and the result is capped at ``Limits/maxCharacters``.
///
/// A pure value type, built once from config and shared by every thread that renders replies.
public struct ReplyTemplate: Sendable, CustomStringConvertible {
    /// What a placeholder stands for.
    public enum Placeholder: String, Sendable, CaseIterable {
        case name, keyword, channel, text
    }

    /// Lengths in characters (Swift `Character`s: what a reader sees as one character, an emoji flag included).
    public struct Limits: Sendable, Equatable {
        /// The most characters one inserted value keeps; a longer one is cut and ends in "…". At least 1.
        public var maxValueCharacters: Int
        /// The most characters of the rendered text; a longer one is cut and ends in "…". At least 1. The template's
        /// own text must fit (it is refused otherwise), so only inserted values can make a reply reach it.
        public var maxCharacters: Int

        /// 160 characters per value (one SMS), 1,000 for the whole reply (seven concatenated GSM-7 parts).
        public init(maxValueCharacters: Int = 160, maxCharacters: Int = 1000) {
            self.maxValueCharacters = max(1, maxValueCharacters)
            self.maxCharacters = max(1, maxCharacters)
        }
    }

    /// One parsed piece: text as written (braces unescaped) or a placeholder.
    enum Piece: Sendable, Equatable {
        case literal(String)
        case placeholder(Placeholder)
    }

    /// The template as written in the config file.
    public let source: String
    /// What `{name}` becomes when the sender has no name (or only blanks and control characters); cleaned and
    /// limited like any inserted value.
    public let nameFallback: String
    public let limits: Limits
    let pieces: [Piece]

    /// Parses `source`. Throws ``ReplyTemplateError`` for an empty template, a control character other than tab, CR
    /// and LF, an unknown or empty placeholder, a `{` that is not closed before the next `{` or the end, a `}` that
    /// closes nothing, and template text longer than `limits.maxCharacters`.
    public init(_ source: String, nameFallback: String = "", limits: Limits = Limits()) throws(ReplyTemplateError) {
        guard source.contains(where: { !$0.isWhitespace }) else { throw .empty }
        self.source = source
        self.nameFallback = nameFallback
        self.limits = limits
        pieces = try Self.parse(source)
        let literalCount = pieces.reduce(0) { count, piece in
            if case .literal(let text) = piece { return count + text.count }
            return count
        }
        guard literalCount <= limits.maxCharacters else {
            throw .tooLong(characters: literalCount, limit: limits.maxCharacters)
        }
    }

    /// The placeholders used, each once, in order of first use.
    public var placeholders: [Placeholder] {
        var seen: [Placeholder] = []
        for case .placeholder(let placeholder) in pieces where !seen.contains(placeholder) {
            seen.append(placeholder)
        }
        return seen
    }

    /// The template as written.
    public var description: String { source }

    private static func parse(_ source: String) throws(ReplyTemplateError) -> [Piece] {
        var pieces: [Piece] = []
        var literal = ""
        var locator = PositionCounter()
        var index = source.startIndex

        func flushLiteral() {
            if !literal.isEmpty { pieces.append(.literal(literal)) }
            literal = ""
        }

        while index < source.endIndex {
            let character = source[index]
            let position = locator.position
            let next = source.index(after: index)
            // A doubled brace, `{{` or `}}`, is one literal brace.
            if character == "{" || character == "}", next < source.endIndex, source[next] == character {
                literal.append(character)
                locator.advance(over: character)
                locator.advance(over: character)
                index = source.index(after: next)
                continue
            }
            switch character {
            case "{":
                // A placeholder: its name runs to the next `}`; a `{` or the end first means it is not closed.
                guard let close = source[next...].firstIndex(where: { $0 == "}" || $0 == "{" }),
                      source[close] == "}" else {
                    throw .unclosedPlaceholder(at: position)
                }
                let name = String(source[next..<close])
                guard !name.isEmpty else { throw .emptyPlaceholder(at: position) }
                guard let placeholder = Placeholder(rawValue: name) else {
                    throw .unknownPlaceholder(name, at: position)
                }
                flushLiteral()
                pieces.append(.placeholder(placeholder))
                for character in source[index...close] { locator.advance(over: character) }
                index = source.index(after: close)
                continue
            case "}":
                throw .unmatchedClosingBrace(at: position)
            default:
                if character.unicodeScalars.contains(where: isRefusedControl) {
                    throw .controlCharacter(at: position)
                }
                literal.append(character)
            }
            locator.advance(over: character)
            index = next
        }
        flushLiteral()
        return pieces
    }

    /// C0 controls other than tab, LF and CR; DEL; C1 controls.
    private static func isRefusedControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0x7F...0x9F: true
        default: false
        }
    }
}

/// Counts lines and columns (1-based, in characters) while the parser walks the template. A CR LF pair is one
/// character and one line break.
private struct PositionCounter {
    private(set) var position = ReplyTemplateError.Position(line: 1, column: 1)

    mutating func advance(over character: Character) {
        if character.isNewline {
            position = ReplyTemplateError.Position(line: position.line + 1, column: 1)
        } else {
            position = ReplyTemplateError.Position(line: position.line, column: position.column + 1)
        }
    }
}
