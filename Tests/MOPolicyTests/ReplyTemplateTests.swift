import Testing
@testable import MOPolicy

private func template(_ source: String, fallback: String = "", limits: ReplyTemplate.Limits = .init()) throws -> ReplyTemplate {
    try ReplyTemplate(source, nameFallback: fallback, limits: limits)
}

private func position(_ line: Int, _ column: Int) -> ReplyTemplateError.Position {
    ReplyTemplateError.Position(line: line, column: column)
}

@Suite("ReplyTemplate parses reply texts once and renders them safely")
struct ReplyTemplateTests {
    @Test("each placeholder is replaced by its value", arguments: [
        ("{name}", "Ann"), ("{keyword}", "INFO"), ("{channel}", "WhatsApp"), ("{text}", "info please"),
        ("Hi {name}, you sent {keyword} on {channel}: {text}", "Hi Ann, you sent INFO on WhatsApp: info please"),
        ("{name}{name}", "AnnAnn"), ("no placeholders", "no placeholders"),
    ])
    func placeholders(source: String, rendered: String) throws {
        #expect(try template(source).render(text: "info please", name: "Ann", channel: "WhatsApp") == rendered)
    }

    @Test("{name} falls back when the sender has no usable name", arguments: [
        nil, "", "   ", "\n\t", "\u{0}\u{7}", "\u{200E}",
    ] as [String?])
    func nameFallback(name: String?) throws {
        #expect(try template("Hi {name}!", fallback: "there").render(text: "x", name: name, channel: "SMS") == "Hi there!")
        #expect(try template("Hi {name}!").render(text: "x", name: name, channel: "SMS") == "Hi !")
    }

    @Test("{keyword} is the first word uppercased, empty when there is none", arguments: [
        ("stop please", "STOP"), ("¿Ayuda?", "AYUDA"), ("👍", ""), ("", ""), ("  straße ", "STRASSE"),
    ])
    func keyword(text: String, keyword: String) throws {
        #expect(try template("[{keyword}]").render(text: text, name: nil, channel: "SMS") == "[\(keyword)]")
    }

    @Test("doubled braces are literal braces", arguments: [
        ("{{", "{"), ("}}", "}"), ("{{name}}", "{name}"), ("{{{name}}}", "{Ann}"), ("a {{b}} c", "a {b} c"),
        ("{{}}", "{}"), ("}}{{", "}{"),
    ])
    func literalBraces(source: String, rendered: String) throws {
        #expect(try template(source).render(text: "t", name: "Ann", channel: "SMS") == rendered)
    }

    @Test("inserted text is never read as a placeholder", arguments: [
        "{text}", "{name}", "{{", "}}", "{", "}", "{keyword} {channel}", "{{text}}",
    ])
    func noInjection(received: String) throws {
        let rendered = try template("You said: {text} / {name}").render(text: received, name: received, channel: "SMS")
        #expect(rendered == "You said: \(received) / \(received)")
    }

    @Test("inserted values are cleaned: controls removed, whitespace runs one space, ends trimmed", arguments: [
        ("a\u{0}b", "ab"), ("a\u{7}b\u{1B}[31mc", "ab[31mc"), ("a\u{7F}b\u{9B}c", "abc"),
        ("one\ntwo", "one two"), ("one\r\ntwo", "one two"), ("one\rtwo", "one two"), ("one\u{85}two", "one two"),
        ("one\u{2028}two\u{2029}three", "one two three"), ("tab\there", "tab here"), ("a \n\n\t b", "a b"),
        ("  padded  ", "padded"), ("\u{0B}\u{0C}x", "x"), ("no\u{A0}break", "no break"),
        ("abc\u{202E}fed", "abcfed"), ("\u{2066}x\u{2069}", "x"), ("\u{200F}x\u{200E}", "x"), ("\u{FEFF}bom", "bom"),
        ("👨‍👩‍👧", "👨‍👩‍👧"), ("e\u{301}", "e\u{301}"), ("می‌خواهم", "می‌خواهم"), ("\n\nReply PAY to confirm", "Reply PAY to confirm"),
    ])
    func cleaning(value: String, cleaned: String) throws {
        #expect(try template("[{text}]").render(text: value, name: nil, channel: "SMS") == "[\(cleaned)]")
        #expect(ReplyTemplate.clean(value, limit: 160) == cleaned)
    }

