/// Why a `text_pattern` was refused.
///
/// A pure value type usable from any thread. `description` is one line that does not name the config key
/// (the config loader prefixes it: `routes[2].text_pattern: '(' is not a valid regular expression: expected ')'`);
/// control characters from the pattern are escaped so the line stays one line.
public enum RoutePatternError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The pattern is the empty string, which would match every text.
    case empty
    /// The pattern as given, and the regular expression engine's reason.
    case invalid(String, reason: String)

    public var description: String {
        switch self {
        case .empty:
            "the pattern is empty, which would match every text (leave text_pattern out instead)"
        case .invalid(let source, let reason):
            "'\(source.escapedForLog)' is not a valid regular expression: \(reason.escapedForLog)"
        }
    }
}
