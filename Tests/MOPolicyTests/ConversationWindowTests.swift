import Foundation
import Testing
@testable import MOPolicy

private let now = Date(timeIntervalSince1970: 1_800_000_000)
private let hour: TimeInterval = 3600

@Suite("ConversationWindow says whether a channel still takes a free-form reply")
struct ConversationWindowTests {
    @Test("default windows by CM's channel names, ignoring case", arguments: [
        ("WhatsApp", 24 * 3600), ("whatsapp", 24 * 3600), ("WHATSAPP", 24 * 3600),
        ("Facebook Messenger", 24 * 3600), ("Messenger", 24 * 3600), ("Instagram", 24 * 3600),
        ("Instagram Messaging", 24 * 3600), ("Twitter", 24 * 3600), ("Apple Messages for Business", 24 * 3600),
        ("Apple Business Chat", 24 * 3600), ("Google Business Messages", 30 * 24 * 3600), ("GBM", 30 * 24 * 3600),
    ] as [(String, Int64)])
    func windowed(channel: String, seconds: Int64) {
        #expect(ConversationWindow.standard.window(for: channel) == .seconds(seconds))
    }

    @Test("SMS, RCS and the others have no window and are always open", arguments: [
        "SMS", "RCS", "Viber", "Telegram", "Push", "Voice", "MobilePush", "", "Unknown Channel",
    ])
    func notWindowed(channel: String) {
        #expect(ConversationWindow.standard.window(for: channel) == nil)
        #expect(ConversationWindow.standard.isOpen(channel: channel, lastInboundAt: nil, now: now))
        #expect(ConversationWindow.standard.isOpen(channel: channel, lastInboundAt: now - 400 * 24 * hour, now: now))
    }

    @Test("a windowed channel is open for less than its window after the last inbound message", arguments: [
        (0, true), (1, true), (23 * hour, true), (24 * hour - 1, true), (24 * hour - 0.001, true),
        (24 * hour, false), (24 * hour + 1, false), (25 * hour, false), (400 * 24 * hour, false),
    ] as [(TimeInterval, Bool)])
    func whatsApp(elapsed: TimeInterval, open: Bool) {
        #expect(ConversationWindow.standard.isOpen(channel: "WhatsApp", lastInboundAt: now - elapsed, now: now) == open)
    }

    @Test("a windowed channel without any inbound message is closed")
    func noInbound() {
        #expect(!ConversationWindow.standard.isOpen(channel: "WhatsApp", lastInboundAt: nil, now: now))
    }

    @Test("an inbound time after now (clocks apart) counts as just now")
    func futureInbound() {
        #expect(ConversationWindow.standard.isOpen(channel: "WhatsApp", lastInboundAt: now + 600, now: now))
    }

    @Test("Google Business Messages stays open for 30 days")
    func thirtyDays() {
        let window = ConversationWindow.standard
        #expect(window.isOpen(channel: "Google Business Messages", lastInboundAt: now - 29 * 24 * hour, now: now))
        #expect(!window.isOpen(channel: "Google Business Messages", lastInboundAt: now - 30 * 24 * hour, now: now))
    }

    @Test("windows are configurable: a table replaces the defaults")
    func custom() throws {
        let window = try ConversationWindow(windows: ["WhatsApp": .seconds(3600), "RCS": .milliseconds(1500)])
        #expect(window.isOpen(channel: "whatsapp", lastInboundAt: now - 3599, now: now))
        #expect(!window.isOpen(channel: "whatsapp", lastInboundAt: now - 3600, now: now))
        #expect(window.isOpen(channel: "RCS", lastInboundAt: now - 1.4, now: now))
        #expect(!window.isOpen(channel: "RCS", lastInboundAt: now - 1.5, now: now))
        #expect(window.isOpen(channel: "Instagram", lastInboundAt: nil, now: now))
        #expect(try ConversationWindow(windows: [:]).isOpen(channel: "WhatsApp", lastInboundAt: nil, now: now))
    }

    @Test("bad tables are refused", arguments: [
        (["": Duration.seconds(1)], ConversationWindowError.emptyChannel),
        ([" ": .seconds(1)], .emptyChannel),
        (["WhatsApp": .zero], .notPositive("WhatsApp")),
        (["SMS": .seconds(-5)], .notPositive("SMS")),
    ])
    func badTables(windows: [String: Duration], error: ConversationWindowError) {
        #expect(throws: error) { try ConversationWindow(windows: windows) }
    }

    @Test("a channel given twice in different case is refused")
    func duplicate() {
        #expect(throws: ConversationWindowError.self) {
            try ConversationWindow(windows: ["WhatsApp": .seconds(1), "whatsapp": .seconds(2)])
        }
        #expect(ConversationWindowError.duplicateChannel("whatsapp").description
            == "the conversation window of 'whatsapp' is given twice (names are compared ignoring case)")
    }
}