    @Test("the template's own line breaks and tabs are kept as written")
    func literalLineBreaks() throws {
        let source = "Thanks {name}!\n\nOur hours:\tMon–Fri\r\n— The shop"
        #expect(try template(source).render(text: "x", name: "Ann", channel: "SMS")
                == "Thanks Ann!\n\nOur hours:\tMon–Fri\r\n— The shop")
    }

    @Test("each inserted value is cut to 160 characters, ending in an ellipsis")
    func valueLimit() throws {
        let exact = String(repeating: "a", count: 160)
        #expect(try template("{text}").render(text: exact, name: nil, channel: "SMS") == exact)
        let long = String(repeating: "b", count: 500)
        let cut = try template("{text}").render(text: long, name: nil, channel: "SMS")
        #expect(cut == String(repeating: "b", count: 159) + "…")
        #expect(cut.count == 160)
        let flags = String(repeating: "🇳🇱", count: 200)
        #expect(try template("{name}").render(text: "", name: flags, channel: "SMS") == String(repeating: "🇳🇱", count: 159) + "…")
        let spaced = String(repeating: "a", count: 158) + "   tail"
        #expect(ReplyTemplate.clean(spaced, limit: 160) == String(repeating: "a", count: 158) + "…")
    }

    @Test("the whole reply is capped at 1,000 characters, ending in an ellipsis")
    func totalLimit() throws {
        let prefix = String(repeating: "x", count: 990)
        let reply = try template(prefix + "{text}").render(text: String(repeating: "y", count: 100), name: nil, channel: "SMS")
        #expect(reply.count == 1000)
        #expect(reply == prefix + String(repeating: "y", count: 9) + "…")
        let many = try template("{text}{text}{text}{text}{text}{text}{text}")
            .render(text: String(repeating: "z", count: 200), name: nil, channel: "SMS")
        #expect(many.count == 1000)
        #expect(many.hasSuffix("…"))
    }

    @Test("limits are configurable and at least 1")
    func customLimits() throws {
        let small = try template("{text}!", limits: .init(maxValueCharacters: 5, maxCharacters: 6))
        #expect(small.render(text: "abcdefgh", name: nil, channel: "SMS") == "abcd…!")
        #expect(try template("{text}", limits: .init(maxValueCharacters: 3, maxCharacters: 2))
            .render(text: "abcdef", name: nil, channel: "SMS") == "a…")
        #expect(ReplyTemplate.Limits(maxValueCharacters: 0, maxCharacters: -5) == .init(maxValueCharacters: 1, maxCharacters: 1))
    }

    @Test("template text longer than the reply limit is refused")
    func templateTooLong() {
        #expect(throws: ReplyTemplateError.tooLong(characters: 1001, limit: 1000)) {
            try template(String(repeating: "x", count: 1001))
        }
        #expect(throws: Never.self) { try template(String(repeating: "x", count: 1000) + "{text}") }
    }

    @Test("parse errors name what is wrong and where", arguments: [
        ("Hi {nmae}", ReplyTemplateError.unknownPlaceholder("nmae", at: position(1, 4))),
        ("{Name}", .unknownPlaceholder("Name", at: position(1, 1))),
        ("{ name }", .unknownPlaceholder(" name ", at: position(1, 1))),
        ("{{name}} {x}", .unknownPlaceholder("x", at: position(1, 10))),
        ("line one\nline {two}", .unknownPlaceholder("two", at: position(2, 6))),
        ("a\r\n{x}", .unknownPlaceholder("x", at: position(2, 1))),
        ("e\u{301}🇳🇱{x}", .unknownPlaceholder("x", at: position(1, 3))),
        ("{}", .emptyPlaceholder(at: position(1, 1))),
        ("{", .unclosedPlaceholder(at: position(1, 1))),
        ("Hi {name", .unclosedPlaceholder(at: position(1, 4))),
        ("{na{me}", .unclosedPlaceholder(at: position(1, 1))),
        ("x\n\n  {text", .unclosedPlaceholder(at: position(3, 3))),
        ("}", .unmatchedClosingBrace(at: position(1, 1))),
        ("a}b", .unmatchedClosingBrace(at: position(1, 2))),
        ("{name}}", .unmatchedClosingBrace(at: position(1, 7))),
        ("}}}", .unmatchedClosingBrace(at: position(1, 3))),
        ("bell\u{7}", .controlCharacter(at: position(1, 5))),
        ("nul\u{0}", .controlCharacter(at: position(1, 4))),
        ("c1\u{85}", .controlCharacter(at: position(1, 3))),
        ("", .empty),
        (" \n\t ", .empty),
    ])
    func parseErrors(source: String, error: ReplyTemplateError) {
        #expect(throws: error) { try template(source) }
    }

    @Test("error descriptions are one line with the position", arguments: [
        (ReplyTemplateError.unknownPlaceholder("nmae", at: position(1, 4)),
         "'{nmae}' at line 1, column 4 is not a placeholder (use {name}, {keyword}, {channel} or {text}; write {{ and }} for literal braces)"),
        (.unknownPlaceholder("a\nb", at: position(2, 1)),
         "'{a\\nb}' at line 2, column 1 is not a placeholder (use {name}, {keyword}, {channel} or {text}; write {{ and }} for literal braces)"),
        (.unclosedPlaceholder(at: position(1, 4)),
         "the '{' at line 1, column 4 is not closed by '}' (use {name}, {keyword}, {channel} or {text}; write {{ and }} for literal braces)"),
        (.unmatchedClosingBrace(at: position(3, 9)), "the '}' at line 3, column 9 closes nothing (write }} for a literal brace)"),
        (.emptyPlaceholder(at: position(1, 1)),
         "'{}' at line 1, column 1 is not a placeholder (use {name}, {keyword}, {channel} or {text}; write {{ and }} for literal braces)"),
        (.controlCharacter(at: position(1, 5)),
         "the template has a control character at line 1, column 5 (only tab and line breaks are allowed)"),
        (.empty, "the template is empty"),
        (.tooLong(characters: 1200, limit: 1000), "the template's text has 1200 characters, more than the reply limit of 1000"),
    ])
    func descriptions(error: ReplyTemplateError, description: String) {
        #expect(error.description == description)
    }

    @Test("a long unknown name is cut in the message")
    func longUnknownName() {
        let name = String(repeating: "n", count: 100)
        #expect(ReplyTemplateError.unknownPlaceholder(name, at: position(1, 1)).description
            .hasPrefix("'{" + String(repeating: "n", count: 40) + "…}'"))
    }

    @Test("placeholders lists each one once, in order of first use")
    func placeholderList() throws {
        #expect(try template("{text} {name} {text} {channel}").placeholders == [.text, .name, .channel])
        #expect(try template("plain {{text}}").placeholders.isEmpty)
    }

    @Test("the source is kept as written")
    func source() throws {
        let text = "Hi {{ {name} }}"
        #expect(try template(text).description == text)
        #expect(try template(text).source == text)
    }
}
