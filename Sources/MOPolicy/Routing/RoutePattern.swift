/// A route's `text_pattern`: a regular expression searched for in the message text.
///
/// A pure value type, built once from config and shared by every thread that routes items: `matches` only reads
/// the compiled program, and each match keeps its own state (`SharedRegex`, below, says why that is safe).
///
/// Why Swift `Regex` rather than `NSRegularExpression`: it is in the standard library (this module needs no
/// Foundation), and a bad pattern fails with a precise reason (`expected ')'`, `unknown character
/// property 'Foo'`) where Foundation on Linux only says "The value is invalid". What it does not support
/// (lookbehind) is refused at start-up with that reason.
///
/// Matching rules an operator should know:
/// - The pattern is searched for anywhere in the text; anchor it with `^` and `$` (whole text) if needed. `^` and `$`
///   match only at the text's start and end unless the pattern says `(?m)`; `.` does not match a line break
///   unless it says `(?s)`.
/// - Case-sensitive unless the pattern says `(?i)`.
/// - Text is compared as user-perceived characters (Swift's default): `.` is one whole character (an emoji flag,
///   `e` plus a combining accent), `é` matches both of its encodings, and CR LF is one character, so match line
///   breaks with `\R` or `\s` rather than `\n`.
/// - It is a backtracking engine with no time limit: patterns come from the operator, who should avoid nested
///   quantifiers such as `(a+)+`. Texts are bounded by the request size limit.
public struct RoutePattern: Sendable, CustomStringConvertible {
    /// The pattern as written in the config file.
    public let source: String
    private let compiled: SharedRegex

    /// Compiles `source`; throws when it is empty or not a regular expression Swift supports.
    public init(_ source: String) throws(RoutePatternError) {
        guard !source.isEmpty else { throw .empty }
        let regex: Regex<AnyRegexOutput>
        do {
            regex = try Regex(source)
        } catch {
            throw .invalid(source, reason: "\(error)")
        }
        self.source = source
        compiled = SharedRegex(regex)
    }

    /// `true` when the pattern occurs anywhere in `text`.
    public func matches(_ text: String) -> Bool {
        text.contains(compiled.regex)
    }

    /// The pattern as written.
    public var description: String { source }
}

/// A compiled `Regex` shared by every thread that routes items.
///
/// `Regex` is not declared `Sendable` (its output type need not be), but sharing one for matching is safe: its
/// parsed tree is immutable, the engine keeps each match's state in that match, and the only lazily written
/// field, the compiled program, is published with an atomic compare-and-swap. The initializer forces that
/// compilation, so after it the value is only ever read. Nothing here reads captures (`AnyRegexOutput`).
private struct SharedRegex: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>

    init(_ regex: Regex<AnyRegexOutput>) {
        self.regex = regex
        // The first match compiles the program; do it here, at start-up, rather than on the first message.
        _ = "".contains(regex)
    }
}
