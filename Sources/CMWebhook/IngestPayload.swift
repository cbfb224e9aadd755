/// What decoding made of a webhook body: the CM content one request carries, or why it could not be read.
///
/// A pure value type usable from any thread: built on the listener's thread as a request arrives (and by
/// `moctl quarantine replay` from a stored body), handed to the store with the request. The initializers below are
/// the decoding; they never throw: a body no decoder takes is `malformed` with the reason, or a `probe`.
public enum IngestPayload: Sendable {
    /// A recognized inbound message: stored with its normalized rows.
    case inboundMessage(InboundMessage)
    /// A status report (one or more MSGs): one `status_reports` row each.
    case statusReports([StatusReport])
    /// An event from the event webhook.
    case event(InboundEvent)
    /// Accepted and stored raw; no normalized rows (yet) for this kind.
    case raw
    /// A request without content (CM's test call when a webhook URL is configured): kept raw with outcome
    /// 'probe', answered 200; no normalized rows, no jobs, no alert.
    case probe
    /// Could not be understood: stored in quarantine with the reason.
    case malformed(reason: String)
}

// The decoding, one initializer per webhook. The form is told by the body itself (its first significant byte,
// ``BodyForm``), not by `Content-Type`, which CM does not always send right; a GET's body is its query string. A body
// that no decoder takes and that carries no content is CM's test call (``WebhookProbe``), not a malformed payload.
extension IngestPayload {
    /// What arrives at the MO webhook: legacy Gateway XML when the body starts with `<`, JSON otherwise.
    public init(inboundMessage body: [UInt8], method: String) {
        self = Self.decoding(body) { () throws(PayloadError) -> IngestPayload in
            if method == "GET" {
                // CM documents no query-string form for MO: kept raw, in quarantine, for an operator to read.
                throw PayloadError(.inboundMessage, .unknownForm("a GET query string"))
            }
            if BodyForm.isXML(body) {
                return .inboundMessage(try InboundMessage(legacyXML: body))
            }
            return .inboundMessage(try InboundMessage(json: body))
        }
    }

    /// What arrives at the status report webhook: the query-string form (a GET, or a form-encoded body that is not
    /// XML or JSON), otherwise JSON when the body starts with `{` or `[`, and XML for anything else.
    public init(statusReports body: [UInt8], method: String, contentType: String?) {
        self = Self.decoding(body) { () throws(PayloadError) -> IngestPayload in
            if method == "GET"
                || Self.isFormEncoded(contentType) && BodyForm.firstSignificantByte(body).map(Self.isQueryStart) == true {
                return .statusReports(try StatusReport.reports(query: String(decoding: body, as: UTF8.self)))
            }
            return .statusReports(BodyForm.isJSON(body) ? try StatusReport.reports(json: body)
                                                         : try StatusReport.reports(xml: body))
        }
    }

    /// What arrives at the event webhook: JSON only.
    public init(event body: [UInt8], method: String) {
        self = Self.decoding(body) { () throws(PayloadError) -> IngestPayload in
            if method == "GET" { throw PayloadError(.event, .unknownForm("a GET query string")) }
            return .event(try InboundEvent(json: body))
        }
    }

    /// `decode`'s payload; when it refuses the body, a probe if the body carries no content, else malformed.
    private static func decoding(_ body: [UInt8],
                                 _ decode: () throws(PayloadError) -> IngestPayload) -> IngestPayload {
        do throws(PayloadError) {
            return try decode()
        } catch {
            return WebhookProbe.isProbe(body) ? .probe : .malformed(reason: error.description)
        }
    }

    private static func isFormEncoded(_ contentType: String?) -> Bool {
        contentType?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true
    }

    private static func isQueryStart(_ byte: UInt8) -> Bool {
        byte != UInt8(ascii: "<") && byte != UInt8(ascii: "{") && byte != UInt8(ascii: "[")
    }
}
