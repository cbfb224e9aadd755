import Testing
@testable import MOPolicy

@Suite("RoutePattern")
struct RoutePatternTests {
    @Test("a pattern is searched for anywhere in the text unless it anchors itself", arguments: [
        ("order", "my order 1234", true), ("order", "ORDER", false), ("^order", "my order", false),
        ("^order", "order 12", true), ("order$", "my order", true), ("order$", "order!", false),
        ("^order$", "order", true), ("^order$", "order\n", false), ("\\d{4}", "ref 12345", true),
        ("\\d{4}", "ref 123", false), ("^$", "", true), ("^$", " ", false), (".", "", false),
        ("\\border\\b", "preorder", false), ("\\border\\b", "an order.", true),
    ])
    func searchAndAnchors(source: String, text: String, matches: Bool) throws {
        #expect(try RoutePattern(source).matches(text) == matches)
    }

    @Test("matching is case-sensitive unless the pattern says (?i)", arguments: [
        ("stop", "STOP", false), ("(?i)stop", "STOP", true), ("(?i)stop", "Stop", true), ("(?i)ÉTÉ", "été", true),
        ("(?i)стоп", "СТОП", true), ("STOP", "stop", false), ("(?i:s)TOP", "sTOP", true), ("(?i:s)TOP", "stop", false),
    ])
    func caseSensitivity(source: String, text: String, matches: Bool) throws {
        #expect(try RoutePattern(source).matches(text) == matches)
    }

    @Test("text is compared as user-perceived characters", arguments: [
        ("^.$", "e\u{301}", true), ("^.$", "🇳🇱", true), ("^..$", "e\u{301}", false), ("café", "cafe\u{301}", true),
        ("cafe\u{301}", "café", true), ("^\\w+$", "cafe\u{301}", true),
    ])
    func characterSemantics(source: String, text: String, matches: Bool) throws {
        #expect(try RoutePattern(source).matches(text) == matches)
    }

    @Test("line breaks: ^ and $ need (?m), . needs (?s), and CR LF is matched by \\R or \\s", arguments: [
        ("^two", "one\ntwo", false), ("(?m)^two", "one\ntwo", true), ("one$", "one\ntwo", false),
        ("(?m)one$", "one\ntwo", true), ("one.two", "one\ntwo", false), ("(?s)one.two", "one\ntwo", true),
        ("one\\Rtwo", "one\r\ntwo", true), ("one\\stwo", "one\r\ntwo", true), ("one\\Rtwo", "one\ntwo", true),
        ("one\\ntwo", "one\ntwo", true),
    ])
    func lineBreaks(source: String, text: String, matches: Bool) throws {
        #expect(try RoutePattern(source).matches(text) == matches)
    }

    @Test("the source is kept as written and is the description")
    func source() throws {
        let pattern = try RoutePattern("(?i)^order\\s+#?\\d+")
        #expect(pattern.source == "(?i)^order\\s+#?\\d+")
        #expect(pattern.description == "(?i)^order\\s+#?\\d+")
    }

    @Test("an invalid pattern names itself and the engine's reason", arguments: [
        ("(", "'(' is not a valid regular expression: expected ')'"),
        ("a)", "'a)' is not a valid regular expression: closing ')' does not balance any groups openings"),
        ("[a-", "'[a-' is not a valid regular expression: expected ']'"),
        ("a{2,1}", "'a{2,1}' is not a valid regular expression: range lower bound '2' must be less than or equal to upper bound '1'"),
        ("*a", "'*a' is not a valid regular expression: quantifier '*' must appear after expression"),
        ("\\p{Foo}", "'\\\\p{Foo}' is not a valid regular expression: unknown character property 'Foo'"),
        ("\\", "'\\\\' is not a valid regular expression: expected escape sequence"),
        ("(?<=a)b", "'(?<=a)b' is not a valid regular expression: lookbehind is not currently supported"),
        ("\\1", "'\\\\1' is not a valid regular expression: no capture numbered 1"),
    ])
    func invalidPatterns(source: String, description: String) {
        #expect(throws: RoutePatternError.self) { try RoutePattern(source) }
        do {
            _ = try RoutePattern(source)
        } catch {
            #expect(error.description == description)
            guard case .invalid(let given, _) = error else {
                Issue.record("expected .invalid, got \(error)")
                return
            }
            #expect(given == source)
        }
    }

    @Test("an empty pattern is refused because it would match every text")
    func emptyPattern() {
        #expect(throws: RoutePatternError.empty) { try RoutePattern("") }
        #expect(RoutePatternError.empty.description
            == "the pattern is empty, which would match every text (leave text_pattern out instead)")
    }

    @Test("control characters in a refused pattern are escaped so the message stays one line")
    func escapedDescription() {
        #expect(throws: RoutePatternError.self) { try RoutePattern("a\n(") }
        do {
            _ = try RoutePattern("a\n(")
        } catch {
            #expect(error.description == "'a\\n(' is not a valid regular expression: expected ')'")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("one pattern is safe to match from many tasks at once")
    func concurrentMatching() async throws {
        let pattern = try RoutePattern("(?i)\\border\\s*#?(\\d{4,})\\b")
        let texts = ["Order #12345 please", "no order here", "ORDER 9999", "order 12", "reorder 12345"]
        let expected = texts.map { pattern.matches($0) }
        #expect(expected == [true, false, true, false, false])
        let results = await withTaskGroup(of: [Bool].self) { group in
            for _ in 0..<16 {
                group.addTask {
                    var seen: [Bool] = []
                    for round in 0..<500 { seen.append(pattern.matches(texts[round % texts.count])) }
                    return seen
                }
            }
            var all: [[Bool]] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 16)
        for seen in results {
            #expect(seen == (0..<500).map { expected[$0 % texts.count] })
        }
    }
}
