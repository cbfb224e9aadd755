import Foundation
import Testing
@testable import MOPolicy

/// Foundation's folding, which `LatinFolding` replaces in the shipped code.
private func foundationFold(_ text: String) -> String {
    text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
}

/// Scalars written out, so a difference that String's canonical equivalence would hide still shows.
private func scalars(_ text: String) -> String {
    text.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
}

/// "U+00C9 É: ours U+65, Foundation's U+65" for each text whose folds differ scalar for scalar.
private func divergences(_ texts: some Sequence<String>) -> [String] {
    texts.compactMap { text in
        let ours = LatinFolding.fold(text)
        let theirs = foundationFold(text)
        guard !ours.unicodeScalars.elementsEqual(theirs.unicodeScalars) else { return nil }
        return "\(scalars(text)) \(text): ours \(scalars(ours)), Foundation's \(scalars(theirs))"
    }
}

@Suite("LatinFolding folds case and diacritics as Foundation does for Latin letters")
struct LatinFoldingTests {
    @Test("every scalar of ASCII, Latin-1 Supplement, Latin Extended-A, -B and Additional folds as in Foundation")
    func everyLatinScalar() {
        let ranges = [0x0000...0x007F] + LatinFolding.exactRanges
        let texts = ranges.joined().compactMap(Unicode.Scalar.init).map { String($0) }
        #expect(texts.count == 128 + 464 + 256)
        #expect(divergences(texts) == [])
    }

    @Test("a combining diacritical mark after a letter is dropped, as in Foundation")
    func combiningMarks() {
        let texts = LatinFolding.combiningDiacriticalMarks.compactMap(Unicode.Scalar.init).flatMap { mark in
            ["a", "E", "ß"].map { $0 + String(mark) }
        }
        #expect(divergences(texts) == [])
    }

    @Test("every default phrase, as written, in capitals and with its first letter capitalised, folds as in Foundation")
    func defaultPhrases() {
        let phrases = AutomatedMessageHeuristics.defaultPhrases.map(\.text)
        let texts = phrases + phrases.map { $0.uppercased() } + phrases.map { $0.prefix(1).uppercased() + $0.dropFirst() }
        #expect(divergences(texts) == [])
    }

    @Test("sentences mixing the languages fold as in Foundation", arguments: [
        "RÉPONSE AUTOMATIQUE – Je suis absente jusqu’au 12 août.",
        "Ich bin derzeit nicht im Büro. GRÜẞE aus Straße 5",
        "Tu CÓDIGO DE VERIFICACIÓN es 123456. ¡No lo compartas!",
        "Uw bericht kon niet worden afgeleverd (één keer geprobeerd)",
        "Łódź, Kraków, Ærøskøbing, İstanbul, Œuvre, Ĳsselmeer, ŉ",
        "Cre\u{301}e\u{301} automatiquement, decomposed",
    ])
    func sentences(text: String) {
        #expect(divergences([text]) == [])
    }

    /// Pinned so a change is deliberate: outside the Latin blocks only the lowercase mapping applies.
    @Test("outside the Latin blocks accents stay and only case is lowered, unlike Foundation", arguments: [
        ("ΆΛΦΑ", "άλφα", "αλφα"),
        ("Йод", "йод", "иод"),
        ("ς", "ς", "σ"),
    ])
    func otherScripts(text: String, ours: String, foundations: String) {
        #expect(LatinFolding.fold(text).unicodeScalars.elementsEqual(ours.unicodeScalars))
        #expect(foundationFold(text).unicodeScalars.elementsEqual(foundations.unicodeScalars))
    }
}
