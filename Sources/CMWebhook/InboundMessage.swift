#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An inbound message (MO) as CM.com's Business Messaging webhook delivers it, normalised.
/// Strings never contain U+0000: it is replaced by U+FFFD (PostgreSQL text cannot hold NUL; the raw body is kept elsewhere byte-exact).
///
/// A pure value made by ``init(json:limits:)`` (or by hand in tests); safe to share between threads and tasks.
/// Every field is untrusted text from the network.
public struct InboundMessage: Sendable, Equatable {
    /// Which wire form it came in: today's Business Messaging envelope, or a legacy Gateway format.
    public enum Form: String, Sendable {
        case json
        case legacyJSON = "legacy-json"
        case legacyXML = "legacy-xml"
    }

    public var form: Form
    /// As sent ("WhatsApp", "SMS", "Apple Business Chat", unknown names kept); "" when absent.
    public var channel: String
    /// Required, non-empty: MSISDN, Apple opaque id, Instagram IGSID, ….
    public var fromNumber: String
    /// `nil` when absent or null; "" kept as "".
    public var fromName: String?
    /// `nil` when `to` or `to.number` is absent or null.
    public var toNumber: String?
    /// "" when absent/null.
    public var text: String
    /// 0 or 1 today: none when message.media is absent/null or mediaUri is "" or absent.
    public var media: [MediaReference]
    /// `nil` when absent or null; "" kept as "".
    public var reference: String?
    /// Any length tolerated (CM documents three); null entries → "".
    public var groupings: [String]
    /// Parsed from timeUtc (UTC); nil when absent/empty/unparseable (raw kept).
    public var timeUtc: Date?
    /// The `timeUtc` text as sent; `nil` when absent or null.
    public var timeUtcRaw: String?
    /// The optional "time" field (NL local time), kept as text.
    public var localTimeRaw: String?
    /// A string as is; an object/array/number/bool as its raw JSON text; null/absent → nil.
    public var messageContext: String?
    /// Raw JSON text of message.custom exactly as received (incl. rawPayload); nil when absent/null.
    /// Escapes stay as written, so it may contain the six characters `\u0000` (never a NUL byte).
    public var customJSON: String?
    /// Legacy Gateway formats only: the gateway's message id (`ID`).
    public var gatewayMessageID: String?
    /// Legacy Gateway formats only: the sender's operator (`SENDER OPERATOR="20601"`).
    public var operatorCode: String?

    public init(
        channel: String,
        fromNumber: String,
        fromName: String?,
        toNumber: String?,
        text: String,
        media: [MediaReference],
        reference: String?,
        groupings: [String],
        timeUtc: Date?,
        timeUtcRaw: String?,
        localTimeRaw: String?,
        messageContext: String?,
        customJSON: String?,
        form: Form = .json,
        gatewayMessageID: String? = nil,
        operatorCode: String? = nil
    ) {
        self.form = form
        self.gatewayMessageID = gatewayMessageID
        self.operatorCode = operatorCode
        self.channel = channel
        self.fromNumber = fromNumber
        self.fromName = fromName
        self.toNumber = toNumber
        self.text = text
        self.media = media
        self.reference = reference
        self.groupings = groupings
        self.timeUtc = timeUtc
        self.timeUtcRaw = timeUtcRaw
        self.localTimeRaw = localTimeRaw
        self.messageContext = messageContext
        self.customJSON = customJSON
    }
}
