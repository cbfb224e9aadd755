/// The keyword of a message: its first word, uppercased. Routes match `keywords` on it, and opt-out handling
/// (STOP, START) reuses it, so the rule is exact and documented here.
///
/// Stateless: call ``first(in:)`` from any thread.
public enum Keyword {
    /// The first word of `text`, uppercased; `nil` when the text holds no letter or digit.
    ///
    /// 1. The text is split at whitespace: every Unicode `White_Space` character, so spaces, tabs, line breaks
    ///    (CR, LF, CRLF, U+0085, U+2028, U+2029), no-break spaces (U+00A0, U+202F) and the ideographic space.
    /// 2. From each piece, leading and trailing characters that are neither letters nor numbers are removed:
    ///    punctuation (`!`, `?`, `¿`, `"`, `…`), symbols and emoji (`👍`, `<`, `$`), and invisible format characters
    ///    (zero-width space, byte order mark). Characters inside the word stay (`"opt-out"`, `"don't"`).
    /// 3. A piece with nothing left (`"..."`, `"👍"`, `"--"`) is skipped, and the next piece is tried: so
    ///    `"👍 stop"` and `"-- STOP"` have the keyword `STOP`.
    /// 4. The word is uppercased with Unicode's default mapping, the same in every locale: `"stop"` → `"STOP"`,
    ///    `"straße"` → `"STRASSE"`, `"i"` → `"I"` (never the Turkish `"İ"`).
    ///
    /// Letters and numbers are judged per user-perceived character by its first scalar (`Character.isLetter`,
    /// `Character.isNumber`), so `"é"` written with a combining accent is one letter, and the keycap `"1️⃣"` counts as
    /// a number. Scripts written without spaces (Chinese, Japanese, Thai) give their whole first run of text.
    public static func first(in text: String) -> String? {
        firstPiece(in: text)?.word
    }

    /// The first word as ``first(in:)`` finds it, with the end of the whitespace-separated piece it was found in
    /// (``KeywordClaims`` strips up to there).
    static func firstPiece(in text: String) -> (word: String, end: String.Index)? {
        var index = text.startIndex
        while index < text.endIndex {
            // Skip whitespace, then take the piece up to the next whitespace.
            guard let start = text[index...].firstIndex(where: { !$0.isWhitespace }) else { return nil }
            let end = text[start...].firstIndex(where: \.isWhitespace) ?? text.endIndex
            let piece = text[start..<end]
            if let first = piece.firstIndex(where: isWordCharacter),
               let last = piece.lastIndex(where: isWordCharacter) {
                return (piece[first...last].uppercased(), end)
            }
            index = end
        }
        return nil
    }

    /// A letter or a number, the characters a keyword is trimmed to.
    static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }
}
