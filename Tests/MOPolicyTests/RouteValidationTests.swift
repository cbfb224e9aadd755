import Testing
@testable import MOPolicy

@Suite("Route validates its criteria and names the offending key")
struct RouteValidationTests {
    /// The error `Route.init` throws for the given criteria (with one handler unless given), or `nil`.
    private func refusal(
        name: String = "r", kinds: Set<ItemKind> = [], channels: [String] = [], to: [String] = [],
        fromPrefixes: [String] = [], keywords: [String] = [], textPattern: String? = nil,
        handlers: [String] = ["h"], stop: Bool = false
    ) throws -> RouteError? {
        let pattern = try textPattern.map { try RoutePattern($0) }
        do {
            _ = try Route(name: name, kinds: kinds, channels: channels, to: to, fromPrefixes: fromPrefixes,
                          keywords: keywords, textPattern: pattern, handlers: handlers, stop: stop)
            return nil
        } catch {
            return error
        }
    }

    @Test("route kinds parse from their config spelling only", arguments: [
        ("mo", ItemKind?.some(.mo)), ("status", .status), ("event", .event),
        ("MO", nil), ("events", nil), ("sms", nil), ("", nil), (" mo", nil),
    ])
    func kindParsing(text: String, kind: ItemKind?) {
        #expect((try? ItemKind(parsing: text)) == kind)
    }

    @Test("an unknown kind names the value and the choices")
    func unknownKind() {
        #expect(throws: RouteError.unknownKind("sms")) { try ItemKind(parsing: "sms") }
        #expect(RouteError.unknownKind("sms").description == "'sms' is not a route kind (use mo, status or event)")
        #expect(RouteError.unknownKind("a\nb").description == "'a\\nb' is not a route kind (use mo, status or event)")
    }

    @Test("a route with every criterion empty and one handler is valid")
    func minimalRoute() throws {
        #expect(try refusal() == nil)
        #expect(try refusal(handlers: [], stop: true) == nil)
    }

    @Test("each refusal names the key inside the route", arguments: [
        (RouteError.emptyName, "name is empty"),
        (.emptyChannel(index: 1), "channels[1] is empty"),
        (.channelWhitespace(index: 0, " WhatsApp"), "channels[0]: ' WhatsApp' has whitespace around the name"),
        (.addressWithoutCharacters(.to, index: 2, "+"), "to[2]: '+' has no letters or digits to compare"),
        (.addressWithoutCharacters(.fromPrefixes, index: 0, "00"),
         "from_prefixes[0]: '00' has no letters or digits to compare"),
        (.keywordWithoutWord(index: 0, "!!"), "keywords[0]: '!!' has no letters or digits"),
        (.keywordNotOneWord(index: 3, "stop now"),
         "keywords[3]: 'stop now' is more than one word (only a message's first word is compared)"),
        (.keywordNotTrimmed(index: 0, "STOP!", keyword: "STOP"),
         "keywords[0]: 'STOP!' has punctuation, symbols or spaces around the word, which a message's keyword never has (use 'STOP')"),
        (.emptyHandler(index: 1), "handlers[1] is empty"),
        (.noEffect, "has no handlers and stop is false, so it would do nothing"),
        (.criterionNeverMatches(.keywords, kinds: [.status, .event]),
         "keywords can never match: status and event items have no text"),
        (.criterionNeverMatches(.textPattern, kinds: [.event]), "text_pattern can never match: event items have no text"),
        (.criterionNeverMatches(.fromPrefixes, kinds: [.status]),
         "from_prefixes can never match: status items have no sender"),
    ])
    func descriptions(error: RouteError, description: String) {
        #expect(error.description == description)
    }

    @Test("names, channels and handlers are checked", arguments: [
        (["name": ""], RouteError.emptyName),
        (["channel": ""], .emptyChannel(index: 1)),
        (["channel": "   "], .emptyChannel(index: 1)),
        (["channel": " WhatsApp"], .channelWhitespace(index: 1, " WhatsApp")),
        (["channel": "WhatsApp\n"], .channelWhitespace(index: 1, "WhatsApp\n")),
        (["handler": ""], .emptyHandler(index: 1)),
    ])
    func namesChannelsHandlers(broken: [String: String], error: RouteError) throws {
        let refused = try refusal(name: broken["name"] ?? "r", channels: ["SMS", broken["channel"] ?? "Viber"],
                                  handlers: ["h", broken["handler"] ?? "g"])
        #expect(refused == error)
    }

