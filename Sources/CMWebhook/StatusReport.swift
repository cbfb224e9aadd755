#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One delivery status report for one outbound message (one `MSG` of an XML or JSON report, or one GET call),
/// normalised. Raw texts are kept beside parsed values wherever CM's sources disagree.
///
/// A pure value made by the status decoders (`StatusReport.reports(xml:)`, `reports(json:)`, `reports(query:)`);
/// safe to share between threads and tasks. Every field is untrusted text from the network; strings never
/// contain U+0000 (replaced by U+FFFD).
public struct StatusReport: Sendable, Equatable {
    /// Which wire form it came in.
    public enum Form: String, Sendable {
        case xml, json, query
    }

    public var form: Form
    /// `REFERENCE` / `reference`: the reference given when the message was sent; `nil` when absent, "" kept.
    public var reference: String?
    /// `TO` / `to`: the recipient.
    public var recipient: String?
    /// The status code exactly as sent (e.g. "2", "200"); `nil` when absent.
    public var codeRaw: String?
    /// Derived from ``codeRaw``.
    public var status: DeliveryStatus
    /// `STATUS/ERRORCODE` / `errorCode` as sent (usually 5–43; legacy "0").
    public var errorCodeRaw: String?
    /// ``errorCodeRaw`` when it is a plain integer, for joining to the `error_codes` table.
    public var errorCode: Int?
    public var errorDescription: String?
    /// `OPERATOR` / `operator` (an MCC+MNC such as "20416").
    public var operatorCode: String?
    /// `CHANNEL` / `channel` when sent ("sms", "whatsapp", …).
    public var channel: String?
    /// `CUSTOMGROUPING`, `CUSTOMGROUPING2`, `CUSTOMGROUPING3`; `nil` entries when absent.
    public var customGroupings: [String?]
    /// `RECEIVED` / `received` as sent.
    public var receivedRaw: String?
    /// ``receivedRaw`` parsed; a time without a zone is read as UTC (see docs/decisions.md).
    public var received: Date?
    /// The legacy `MESSAGES SENT` attribute or GET `sent` parameter, as sent. Kept apart from ``sendRaw``:
    /// probably the same moment, but no CM document says so (docs/decisions.md).
    public var sentRaw: String?
    /// CM's "Send" field (seed 001: "The moment when the status report was sent to customer's/your endpoint"):
    /// `SEND` / `send`, as sent.
    public var sendRaw: String?
    /// ``sendRaw`` parsed like ``received`` (a time without a zone is read as UTC).
    public var send: Date?
    /// CM's "Status Description" field ("The description of the current state of the message"):
    /// `STATUSDESCRIPTION` / `statusDescription`, as sent.
    public var statusDescription: String?

    public init(form: Form, reference: String? = nil, recipient: String? = nil, codeRaw: String? = nil,
                errorCodeRaw: String? = nil, errorDescription: String? = nil, operatorCode: String? = nil,
                channel: String? = nil, customGroupings: [String?] = [nil, nil, nil], receivedRaw: String? = nil,
                sentRaw: String? = nil, sendRaw: String? = nil, statusDescription: String? = nil) {
        self.form = form
        self.reference = reference
        self.recipient = recipient
        self.codeRaw = codeRaw
        self.status = DeliveryStatus(code: codeRaw)
        self.errorCodeRaw = errorCodeRaw
        self.errorCode = errorCodeRaw.flatMap { Int($0.trimmingBlanks()) }
        self.errorDescription = errorDescription
        self.operatorCode = operatorCode
        self.channel = channel
        self.customGroupings = customGroupings
        self.receivedRaw = receivedRaw
        self.received = receivedRaw.flatMap(CMTimestamp.parseUTC)
        self.sentRaw = sentRaw
        self.sendRaw = sendRaw
        self.send = sendRaw.flatMap(CMTimestamp.parseUTC)
        self.statusDescription = statusDescription
    }
}
