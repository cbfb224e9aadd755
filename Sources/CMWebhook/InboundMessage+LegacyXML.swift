import XML

extension InboundMessage {
    /// Decodes the legacy Gateway XML MO body (`<MESSAGES><MSG><ID/><RECEIVER/><MESSAGE/><SENDER OPERATOR=""/>
    /// <REFERENCE/><SENT/><CUSTOMGROUPING/><CUSTOMGROUPING2/><CUSTOMGROUPING3/>…</MSG></MESSAGES>`). Pure: no I/O.
    ///
    /// Mapping: ``form`` `.legacyXML`, ``channel`` "SMS", ``fromNumber`` `SENDER` (required, non-empty),
    /// ``operatorCode`` `SENDER/@OPERATOR`, ``toNumber`` `RECEIVER`, ``text`` `MESSAGE` exactly as sent (not
    /// trimmed; "" when absent), ``reference`` `REFERENCE`, ``groupings`` the three `CUSTOMGROUPING`s ("" when
    /// absent), ``timeUtcRaw`` `SENT` and ``timeUtc`` its value read as UTC, ``gatewayMessageID`` `ID`; no media,
    /// custom JSON, sender name or message context. `UDH`, `BINARY`, `DCS`, `RESERVED1`–`5`, `SESSIONGUID` and
    /// unknown elements are ignored (the raw body is kept elsewhere).
    ///
    /// Names match ignoring ASCII case; identifiers are trimmed of surrounding blanks; a known element given
    /// twice is rejected. Exactly one `MSG` is accepted: a batch is rejected with
    /// `.invalidValue(field: "MSG", …)` rather than silently dropping all but the first message.
    /// Errors have subject ``PayloadError/Subject/inboundMessage``; XML failures map as in
    /// ``StatusReport/reports(xml:limits:)``.
    public init(legacyXML bytes: [UInt8], limits: XMLLimits = XMLLimits()) throws(PayloadError) {
        let root: XMLTreeElement
        do {
            root = try XMLTreeParser.parse(bytes, limits: limits)
        } catch {
            throw PayloadError(.inboundMessage, xml: error)
        }
        guard root.isNamed("MESSAGES") else { throw .missingField("MESSAGES") }
        let messages = root.children(named: "MSG")
        guard let message = messages.first else { throw .missingField("MSG") }
        guard messages.count == 1 else {
            throw PayloadError(.inboundMessage, .invalidValue(field: "MSG", reason: "more than one message in one request"))
        }

        func trimmed(_ name: String) throws(PayloadError) -> String? {
            try message.trimmedText(ofChild: name, path: "MSG/\(name)", in: .inboundMessage)
        }
        let gatewayMessageID = try trimmed("ID")
        let receiver = try trimmed("RECEIVER")
        let text = try message.onlyChild(named: "MESSAGE", path: "MSG/MESSAGE", in: .inboundMessage)?.text ?? ""
        let sender = try message.onlyChild(named: "SENDER", path: "MSG/SENDER", in: .inboundMessage)
        guard let sender, case let fromNumber = sender.text.trimmingBlanks(), !fromNumber.isEmpty else {
            throw .missingField("MSG/SENDER")
        }
        let operatorCode = try sender.trimmedAttribute(named: "OPERATOR", path: "MSG/SENDER/@OPERATOR", in: .inboundMessage)
        let reference = try trimmed("REFERENCE")
        let sent = try trimmed("SENT")
        let groupings = [
            try trimmed("CUSTOMGROUPING") ?? "",
            try trimmed("CUSTOMGROUPING2") ?? "",
            try trimmed("CUSTOMGROUPING3") ?? "",
        ]

        self.init(
            channel: "SMS",
            fromNumber: fromNumber,
            fromName: nil,
            toNumber: receiver,
            text: text,
            media: [],
            reference: reference,
            groupings: groupings,
            timeUtc: sent.flatMap(CMTimestamp.parseUTC),
            timeUtcRaw: sent,
            localTimeRaw: nil,
            messageContext: nil,
            customJSON: nil,
            form: .legacyXML,
            gatewayMessageID: gatewayMessageID,
            operatorCode: operatorCode
        )
    }
}
