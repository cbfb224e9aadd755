import Testing
@testable import MOPolicy

private let defaults: OptOutKeywords = {
    do {
        return try OptOutKeywords()
    } catch {
        preconditionFailure("\(error)")
    }
}()

@Suite("OptOutKeywords classifies STOP and START messages")
struct OptOutKeywordTests {
    @Test("stop words count as the first word, whatever follows", arguments: [
        ("STOP", "STOP"), ("stop", "STOP"), ("Stop!", "STOP"), ("  stop  ", "STOP"), ("STOP.", "STOP"),
        ("stop please", "STOP"), ("Stop sending me these", "STOP"), ("🛑 stop", "STOP"), ("\"stop\"", "STOP"),
        ("STOPALL", "STOPALL"), ("Unsubscribe", "UNSUBSCRIBE"), ("cancel", "CANCEL"), ("end", "END"), ("Quit", "QUIT"),
        ("revoke", "REVOKE"), ("opt out", "OPT OUT"), ("Opt out of this please", "OPT OUT"), ("OPT-OUT", "OPT-OUT"),
        ("optout", "OPTOUT"), ("opt\nout", "OPT OUT"), ("stop\nstart", "STOP"), ("Cancel my order", "CANCEL"),
    ])
    func stops(text: String, keyword: String) {
        #expect(defaults.match(text) == OptOutKeywords.Match(intent: .stop, keyword: keyword))
        #expect(defaults.classify(text) == .stop)
    }

    @Test("start words must be the whole message", arguments: [
        ("START", "START"), ("start", "START"), ("Start!", "START"), ("👍 start 👍", "START"), ("unstop", "UNSTOP"),
        ("\n start \n", "START"),
    ])
    func starts(text: String, keyword: String) {
        #expect(defaults.match(text) == OptOutKeywords.Match(intent: .start, keyword: keyword))
        #expect(defaults.classify(text) == .start)
    }

    @Test("everything else is neither", arguments: [
        "", "   ", "👍", "please stop", "don't stop", "nonstop", "stopp", "unstoppable", "start the engine",
        "Start now", "yes", "YES", "opt", "opt in", "startup", "s t o p", "ST0P", "hello", "info", "stopstop",
        "S.T.O.P.", "quitting", "ending", "endless", "cancelled",
    ])
    func neither(text: String) {
        #expect(defaults.classify(text) == nil)
    }

    @Test("matching is switchable per list")
    func switchedMatching() throws {
        let strict = try OptOutKeywords(stopMatching: .wholeMessage, startMatching: .firstWords)
        #expect(strict.classify("stop please") == nil)
        #expect(strict.classify("stop!") == .stop)
        #expect(strict.classify("opt out") == .stop)
        #expect(strict.classify("opt out now") == nil)
        #expect(strict.classify("start please") == .start)
    }

    @Test("custom lists, local words, and empty lists switch a side off")
    func customLists() throws {
        let dutch = try OptOutKeywords(stopWords: ["STOP", "afmelden", "ARRÊT"], startWords: ["aanmelden"])
        #expect(dutch.match("Afmelden aub") == .init(intent: .stop, keyword: "AFMELDEN"))
        #expect(dutch.classify("arrêt") == .stop)
        #expect(dutch.classify("AANMELDEN") == .start)
        #expect(dutch.classify("start") == nil)
        let none = try OptOutKeywords(stopWords: [], startWords: [])
        #expect(none.classify("stop") == nil)
        #expect(none.classify("start") == nil)
    }

    @Test("the longest matching entry is reported")
    func longestEntry() throws {
        let lists = try OptOutKeywords(stopWords: ["OPT", "OPT OUT", "OPT OUT NOW"], startWords: [])
        #expect(lists.match("opt out now!")?.keyword == "OPT OUT NOW")
        #expect(lists.match("opt out")?.keyword == "OPT OUT")
        #expect(lists.match("opt in")?.keyword == "OPT")
    }

    @Test("stop wins when a message could be both")
    func stopFirst() throws {
        let lists = try OptOutKeywords(stopWords: ["STOP"], startWords: ["STOP START"])
        #expect(lists.classify("stop start") == .stop)
    }

    @Test("badly written entries are refused with their list and position", arguments: [
        (["STOP!"], [String](), OptOutKeywordsError.keyword(.init(list: "stop_words", index: 0, keyword: "STOP!",
                                                                   problem: .notTrimmed("STOP")))),
        (["STOP", "opt  out"], [], .keyword(.init(list: "stop_words", index: 1, keyword: "opt  out",
                                                   problem: .notTrimmed("OPT OUT")))),
        (["STOP"], ["..."], .keyword(.init(list: "start_words", index: 0, keyword: "...", problem: .noWord))),
        (["STOP"], ["start", "stop"], .inBothLists("stop")),
    ])
    func badEntries(stop: [String], start: [String], error: OptOutKeywordsError) {
        #expect(throws: error) { try OptOutKeywords(stopWords: stop, startWords: start) }
    }

    @Test("error descriptions are one line")
    func descriptions() {
        #expect(OptOutKeywordsError.inBothLists("stop").description == "start_words: 'stop' is also in stop_words")
        #expect(OptOutKeywordsError.keyword(.init(list: "stop_words", index: 0, keyword: "STOP!", problem: .notTrimmed("STOP")))
            .description == "stop_words[0]: 'STOP!' has punctuation, symbols or spaces around the word, "
            + "which a message's keyword never has (use 'STOP')")
    }

    @Test("the defaults are the FCC's words, the carriers' and START/UNSTOP")
    func defaultLists() {
        #expect(OptOutKeywords.defaultStopWords == ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE",
                                                    "OPT OUT", "OPTOUT", "OPT-OUT"])
        #expect(OptOutKeywords.defaultStartWords == ["START", "UNSTOP"])
        #expect(defaults.stopMatching == .firstWords)
        #expect(defaults.startMatching == .wholeMessage)
    }

    @Test("a message's first word is found exactly as Keyword.first finds it", arguments: [
        "stop", "  Stop!", "👍 stop", "-- STOP", "«Стоп»", "。停止。", "straße", "opt-out", "S.T.O.P.", "", "...", "\u{FEFF}stop",
        "stop\u{200B}now", "\u{301}stop", "a👍b",
    ])
    func agreesWithKeyword(text: String) {
        #expect(KeywordWords.words(in: text, limit: 1).first == Keyword.first(in: text))
    }
}
