import MOPolicy
import MOReceiver
import Testing

@Suite("SendGate: the checks before every send")
struct SendGateTests {
    let gate = SendGate()
    let hour = 3600.0

    @Test("a windowed channel is open while the customer's latest message on it is younger than the window")
    func windowOpen() {
        #expect(gate.check(channels: ["WhatsApp"], latestInbound: [.init(channel: "WhatsApp", secondsAgo: 23 * hour)],
                           sentOnTwitter: 0) == .send)
    }

    @Test("a windowed channel is closed at the window, without a message, or with a message on another channel only")
    func windowClosed() {
        for inbound in [[SendGate.Inbound(channel: "WhatsApp", secondsAgo: 24 * hour)], [],
                        [SendGate.Inbound(channel: "SMS", secondsAgo: 60)]] {
            guard case .skip(let reason, let detail) = gate.check(channels: ["WhatsApp"], latestInbound: inbound,
                                                                  sentOnTwitter: 0) else {
                Issue.record("window open for \(inbound)")
                continue
            }
            #expect(reason == .windowClosed)
            #expect(detail.contains("WhatsApp"))
        }
    }

    @Test("inbound names and send names are the same channel (Apple Messages for Business is Apple Business Chat)")
    func mappedNames() {
        #expect(gate.check(channels: ["Apple Business Chat"],
                           latestInbound: [.init(channel: "Apple Messages for Business", secondsAgo: 60)],
                           sentOnTwitter: 0) == .send)
        #expect(gate.check(channels: ["WhatsApp"], latestInbound: [.init(channel: "whatsapp", secondsAgo: 60)],
                           sentOnTwitter: 0) == .send)
    }

    @Test("SMS has no window; a fallback to SMS keeps a message sendable")
    func unwindowed() {
        #expect(gate.check(channels: ["SMS"], latestInbound: [], sentOnTwitter: 0) == .send)
        #expect(gate.check(channels: ["WhatsApp", "SMS"], latestInbound: [], sentOnTwitter: 0) == .send)
    }

    @Test("no channel, or an empty name, is never sent")
    func noChannel() {
        for channels in [[], [""], ["WhatsApp", ""]] {
            guard case .skip(.noChannel, _) = gate.check(channels: channels, latestInbound: [], sentOnTwitter: 0) else {
                Issue.record("\(channels) passed")
                continue
            }
        }
    }

    @Test("Twitter: 5 messages after the customer's message pass, the 6th is skipped")
    func twitterAllotment() {
        let recent = [SendGate.Inbound(channel: "Twitter", secondsAgo: 60)]
        for sent in 0..<SendGate.twitterAllotment {
            #expect(gate.check(channels: ["Twitter"], latestInbound: recent, sentOnTwitter: sent) == .send)
        }
        guard case .skip(.twitterAllotment, let detail) = gate.check(channels: ["Twitter"], latestInbound: recent,
                                                                     sentOnTwitter: 5) else {
            Issue.record("the 6th Twitter message passed")
            return
        }
        #expect(detail.contains("5"))
        // Other channels have no allotment.
        #expect(gate.check(channels: ["WhatsApp"], latestInbound: [.init(channel: "WhatsApp", secondsAgo: 60)],
                           sentOnTwitter: 9) == .send)
    }

    @Test("Twitter's 24-hour window applies too")
    func twitterWindow() {
        guard case .skip(.windowClosed, _) = gate.check(channels: ["Twitter"],
                                                       latestInbound: [.init(channel: "Twitter", secondsAgo: 25 * hour)],
                                                       sentOnTwitter: 0) else {
            Issue.record("Twitter window open after 25 h")
            return
        }
    }
}