    @Test("a to or from_prefixes entry with nothing to compare is refused", arguments: ["+", "00", "", " ", "+-()", "()"])
    func emptyAddresses(text: String) throws {
        #expect(try refusal(to: ["+31612345678", text]) == .addressWithoutCharacters(.to, index: 1, text))
        #expect(try refusal(fromPrefixes: [text]) == .addressWithoutCharacters(.fromPrefixes, index: 0, text))
    }

    @Test("a keyword must be exactly the word Keyword would find, in any case", arguments: [
        ("STOP", RouteError?.none), ("stop", nil), ("Stop", nil), ("straße", nil), ("opt-out", nil), ("стоп", nil),
        ("STOP!", .keywordNotTrimmed(index: 0, "STOP!", keyword: "STOP")),
        (" stop", .keywordNotTrimmed(index: 0, " stop", keyword: "STOP")),
        ("#info", .keywordNotTrimmed(index: 0, "#info", keyword: "INFO")),
        ("stop👍", .keywordNotTrimmed(index: 0, "stop👍", keyword: "STOP")),
        ("stop now", .keywordNotOneWord(index: 0, "stop now")),
        ("👍 stop", .keywordNotOneWord(index: 0, "👍 stop")),
        ("", .keywordWithoutWord(index: 0, "")),
        ("  ", .keywordWithoutWord(index: 0, "  ")),
        ("!!", .keywordWithoutWord(index: 0, "!!")),
        ("👍", .keywordWithoutWord(index: 0, "👍")),
    ])
    func keywords(keyword: String, error: RouteError?) throws {
        #expect(try refusal(keywords: [keyword]) == error)
    }

    @Test("a route with no handlers must stop, or it would do nothing")
    func noEffect() throws {
        #expect(try refusal(handlers: []) == .noEffect)
        #expect(try refusal(handlers: [], stop: true) == nil)
    }

    static let unsatisfiableCases: [(Set<ItemKind>, RouteError.Field, RouteError?)] = [
        ([.status], .keywords, .criterionNeverMatches(.keywords, kinds: [.status])),
        ([.event], .keywords, .criterionNeverMatches(.keywords, kinds: [.event])),
        ([.status, .event], .keywords, .criterionNeverMatches(.keywords, kinds: [.status, .event])),
        ([.event, .status], .textPattern, .criterionNeverMatches(.textPattern, kinds: [.status, .event])),
        ([.status], .fromPrefixes, .criterionNeverMatches(.fromPrefixes, kinds: [.status])),
        ([.event], .fromPrefixes, nil), ([.mo, .status], .keywords, nil), ([.mo], .textPattern, nil),
        ([.status, .event], .fromPrefixes, nil), ([], .keywords, nil), ([], .fromPrefixes, nil),
    ]

    @Test("a criterion none of the route's kinds can satisfy is refused", arguments: unsatisfiableCases)
    func unsatisfiable(kinds: Set<ItemKind>, field: RouteError.Field, error: RouteError?) throws {
        let refused = try refusal(kinds: kinds, fromPrefixes: field == .fromPrefixes ? ["+31"] : [],
                                  keywords: field == .keywords ? ["STOP"] : [],
                                  textPattern: field == .textPattern ? "x" : nil)
        #expect(refused == error)
    }

    @Test("the configured values are kept as written")
    func keptAsWritten() throws {
        let route = try Route(name: "support", kinds: [.mo], channels: ["WhatsApp"], to: ["+31 20 123 4567"],
                              fromPrefixes: ["0032"], keywords: ["help"], textPattern: try RoutePattern("x"),
                              handlers: ["helpdesk", "archive"], stop: true)
        #expect(route.name == "support")
        #expect(route.kinds == [.mo])
        #expect(route.channels == ["WhatsApp"])
        #expect(route.to == ["+31 20 123 4567"])
        #expect(route.fromPrefixes == ["0032"])
        #expect(route.keywords == ["help"])
        #expect(route.textPattern?.source == "x")
        #expect(route.handlers == ["helpdesk", "archive"])
        #expect(route.stop)
    }
}
