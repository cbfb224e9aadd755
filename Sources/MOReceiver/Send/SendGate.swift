import CMWebhook
import MOPolicy

/// The checks every send attempt passes just before CM would be called, whoever sends (an auto-reply's first
/// attempt, its retry, `moctl jobs retry`, `moctl replay`, `moctl send`). A decision taken earlier may be stale by
/// then: a reply retried days later would reach a closed conversation window (CM refuses it with status error 40).
///
/// Pure: built once, shared by every thread; the caller reads the facts from the database (``CMSender``).
public struct SendGate: Sendable {
    /// Why a send was not made; the raw value is `outbound_messages.skip_reason`.
    public enum SkipReason: String, Sendable, Equatable, CaseIterable {
        /// Every allowed channel has a conversation window and none is open.
        case windowClosed = "window_closed"
        /// Twitter's 5 messages since the customer's last message are used up.
        case twitterAllotment = "twitter_allotment"
        /// No `allowedChannels` name could be found for the message.
        case noChannel = "no_channel"
    }

    public enum Verdict: Sendable, Equatable {
        case send
        /// Not sent: the reason, and one line saying why for this message.
        case skip(SkipReason, detail: String)
    }

    /// The customer's latest inbound message on one channel.
    public struct Inbound: Sendable, Equatable {
        /// The channel as the inbound webhook named it.
        public var channel: String
        /// Age of the message (its timeUtc, else when it was received), on the database's clock.
        public var secondsAgo: Double

        public init(channel: String, secondsAgo: Double) {
            self.channel = channel
            self.secondsAgo = secondsAgo
        }
    }

    /// Seed 001 (Twitter): "When a message is received from an end-user, you may send up to 5 messages in response
    /// within a 24 hour window. Each message received resets the 24 hour window and the 5 allotted messages."
    public static let twitterAllotment = 5

    public var windows: ConversationWindow

    public init(windows: ConversationWindow = .standard) {
        self.windows = windows
    }

    /// Whether one `inbound` channel name and one send channel name are the same channel: both mapped to the send
    /// API's name, else compared ignoring case.
    static func sameChannel(_ inbound: String, _ send: String) -> Bool {
        let left = CMSendChannel.sendName(for: inbound) ?? inbound
        let right = CMSendChannel.sendName(for: send) ?? send
        return left.lowercased() == right.lowercased()
    }

    /// The verdict for a message allowed on `channels` (the send API's names), given the customer's latest inbound
    /// message per channel and how many messages went to them on Twitter since their latest Twitter message.
    ///
    /// 1. No channel: skipped (`no_channel`); `allowedChannels` is never sent empty or with an empty name.
    /// 2. Window: when every channel has a conversation window (``ConversationWindow``) and none is open (no inbound
    ///    message on it, or the latest is as old as the window), skipped (`window_closed`). One channel without a
    ///    window (SMS as a fallback) keeps the message sendable.
    /// 3. Twitter: when Twitter is among the channels and `sentOnTwitter` reached ``twitterAllotment``, skipped
    ///    (`twitter_allotment`), whatever the auto-reply rate limits allow.
    public func check(channels: [String], latestInbound: [Inbound], sentOnTwitter: Int) -> Verdict {
        guard !channels.isEmpty, !channels.contains(where: \.isEmpty) else {
            return .skip(.noChannel, detail: "no channel name for CM's allowedChannels")
        }
        var closed: [String] = []
        for channel in channels {
            guard let window = windows.window(for: channel) else { closed = []; break }
            let latest = latestInbound.filter { Self.sameChannel($0.channel, channel) }.map(\.secondsAgo).min()
            if let latest, latest < Self.seconds(window) { closed = []; break }
            let hours = Int(Self.seconds(window) / 3600)
            closed.append(latest.map { "the customer's last \(channel) message is \(Int($0 / 3600)) h old (window \(hours) h)" }
                          ?? "no \(channel) message from the customer (window \(hours) h)")
        }
        if !closed.isEmpty {
            return .skip(.windowClosed, detail: "conversation window closed: " + closed.joined(separator: "; "))
        }
        if channels.contains(where: { $0.lowercased() == "twitter" }), sentOnTwitter >= Self.twitterAllotment {
            return .skip(.twitterAllotment, detail: "Twitter allows \(Self.twitterAllotment) messages after each "
                         + "message from the customer; \(sentOnTwitter) went out since their last one")
        }
        return .send
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
