/// A message's leading words, each found and normalised exactly as ``Keyword/first(in:)`` finds the first: split at
/// whitespace, pieces without a letter or digit skipped, punctuation and symbols around a word stripped, Unicode
/// uppercase. Opt-out phrases ("OPT OUT") compare against these. Stateless.
enum KeywordWords {
    /// At most `limit` words of `text`, in order.
    static func words(in text: String, limit: Int) -> [String] {
        var words: [String] = []
        guard limit > 0 else { return words }
        for piece in text.split(whereSeparator: \.isWhitespace) {
            guard let first = piece.firstIndex(where: Keyword.isWordCharacter),
                  let last = piece.lastIndex(where: Keyword.isWordCharacter) else { continue }
            words.append(piece[first...last].uppercased())
            if words.count == limit { break }
        }
        return words
    }
}
