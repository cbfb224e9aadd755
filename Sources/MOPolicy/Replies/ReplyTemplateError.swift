/// Why a reply template was refused.
///
/// A pure value type usable from any thread. `description` is one line that does not name the config key (the
/// config loader prefixes it: `config.toml:40: auto_reply.rules[0].template: '{nmae}' is not a placeholder …`);
/// template text it quotes is cut to 40 characters with control characters escaped.
public enum ReplyTemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where in the template: 1-based line and column, counted in characters (CR LF is one).
    public struct Position: Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let column: Int

        public init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }

        /// "line 1, column 7".
        public var description: String { "line \(line), column \(column)" }
    }

    /// The template is empty or only whitespace: it would send an empty message, which CM rejects (code 304).
    case empty
    /// `{…}` with a name that is not `name`, `keyword`, `channel` or `text`; the position is the `{`.
    case unknownPlaceholder(String, at: Position)
    /// `{}`.
    case emptyPlaceholder(at: Position)
    /// A `{` with no `}` before the next `{` or the end of the template.
    case unclosedPlaceholder(at: Position)
    /// A `}` that closes no placeholder and is not doubled.
    case unmatchedClosingBrace(at: Position)
    /// A control character other than tab, CR and LF.
    case controlCharacter(at: Position)
    /// The template's own text is longer than the reply limit.
    case tooLong(characters: Int, limit: Int)

    static let hint = "use {name}, {keyword}, {channel} or {text}; write {{ and }} for literal braces"

    public var description: String {
        switch self {
        case .empty:
            return "the template is empty"
        case .unknownPlaceholder(let name, let position):
            return "'{\(Self.quoted(name))}' at \(position) is not a placeholder (\(Self.hint))"
        case .emptyPlaceholder(let position):
            return "'{}' at \(position) is not a placeholder (\(Self.hint))"
        case .unclosedPlaceholder(let position):
            return "the '{' at \(position) is not closed by '}' (\(Self.hint))"
        case .unmatchedClosingBrace(let position):
            return "the '}' at \(position) closes nothing (write }} for a literal brace)"
        case .controlCharacter(let position):
            return "the template has a control character at \(position) (only tab and line breaks are allowed)"
        case .tooLong(let characters, let limit):
            return "the template's text has \(characters) characters, more than the reply limit of \(limit)"
        }
    }

    /// At most 40 characters of `text`, control characters escaped.
    private static func quoted(_ text: String) -> String {
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return shown.escapedForLog
    }
}
