import CMWebhook
import JSON
import MOPolicy

// The three webhook front ends. Each target makes the choice `IngestPayload`'s decoding initializers make, by the
// body's first significant byte, but calls the decoders directly to see their `PayloadError`; and it checks what
// the receiver relies on before it stores a result:
// - a refusal (`PayloadError`) is one line that starts with its subject: it becomes the 400 reason and a log line;
// - no decoded string holds U+0000 (PostgreSQL `text` refuses it, and a failing INSERT would make CM retry for a
//   month), the required sender is never empty;
// - raw JSON kept as text (`custom`, an event's `event`) is valid JSON, because the handler document splices it in
//   unchecked (`JSONWriter.unsafeRawJSON`);
// - the log redaction of the sender keeps at most five of its characters after a `+` or `00`.

extension FuzzTarget {
    /// The `/mo` front end: legacy Gateway XML when the body starts with `<`, otherwise JSON (current or legacy).
    static let mo = FuzzTarget("mo", "MO front end: InboundMessage(json:) / (legacyXML:)") { input throws(FuzzFailure) in
        let name = "mo"
        let message: InboundMessage
        do throws(PayloadError) {
            message = BodyForm.isXML(input) ? try InboundMessage(legacyXML: input) : try InboundMessage(json: input)
        } catch {
            try checkRefusal(error, subject: "MO payload", name)
            return
        }
        try require(!message.fromNumber.isEmpty, name, "a message without a sender")
        try require(message.media.allSatisfy { !$0.uri.isEmpty }, name, "a media item without a URI")
        try checkNoNUL(message, name)
        if let custom = message.customJSON { try checkJSONText(custom, "customJSON", name) }
        try checkRedaction(message.fromNumber, name)
        if let to = message.toNumber { try checkRedaction(to, name) }
    }

    /// The `/status` front end: the query-string form (GET, or a form-encoded POST), and the POST body as JSON when
    /// it starts with `{` or `[`, otherwise as XML.
    static let status = FuzzTarget("status", "status front end: reports(query:) / (json:) / (xml:)") { input throws(FuzzFailure) in
        let name = "status"
        var reports: [StatusReport] = []
        do throws(PayloadError) {
            reports += try StatusReport.reports(query: text(input))
        } catch {
            try checkRefusal(error, subject: "status report", name)
        }
        do throws(PayloadError) {
            reports += BodyForm.isJSON(input) ? try StatusReport.reports(json: input) : try StatusReport.reports(xml: input)
        } catch {
            try checkRefusal(error, subject: "status report", name)
        }
        for report in reports {
            try checkNoNUL(report, name)
            if let recipient = report.recipient { try checkRedaction(recipient, name) }
        }
    }

    /// The `/events` front end: JSON only.
    static let event = FuzzTarget("event", "events front end: InboundEvent(json:)") { input throws(FuzzFailure) in
        let name = "event"
        let event: InboundEvent
        do throws(PayloadError) {
            event = try InboundEvent(json: input)
        } catch {
            try checkRefusal(error, subject: "event payload", name)
            return
        }
        try require(!event.fromNumber.isEmpty, name, "an event without a sender")
        try checkNoNUL(event, name)
        try checkJSONText(event.eventJSON, "eventJSON", name)
        if let custom = event.customJSON { try checkJSONText(custom, "customJSON", name) }
        try checkRedaction(event.fromNumber, name)
    }

    private static func checkRefusal(_ error: PayloadError, subject: String, _ name: String) throws(FuzzFailure) {
        let reason = error.description
        try require(reason.hasPrefix(subject + " "), name, "reason does not start with '\(subject)': \(shown(reason))")
        try require(isOneLine(reason), name, "reason is not one line: \(shown(reason))")
        try require(reason.utf8.count <= 300, name, "reason is \(reason.utf8.count) bytes long")
    }

    /// Every string the value holds (fields, optionals, arrays, nested values such as media), found by reflection
    /// so a field added later is covered too.
    private static func checkNoNUL(_ value: Any, _ name: String, path: String = "") throws(FuzzFailure) {
        if let string = value as? String {
            try require(!string.utf8.contains(0), name, "\(path.isEmpty ? "a string" : path) holds U+0000")
            return
        }
        for child in Mirror(reflecting: value).children {
            try checkNoNUL(child.value, name, path: path + "." + (child.label ?? "[]"))
        }
    }

    private static func checkJSONText(_ raw: String, _ field: String, _ name: String) throws(FuzzFailure) {
        do {
            _ = try JSONParser.parse(Array(raw.utf8))
        } catch {
            throw FuzzFailure(target: name, invariant: "\(field) is not valid JSON: \(error)")
        }
    }

    /// `Redactor.phone` with PII off, for ids longer than 6 characters: after the kept `+` or `00`, at most 5 of the
    /// id's ASCII digits remain and something is masked. (Lengths are not compared: a `*` next to a combining mark
    /// merges with it into one `Character`.)
    static func checkRedaction(_ value: String, _ name: String) throws(FuzzFailure) {
        let redacted = Redactor(pii: false).phone(value)
        guard value.count > 6 else {
            try require(redacted == value, name, "a short id was changed")
            return
        }
        let kept = value.hasPrefix("+") ? 1 : value.hasPrefix("00") ? 2 : 0
        let rest = redacted.dropFirst(kept).unicodeScalars
        let digits = rest.count { ("0"..."9").contains($0) }
        try require(digits <= 5, name, "redaction shows \(digits) digits after the prefix")
        try require(rest.contains("*"), name, "nothing of a \(value.count)-character id was masked")
    }
}
