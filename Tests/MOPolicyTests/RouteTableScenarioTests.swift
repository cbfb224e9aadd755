import Testing
@testable import MOPolicy

/// A realistic config: a test-number filter, opt-out keywords, a WhatsApp support line, order messages, and a
/// feed for status reports and events. Each item goes through all of it.
@Suite("RouteTable with a realistic five-route config")
struct RouteTableScenarioTests {
    /// The `[[routes]]` of a config file, in order.
    static func table() throws -> RouteTable {
        RouteTable([
            // Messages from the operator's own test SIMs never reach a handler.
            try Route(name: "drop-test-senders", kinds: [.mo], fromPrefixes: ["+31 6 9999"], handlers: [], stop: true),
            // Opt-out and opt-in keywords are handled and archived, nothing else.
            try Route(name: "opt-out", kinds: [.mo], keywords: ["stop", "stopp", "unsubscribe", "start"],
                      handlers: ["optout", "archive"], stop: true),
            // The support number on WhatsApp (and only there) goes to the helpdesk.
            try Route(name: "whatsapp-support", kinds: [.mo], channels: ["WhatsApp"], to: ["+31 20 123 4567"],
                      handlers: ["helpdesk", "archive"]),
            // Anything that mentions an order number, on any channel or number.
            try Route(name: "orders", kinds: [.mo], textPattern: try RoutePattern("(?i)\\border\\s*(no\\.?|#)?\\s*\\d{5,}"),
                      handlers: ["orders", "archive"]),
            // Delivery reports and events go to the CRM feed.
            try Route(name: "delivery-feed", kinds: [.status, .event], channels: ["SMS", "WhatsApp"],
                      handlers: ["crm-feed"]),
        ])
    }

    /// An item, the routes it should match, and the handlers it should reach.
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let item: RoutableItem
        let routes: [String]
        let handlers: [String]
        var testDescription: String { label }

        init(_ label: String, _ item: RoutableItem, routes: [String], handlers: [String]) {
            self.label = label
            self.item = item
            self.routes = routes
            self.handlers = handlers
        }
    }

    static let support = "+31201234567"
    static let shortcode = "1008"

    static func mo(_ text: String?, channel: String? = "WhatsApp", from: String? = "+31612345678",
                   to: String? = support) -> RoutableItem {
        RoutableItem(kind: .mo, channel: channel, from: from, to: to, text: text)
    }

    static let cases: [Case] = [
        Case("support question on WhatsApp", mo("Hi, my parcel is late"),
             routes: ["whatsapp-support"], handlers: ["helpdesk", "archive"]),
        Case("support number spelled 0031 with spaces", mo("hello", to: "0031 20 123 45 67"),
             routes: ["whatsapp-support"], handlers: ["helpdesk", "archive"]),
        Case("channel name in other case", mo("hello", channel: "whatsapp"),
             routes: ["whatsapp-support"], handlers: ["helpdesk", "archive"]),
        Case("same number over SMS is not support", mo("Hi, my parcel is late", channel: "SMS"),
             routes: [], handlers: []),
        Case("WhatsApp to another number is not support", mo("hello", to: "+31207654321"),
             routes: [], handlers: []),
        Case("order number on the support line", mo("Where is order #123456?"),
             routes: ["whatsapp-support", "orders"], handlers: ["helpdesk", "archive", "orders"]),
        Case("order number over SMS to the shortcode", mo("ORDER NO. 55555 cancel", channel: "SMS", to: shortcode),
             routes: ["orders"], handlers: ["orders", "archive"]),
        Case("order number too short", mo("order 123", channel: "SMS", to: shortcode),
             routes: [], handlers: []),
        Case("'reorder' is not an order mention", mo("reorder 123456", channel: "SMS", to: shortcode),
             routes: [], handlers: []),
        Case("STOP over SMS", mo("STOP", channel: "SMS", to: shortcode),
             routes: ["opt-out"], handlers: ["optout", "archive"]),
        Case("Stop! on the support line stops before support", mo("Stop!"),
             routes: ["opt-out"], handlers: ["optout", "archive"]),
        Case("stopp with an order number still only opts out", mo("stopp order 123456", channel: "SMS"),
             routes: ["opt-out"], handlers: ["optout", "archive"]),
        Case("start after a blank line", mo("\n\n  Start", channel: "SMS", to: shortcode),
             routes: ["opt-out"], handlers: ["optout", "archive"]),
        Case("stop in the middle is not a keyword", mo("please stop", channel: "SMS", to: shortcode),
             routes: [], handlers: []),
        Case("test SIM is dropped even with a keyword", mo("STOP", from: "+31699991234"),
             routes: ["drop-test-senders"], handlers: []),
        Case("test SIM written 0031", mo("order 123456", from: "0031 6 9999 0000"),
             routes: ["drop-test-senders"], handlers: []),
        Case("near-test SIM is not dropped", mo("hello", from: "+31699981234"),
             routes: ["whatsapp-support"], handlers: ["helpdesk", "archive"]),
        Case("MO without a sender is not dropped", mo("hello", from: nil),
             routes: ["whatsapp-support"], handlers: ["helpdesk", "archive"]),
        Case("MO without text reaches support but no keyword or order route", mo(nil),
             routes: ["whatsapp-support"], handlers: ["helpdesk", "archive"]),
        Case("MO without a channel is not support", mo("hello", channel: nil), routes: [], handlers: []),
        Case("SMS status report", RoutableItem(kind: .status, channel: "SMS", to: "+31612345678"),
             routes: ["delivery-feed"], handlers: ["crm-feed"]),
        Case("WhatsApp status report", RoutableItem(kind: .status, channel: "WHATSAPP", to: "+31612345678"),
             routes: ["delivery-feed"], handlers: ["crm-feed"]),
        Case("status report from a test SIM's number is still fed", RoutableItem(kind: .status, channel: "SMS",
                                                                                 to: "+31699991234"),
             routes: ["delivery-feed"], handlers: ["crm-feed"]),
        Case("Viber status report", RoutableItem(kind: .status, channel: "Viber", to: "+31612345678"),
             routes: [], handlers: []),
        Case("status report without a channel", RoutableItem(kind: .status, to: "+31612345678"),
             routes: [], handlers: []),
        Case("WhatsApp event", RoutableItem(kind: .event, channel: "WhatsApp", from: "+31612345678", to: support),
             routes: ["delivery-feed"], handlers: ["crm-feed"]),
        Case("event from a test SIM is not dropped (the filter is for MOs)",
             RoutableItem(kind: .event, channel: "WhatsApp", from: "+31699991234", to: support),
             routes: ["delivery-feed"], handlers: ["crm-feed"]),
    ]

    @Test("each item reaches the expected routes and handlers", arguments: cases)
    func scenario(testCase: Case) throws {
        let match = try Self.table().match(testCase.item)
        #expect(match.routes == testCase.routes)
        #expect(match.handlers == testCase.handlers)
    }

    @Test("the scenario covers every kind and both stop routes")
    func coverage() {
        #expect(Self.cases.count >= 20)
        for kind in ItemKind.allCases {
            #expect(Self.cases.contains { $0.item.kind == kind })
        }
        #expect(Self.cases.contains { $0.routes == ["drop-test-senders"] })
        #expect(Self.cases.contains { $0.routes == ["opt-out"] })
    }
}
