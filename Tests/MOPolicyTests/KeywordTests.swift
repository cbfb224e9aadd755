import Testing
@testable import MOPolicy

@Suite("Keyword.first(in:) finds a message's first word, uppercased")
struct KeywordTests {
    @Test("plain words are uppercased", arguments: [
        ("stop", "STOP"), ("STOP", "STOP"), ("Stop", "STOP"), ("sToP", "STOP"), ("start", "START"),
        ("info", "INFO"), ("x", "X"), ("42", "42"), ("h3lp", "H3LP"),
    ])
    func plainWords(text: String, keyword: String) {
        #expect(Keyword.first(in: text) == keyword)
    }

    @Test("the first word ends at the first whitespace of any kind", arguments: [
        ("stop please", "STOP"), ("stop\nplease", "STOP"), ("stop\r\nplease", "STOP"), ("stop\rplease", "STOP"),
        ("stop\tplease", "STOP"), ("stop\u{0B}please", "STOP"), ("stop\u{0C}please", "STOP"),
        ("stop\u{A0}please", "STOP"), ("stop\u{202F}please", "STOP"), ("stop\u{2007}please", "STOP"),
        ("stop\u{3000}please", "STOP"), ("stop\u{85}please", "STOP"), ("stop\u{2028}please", "STOP"),
        ("stop\u{2029}please", "STOP"), ("stop\u{1680}please", "STOP"), ("stop\u{2003}please", "STOP"),
    ])
    func wordEndsAtWhitespace(text: String, keyword: String) {
        #expect(Keyword.first(in: text) == keyword)
    }

    @Test("leading whitespace of any kind is skipped", arguments: [
        "  stop", "\tstop", "\n\nstop", "\r\nstop", "\u{A0}stop", "\u{3000}stop", "\u{2028}stop", " \t\r\n\u{A0} stop",
    ])
    func leadingWhitespace(text: String) {
        #expect(Keyword.first(in: text) == "STOP")
    }

    @Test("punctuation around the word is stripped", arguments: [
        ("Stop!", "STOP"), ("stop.", "STOP"), ("STOP!!!", "STOP"), ("\"stop\"", "STOP"), ("'stop'", "STOP"),
        ("(stop)", "STOP"), ("[stop]", "STOP"), ("«stop»", "STOP"), ("„stop“", "STOP"), ("¿Ayuda?", "AYUDA"),
        ("¡Alto!", "ALTO"), ("  info?\nmore", "INFO"), ("stop…", "STOP"), ("#stop", "STOP"), ("@stop", "STOP"),
        ("*stop*", "STOP"), ("_stop_", "STOP"), ("-stop-", "STOP"), ("stop,", "STOP"), ("stop;", "STOP"),
        ("stop:", "STOP"), ("«Стоп»", "СТОП"), ("。停止。", "停止"), ("؟قف؟", "قف"),
    ])
    func punctuationStripped(text: String, keyword: String) {
        #expect(Keyword.first(in: text) == keyword)
    }

    @Test("symbols, emoji and invisible format characters around the word are stripped", arguments: [
        ("stop👍", "STOP"), ("👍stop", "STOP"), ("🛑STOP🛑", "STOP"), ("<stop>", "STOP"), ("$stop$", "STOP"),
        ("+stop", "STOP"), ("~stop~", "STOP"), ("stop\u{200B}", "STOP"), ("\u{FEFF}stop", "STOP"),
        ("\u{200D}stop\u{2060}", "STOP"), ("stop🇳🇱", "STOP"), ("👨‍👩‍👧stop", "STOP"), ("\u{301}stop", "STOP"),
    ])
    func symbolsStripped(text: String, keyword: String) {
        #expect(Keyword.first(in: text) == keyword)
    }

    @Test("characters inside the word are kept", arguments: [
        ("opt-out", "OPT-OUT"), ("don't", "DON'T"), ("don’t", "DON’T"), ("S.T.O.P.", "S.T.O.P"), ("a👍b", "A👍B"),
        ("stop!now", "STOP!NOW"), ("e-mail:", "E-MAIL"), ("stop\u{200B}now", "STOP\u{200B}NOW"),
    ])
    func innerCharactersKept(text: String, keyword: String) {
        #expect(Keyword.first(in: text) == keyword)
    }

    @Test("pieces with no letter or digit are skipped and the next piece is tried", arguments: [
        ("👍 stop", "STOP"), ("-- STOP", "STOP"), ("... info", "INFO"), ("!!! ?? help me", "HELP"),
        ("> stop", "STOP"), ("🛑\nstop", "STOP"), ("\u{200B} stop", "STOP"),
    ])
    func symbolOnlyPiecesSkipped(text: String, keyword: String) {
        #expect(Keyword.first(in: text) == keyword)
    }

    @Test("text without a letter or digit has no keyword", arguments: [
        "", " ", "   ", "\t", "\n", "\r\n", "\u{A0}", "\u{3000}\u{2028}", "!", "?!", "...", "¿?", "👍", "🙂 🙃",
        "-- --", "\u{200B}", "\u{FEFF}", "🇳🇱", "#️⃣", " \n !!! \t 👍 ",
    ])
    func noKeyword(text: String) {
        #expect(Keyword.first(in: text) == nil)
    }

    @Test("non-Latin letters are words and are uppercased where the script has case", arguments: [
        ("стоп", "СТОП"), ("Стоп стоп", "СТОП"), ("σταμάτα", "ΣΤΑΜΆΤΑ"), ("τέλος", "ΤΈΛΟΣ"), ("停止", "停止"),
        ("ストップ", "ストップ"), ("توقف", "توقف"), ("עצור", "עצור"), ("रोको", "रोको"), ("หยุด", "หยุด"),
        ("멈춰", "멈춰"), ("ĳs", "ĲS"), ("ǆem", "ǄEM"),
    ])
    func nonLatin(text: String, keyword: String) {
        #expect(Keyword.first(in: text) == keyword)
    }

    @Test("uppercasing is Unicode's default mapping, the same in every locale", arguments: [
        ("straße", "STRASSE"), ("ﬆop", "STOP"), ("info", "INFO"), ("ı", "I"), ("i\u{307}", "I\u{307}"), ("çа", "ÇА"),
    ])
    func localeIndependentUppercase(text: String, keyword: String) {
        #expect(Keyword.first(in: text) == keyword)
        #expect(Keyword.first(in: text)?.unicodeScalars.elementsEqual(keyword.unicodeScalars) == true)
    }

    @Test("digits of every script are word characters; a keycap digit counts as a digit", arguments: [
        ("1", "1"), ("١٢", "١٢"), ("½", "½"), ("1️⃣", "1️⃣"), ("(2)", "2"), ("#1", "1"),
    ])
    func digits(text: String, keyword: String) {
        #expect(Keyword.first(in: text) == keyword)
    }

    @Test("a combining accent stays with its letter whichever encoding is used")
    func combiningAccents() {
        let decomposed = Keyword.first(in: "cafe\u{301}!")
        #expect(decomposed == "CAFÉ")
        #expect(decomposed?.unicodeScalars.map(\.value) == [0x43, 0x41, 0x46, 0x45, 0x301])
        #expect(Keyword.first(in: "café") == "CAFÉ")
    }

    @Test("only the start of a long text is read")
    func longText() {
        let text = "Stop! " + String(repeating: "lorem ipsum ", count: 10_000)
        #expect(Keyword.first(in: text) == "STOP")
    }
}
