import Testing
@testable import MOPolicy

/// One route's criteria, each alone, then together.
@Suite("Route criteria")
struct RouteCriteriaTests {
    /// An MO with every field set; tests change one field at a time.
    static let mo = RoutableItem(kind: .mo, channel: "WhatsApp", from: "+31612345678", to: "+31201234567",
                                 text: "Stop sending me messages")
    static let status = RoutableItem(kind: .status, channel: "SMS", to: "0031612345678")
    static let event = RoutableItem(kind: .event, channel: "WhatsApp", from: "+31612345678", to: "+31201234567")
    static let bare = RoutableItem(kind: .event)

    @Test("a route with no criteria matches every item, even one with no fields", arguments: [mo, status, event, bare])
    func noCriteria(item: RoutableItem) throws {
        #expect(try Route(name: "all", handlers: ["h"]).matches(item))
    }

    static let kindCases: [(Set<ItemKind>, ItemKind, Bool)] = [
        ([], .mo, true), ([], .status, true), ([], .event, true),
        ([.mo], .mo, true), ([.mo], .status, false), ([.mo], .event, false),
        ([.status], .status, true), ([.status], .mo, false), ([.event], .event, true), ([.event], .status, false),
        ([.status, .event], .status, true), ([.status, .event], .event, true), ([.status, .event], .mo, false),
        ([.mo, .status, .event], .mo, true), ([.mo, .status, .event], .status, true),
        ([.mo, .status, .event], .event, true),
    ]

    @Test("kinds: an empty set is any kind, otherwise the item's kind must be listed", arguments: kindCases)
    func kinds(kinds: Set<ItemKind>, kind: ItemKind, matches: Bool) throws {
        let route = try Route(name: "r", kinds: kinds, handlers: ["h"])
        #expect(route.matches(RoutableItem(kind: kind, channel: "SMS", from: "1", to: "2", text: "x")) == matches)
    }

    @Test("channels compare ignoring case, exactly otherwise", arguments: [
        ("WhatsApp", "WhatsApp", true), ("WhatsApp", "whatsapp", true), ("whatsapp", "WHATSAPP", true),
        ("SMS", "sms", true), ("Apple Messages for Business", "apple messages for business", true),
        ("WhatsApp", "WhatsApp Business", false), ("WhatsApp", "Whats App", false), ("SMS", "SMS ", false),
        ("SMS", "MMS", false), ("SMS", "", false),
    ])
    func channels(configured: String, channel: String, matches: Bool) throws {
        let route = try Route(name: "r", channels: [configured], handlers: ["h"])
        var item = Self.mo
        item.channel = channel
        #expect(route.matches(item) == matches)
    }

    @Test("any of several channels matches")
    func severalChannels() throws {
        let route = try Route(name: "r", channels: ["SMS", "WhatsApp", "Viber"], handlers: ["h"])
        for channel in ["sms", "WHATSAPP", "Viber"] {
            #expect(route.matches(RoutableItem(kind: .mo, channel: channel)))
        }
        #expect(!route.matches(RoutableItem(kind: .mo, channel: "RCS")))
    }

    @Test("to compares normalized numbers and ids", arguments: [
        ("+31 20 123 4567", "+31201234567", true), ("0031201234567", "+31 (0)20", false),
        ("0031 20 123 4567", "31201234567", true), ("+31-20-123-4567", "0031201234567", true),
        ("+31201234567", "+3120123456", false), ("+31201234567", "+312012345678", false),
        ("+31201234567", "020 123 4567", false), ("1008", "1008", true), ("1008", "+1008", true),
        ("urn:mbid:AQAAY", "urn:mbid:AQAAY", true), ("urn:mbid:AQAAY", "urn:mbid:aqaay", false),
        ("17841400000000000", "17841400000000000", true),
    ])
    func to(configured: String, to: String, matches: Bool) throws {
        let route = try Route(name: "r", to: [configured], handlers: ["h"])
        var item = Self.mo
        item.to = to
        #expect(route.matches(item) == matches)
    }

    @Test("from_prefixes match the start of the normalized sender", arguments: [
        ("+31", "+31612345678", true), ("0031", "+31612345678", true), ("+31", "0031612345678", true),
        ("+31 6", "31 6 1234 5678", true), ("+316", "+31201234567", false), ("+32", "+31612345678", false),
        ("+31612345678", "+31612345678", true), ("+316123456789", "+31612345678", false),
        ("31", "031612345678", false), ("Ab", "AbCdef", true), ("ab", "AbCdef", false),
    ])
    func fromPrefixes(configured: String, from: String, matches: Bool) throws {
        let route = try Route(name: "r", fromPrefixes: [configured], handlers: ["h"])
        var item = Self.mo
        item.from = from
        #expect(route.matches(item) == matches)
    }

    @Test("keywords compare with the text's first word, ignoring case", arguments: [
        ("STOP", "stop", true), ("stop", "STOP", true), ("Stop", "Stop!", true), ("STOP", "  stop please", true),
        ("STOP", "stopp", false), ("STOP", "please stop", false), ("STOP", "stop-all", false),
        ("STRASSE", "Straße", true), ("straße", "STRASSE!", true), ("СТОП", "стоп", true),
        ("STOP", "👍 stop", true), ("STOP", "", false), ("STOP", "!!!", false),
    ])
    func keywords(configured: String, text: String, matches: Bool) throws {
        let route = try Route(name: "r", keywords: [configured], handlers: ["h"])
        var item = Self.mo
        item.text = text
        #expect(route.matches(item) == matches)
    }

