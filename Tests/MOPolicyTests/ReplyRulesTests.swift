import Testing
@testable import MOPolicy

private func text(_ source: String) throws -> ReplyTemplate {
    try ReplyTemplate(source)
}

/// info/help by keyword, an order number by pattern, a catch-all pattern, and a default.
private func shopRules(withDefault: Bool = true) throws -> ReplyRules {
    try ReplyRules([
        ReplyRule(name: "info", keywords: ["INFO", "help"], template: text("Info for {name}")),
        ReplyRule(pattern: RoutePattern(#"(?i)order\s+#?\d{4,}"#), template: text("Looking up your order")),
        ReplyRule(keywords: ["hours", "open"], template: text("We open at 9")),
        ReplyRule(name: "anything-long", pattern: RoutePattern(".{200,}"), template: text("That is a long one")),
    ], defaultTemplate: withDefault ? text("Thanks, {name}!") : nil)
}

@Suite("ReplyRules picks the first matching rule, else the default")
struct ReplyRulesTests {
    @Test("the first matching rule in order answers, with a stable identifier", arguments: [
        ("info", "info", "Info for Ann"),
        ("Help!", "info", "Info for Ann"),
        ("  hElP me please", "info", "Info for Ann"),
        ("Where is order #12345?", "rule[1]", "Looking up your order"),
        ("INFO about ORDER 12345", "info", "Info for Ann"),
        ("open today?", "rule[2]", "We open at 9"),
        ("hours", "rule[2]", "We open at 9"),
        ("something else", "default", "Thanks, Ann!"),
        ("informal", "default", "Thanks, Ann!"),
        ("", "default", "Thanks, Ann!"),
    ])
    func ordering(message: String, rule: String, reply: String) throws {
        let result = try #require(try shopRules().reply(to: message, name: "Ann", channel: "WhatsApp"))
        #expect(result.rule == rule)
        #expect(result.text == reply)
    }

    @Test("an earlier rule wins over a later one that also matches")
    func earlierWins() throws {
        let rules = try ReplyRules([
            ReplyRule(name: "first", pattern: RoutePattern("a"), template: text("1")),
            ReplyRule(name: "second", keywords: ["abc"], template: text("2")),
        ])
        #expect(rules.reply(to: "abc", name: nil, channel: "SMS")?.rule == "first")
        #expect(rules.reply(to: "xyz", name: nil, channel: "SMS") == nil)
    }

    @Test("without a default, a message no rule matches gets no reply")
    func noDefault() throws {
        #expect(try shopRules(withDefault: false).reply(to: "something else", name: "Ann", channel: "SMS") == nil)
        #expect(try ReplyRules([]).reply(to: "x", name: nil, channel: "SMS") == nil)
    }

    @Test("only a default: every message gets it")
    func onlyDefault() throws {
        let rules = try ReplyRules([], defaultTemplate: text("Got it via {channel}"))
        #expect(rules.reply(to: "", name: nil, channel: "RCS")?.rule == "default")
        #expect(rules.reply(to: "", name: nil, channel: "RCS")?.text == "Got it via RCS")
    }

    @Test("a text with no word matches no keyword rule; a pattern can match the empty text")
    func emptyText() throws {
        let rules = try ReplyRules([
            ReplyRule(keywords: ["MEDIA"], template: text("k")),
            ReplyRule(name: "empty", pattern: RoutePattern("^$"), template: text("Thanks for the picture")),
        ])
        #expect(rules.reply(to: "", name: nil, channel: "WhatsApp")?.rule == "empty")
        #expect(rules.reply(to: "👍", name: nil, channel: "WhatsApp") == nil)
    }

    @Test("a reply that renders blank is no reply, and later rules are not tried")
    func blankRender() throws {
        let rules = try ReplyRules([ReplyRule(keywords: ["NAME"], template: text("{name}"))],
                                   defaultTemplate: text("default"))
        #expect(rules.reply(to: "name", name: nil, channel: "SMS") == nil)
        #expect(rules.reply(to: "name", name: "Bo", channel: "SMS")?.text == "Bo")
    }

    @Test("identifiers: given names, rule[N] by 0-based position, default")
    func identifiers() throws {
        let rules = try shopRules()
        #expect((0..<rules.rules.count).map(rules.identifier(at:)) == ["info", "rule[1]", "rule[2]", "anything-long"])
        #expect(ReplyRules.defaultIdentifier == "default")
    }

    @Test("received text in a rule's reply is cleaned and never expanded")
    func injection() throws {
        let rules = try ReplyRules([ReplyRule(keywords: ["ECHO"], template: text("You said: {text}"))])
        #expect(rules.reply(to: "echo {name}\n{{text}}", name: "Ann", channel: "SMS")?.text == "You said: echo {name} {{text}}")
    }

    @Test("keyword rules refuse keywords that are not one trimmed word", arguments: [
        ([String](), ReplyRuleError.noKeywords),
        (["INFO", "stop now"], .keyword(ReplyKeywordError(list: "keywords", index: 1, keyword: "stop now", problem: .notOneWord))),
        (["INFO!"], .keyword(ReplyKeywordError(list: "keywords", index: 0, keyword: "INFO!", problem: .notTrimmed("INFO")))),
        (["..."], .keyword(ReplyKeywordError(list: "keywords", index: 0, keyword: "...", problem: .noWord))),
        ([" info"], .keyword(ReplyKeywordError(list: "keywords", index: 0, keyword: " info", problem: .notTrimmed("INFO")))),
    ])
    func badKeywords(keywords: [String], error: ReplyRuleError) throws {
        let template = try text("x")
        #expect(throws: error) { try ReplyRule(keywords: keywords, template: template) }
    }

    @Test("rule names are letters, digits, '_', '-', '.', not reserved", arguments: [
        ("", ReplyRuleError.emptyName),
        ("rule[0]", .invalidName("rule[0]")),
        ("has space", .invalidName("has space")),
        ("naïve", .invalidName("naïve")),
        (String(repeating: "n", count: 65), .invalidName(String(repeating: "n", count: 65))),
        ("default", .reservedName("default")),
        ("stop-confirmation", .reservedName("stop-confirmation")),
        ("start-confirmation", .reservedName("start-confirmation")),
    ])
    func badNames(name: String, error: ReplyRuleError) throws {
        let template = try text("x")
        #expect(throws: error) { try ReplyRule(name: name, keywords: ["A"], template: template) }
        #expect(throws: error) { try ReplyRule(name: name, pattern: RoutePattern("a"), template: template) }
    }

    @Test("good names are accepted", arguments: ["info", "Opening_Hours-2.0", "a", String(repeating: "n", count: 64)])
    func goodNames(name: String) throws {
        #expect(try ReplyRule(name: name, keywords: ["A"], template: text("x")).name == name)
    }

    @Test("two rules with one name are refused, naming both positions")
    func duplicateNames() throws {
        let a = try ReplyRule(name: "same", keywords: ["A"], template: text("x"))
        let b = try ReplyRule(name: "other", keywords: ["B"], template: text("x"))
        #expect(throws: ReplyRuleError.duplicateName("same", index: 2, firstIndex: 0)) { try ReplyRules([a, b, a]) }
    }

    @Test("error descriptions are one line", arguments: [
        (ReplyRuleError.emptyName, "name is empty"),
        (.invalidName("a b"), "name: 'a b' may only have ASCII letters, digits, '_', '-' and '.' (at most 64)"),
        (.reservedName("default"), "name: 'default' is reserved for the handler's own replies"),
        (.duplicateName("x", index: 3, firstIndex: 1), "rules[3].name: 'x' is already the name of rules[1]"),
        (.noKeywords, "keywords is empty (give at least one, or a text_pattern)"),
        (.keyword(ReplyKeywordError(list: "keywords", index: 1, keyword: "stop now", problem: .notOneWord)),
         "keywords[1]: 'stop now' is more than one word (only a message's first word is compared)"),
        (.keyword(ReplyKeywordError(list: "keywords", index: 0, keyword: "INFO!", problem: .notTrimmed("INFO"))),
         "keywords[0]: 'INFO!' has punctuation, symbols or spaces around the word, which a message's keyword never has (use 'INFO')"),
        (.keyword(ReplyKeywordError(list: "keywords", index: 2, keyword: "\n", problem: .noWord)),
         "keywords[2]: '\\n' has no letters or digits"),
    ])
    func descriptions(error: ReplyRuleError, description: String) {
        #expect(error.description == description)
    }
}
