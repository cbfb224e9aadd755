import XML

extension StatusReport {
    /// Decodes CM's XML status report (DLR) body into one report per `MSG`, in document order. Pure: no I/O.
    ///
    /// Shape: root `MESSAGES` (optional legacy `SENT` attribute, copied to every report's ``sentRaw``), one or
    /// more `MSG` (attribute `RECEIVED`; children `TO`, `REFERENCE`, `STATUS` with `CODE`, `ERRORCODE`,
    /// `ERRORDESCRIPTION`; optional `OPERATOR`, `CHANNEL`, `CUSTOMGROUPING`, `CUSTOMGROUPING2`,
    /// `CUSTOMGROUPING3`, and seed 001's "Send" and "Status Description" as `SEND` (a child, or an attribute
    /// like `RECEIVED`) and `STATUSDESCRIPTION` (a child of `MSG` or of `STATUS`); where a field may sit in two
    /// places and both are given, they must agree, else `.invalidValue`). Both today's template and the legacy
    /// http_SR variant (`CODE` 200, `ERRORCODE` 0 "No Error") decode; codes outside 0–4 become
    /// ``DeliveryStatus/unknown`` with ``codeRaw`` kept.
    ///
    /// Element and attribute names match ignoring ASCII case; unknown elements and attributes are ignored.
    /// Values are trimmed of surrounding blanks; an empty element gives "", an absent one `nil`. A known
    /// element or attribute given twice in one place is rejected rather than guessed. `RECEIVED` without a zone
    /// is read as UTC (``CMTimestamp/parseUTC(_:)``); the raw text is kept beside it.
    ///
    /// Errors (subject ``PayloadError/Subject/statusReport``): malformed XML → `.invalidXML`; a DOCTYPE, an
    /// encoding other than UTF-8/US-ASCII or a crossed `limits` value → `.refused`; another root →
    /// `.missingField("MESSAGES")`; no `MSG` → `.missingField("MSG")`; a `MSG` without a non-empty
    /// `STATUS/CODE` → `.missingField("MSG[2]/STATUS/CODE")` (1-based position among the `MSG`s).
    public static func reports(xml bytes: [UInt8], limits: XMLLimits = XMLLimits()) throws(PayloadError) -> [StatusReport] {
        let root: XMLTreeElement
        do {
            root = try XMLTreeParser.parse(bytes, limits: limits)
        } catch {
            throw PayloadError(.statusReport, xml: error)
        }
        guard root.isNamed("MESSAGES") else { throw PayloadError(.statusReport, .missingField("MESSAGES")) }
        let sentRaw = try root.trimmedAttribute(named: "SENT", path: "MESSAGES/@SENT", in: .statusReport)
        let messages = root.children(named: "MSG")
        guard !messages.isEmpty else { throw PayloadError(.statusReport, .missingField("MSG")) }

        var reports: [StatusReport] = []
        reports.reserveCapacity(messages.count)
        for (position, message) in messages.enumerated() {
            reports.append(try report(from: message, path: "MSG[\(position + 1)]", sentRaw: sentRaw))
        }
        return reports
    }

    /// One `MSG`; `path` names it in errors ("MSG[2]").
    private static func report(from message: XMLTreeElement, path: String, sentRaw: String?) throws(PayloadError) -> StatusReport {
        func text(_ element: XMLTreeElement?, _ name: String, _ parentPath: String) throws(PayloadError) -> String? {
            try element?.trimmedText(ofChild: name, path: "\(parentPath)/\(name)", in: .statusReport)
        }
        let receivedRaw = try message.trimmedAttribute(named: "RECEIVED", path: "\(path)/@RECEIVED", in: .statusReport)
        let recipient = try text(message, "TO", path)
        let reference = try text(message, "REFERENCE", path)
        let status = try message.onlyChild(named: "STATUS", path: "\(path)/STATUS", in: .statusReport)
        let statusPath = "\(path)/STATUS"
        guard let code = try text(status, "CODE", statusPath), !code.isEmpty else {
            throw PayloadError(.statusReport, .missingField("\(statusPath)/CODE"))
        }
        let errorCode = try text(status, "ERRORCODE", statusPath)
        let errorDescription = try text(status, "ERRORDESCRIPTION", statusPath)
        let operatorCode = try text(message, "OPERATOR", path)
        let channel = try text(message, "CHANNEL", path)
        let sendRaw = try agreeing(
            try message.trimmedAttribute(named: "SEND", path: "\(path)/@SEND", in: .statusReport),
            try text(message, "SEND", path), names: ("@SEND", "SEND"), at: "\(path)/SEND")
        let statusDescription = try agreeing(
            try text(message, "STATUSDESCRIPTION", path), try text(status, "STATUSDESCRIPTION", statusPath),
            names: ("STATUSDESCRIPTION", "STATUS/STATUSDESCRIPTION"), at: "\(path)/STATUSDESCRIPTION")
        let groupings = [
            try text(message, "CUSTOMGROUPING", path),
            try text(message, "CUSTOMGROUPING2", path),
            try text(message, "CUSTOMGROUPING3", path),
        ]
        return StatusReport(
            form: .xml,
            reference: reference,
            recipient: recipient,
            codeRaw: code,
            errorCodeRaw: errorCode,
            errorDescription: errorDescription,
            operatorCode: operatorCode,
            channel: channel,
            customGroupings: groupings,
            receivedRaw: receivedRaw,
            sentRaw: sentRaw,
            sendRaw: sendRaw,
            statusDescription: statusDescription
        )
    }
}