    @Test("any of several keywords matches")
    func severalKeywords() throws {
        let route = try Route(name: "r", keywords: ["stop", "stopp", "unsubscribe"], handlers: ["h"])
        for text in ["STOP", "Stopp.", "unsubscribe me"] {
            #expect(route.matches(RoutableItem(kind: .mo, text: text)))
        }
        #expect(!route.matches(RoutableItem(kind: .mo, text: "start")))
    }

    @Test("text_pattern is searched for in the text", arguments: [
        ("(?i)order\\s*#?\\d{4,}", "About order #12345", true), ("(?i)order\\s*#?\\d{4,}", "ORDER 123", false),
        ("^$", "", true), ("refund", "Refund", false),
    ])
    func textPattern(source: String, text: String, matches: Bool) throws {
        let route = try Route(name: "r", textPattern: try RoutePattern(source), handlers: ["h"])
        var item = Self.mo
        item.text = text
        #expect(route.matches(item) == matches)
    }

    /// Which field a route criterion needs, for the missing-field tests.
    enum Criterion: String, CaseIterable, CustomTestStringConvertible {
        case channel, to, fromPrefix, keyword, textPattern
        var testDescription: String { rawValue }

        func route() throws -> Route {
            switch self {
            case .channel: try Route(name: "r", channels: ["WhatsApp"], handlers: ["h"])
            case .to: try Route(name: "r", to: ["+31201234567"], handlers: ["h"])
            case .fromPrefix: try Route(name: "r", fromPrefixes: ["+31"], handlers: ["h"])
            case .keyword: try Route(name: "r", keywords: ["stop"], handlers: ["h"])
            case .textPattern: try Route(name: "r", textPattern: try RoutePattern(".*"), handlers: ["h"])
            }
        }

        func removing(from item: RoutableItem) -> RoutableItem {
            var item = item
            switch self {
            case .channel: item.channel = nil
            case .to: item.to = nil
            case .fromPrefix: item.from = nil
            case .keyword, .textPattern: item.text = nil
            }
            return item
        }
    }

    @Test("a criterion whose field the item lacks does not match", arguments: Criterion.allCases)
    func missingField(criterion: Criterion) throws {
        let route = try criterion.route()
        #expect(route.matches(Self.mo))
        #expect(!route.matches(criterion.removing(from: Self.mo)))
        #expect(!route.matches(Self.bare))
    }

    @Test("status reports have no sender or text, events no text", arguments: [
        (Criterion.keyword, RouteCriteriaTests.status, false), (.textPattern, status, false), (.fromPrefix, status, false),
        (.to, status, false), (.channel, status, false), (.keyword, event, false), (.textPattern, event, false),
        (.fromPrefix, event, true), (.to, event, true), (.channel, event, true),
    ])
    func kindsWithoutFields(criterion: Criterion, item: RoutableItem, matches: Bool) throws {
        #expect(try criterion.route().matches(item) == matches)
    }

    @Test("a status report's to is the customer's number")
    func statusRecipient() throws {
        let route = try Route(name: "r", kinds: [.status], to: ["+31 6 1234 5678"], handlers: ["h"])
        #expect(route.matches(Self.status))
    }

    /// The route with every criterion; `Self.mo` satisfies all of them.
    static func everything() throws -> Route {
        try Route(name: "all-criteria", kinds: [.mo], channels: ["whatsapp"], to: ["0031 20 123 4567"],
                  fromPrefixes: ["+316"], keywords: ["STOP"], textPattern: try RoutePattern("(?i)messages$"),
                  handlers: ["h"])
    }

    @Test("all criteria must hold together; breaking any one fails the route", arguments: [
        ("nothing broken", RouteCriteriaTests.mo, true),
        ("kind", RoutableItem(kind: .event, channel: "WhatsApp", from: "+31612345678", to: "+31201234567",
                              text: "Stop sending me messages"), false),
        ("channel", RoutableItem(kind: .mo, channel: "SMS", from: "+31612345678", to: "+31201234567",
                                 text: "Stop sending me messages"), false),
        ("to", RoutableItem(kind: .mo, channel: "WhatsApp", from: "+31612345678", to: "+31201234568",
                            text: "Stop sending me messages"), false),
        ("from", RoutableItem(kind: .mo, channel: "WhatsApp", from: "+32612345678", to: "+31201234567",
                              text: "Stop sending me messages"), false),
        ("keyword", RoutableItem(kind: .mo, channel: "WhatsApp", from: "+31612345678", to: "+31201234567",
                                 text: "Please stop sending me messages"), false),
        ("pattern", RoutableItem(kind: .mo, channel: "WhatsApp", from: "+31612345678", to: "+31201234567",
                                 text: "Stop sending me messages!"), false),
        ("other spellings", RoutableItem(kind: .mo, channel: "WHATSAPP", from: "0031 6 1234 5678", to: "+31 20 1234567",
                                         text: "STOP! no more MESSAGES"), true),
    ])
    func combined(broken: String, item: RoutableItem, matches: Bool) throws {
        #expect(try Self.everything().matches(item) == matches)
    }
}
