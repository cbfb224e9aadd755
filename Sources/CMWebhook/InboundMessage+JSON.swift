import JSON

extension InboundMessage {
    /// Decodes CM's MO JSON. Pure: no I/O.
    ///
    /// Two wire forms are accepted: today's Business Messaging envelope (``Form/json``, `from` is an
    /// object) and the legacy Gateway flat form (``Form/legacyJSON``, `from` is a string; see
    /// `InboundMessage+LegacyJSON.swift`). Fields are checked in CM's documented order (from, to, message,
    /// reference, groupings, timeUtc, time, channel, messageContext) and the first problem is thrown.
    /// Keys match exactly (case-sensitive). Unknown fields anywhere are ignored; null is treated as absent
    /// everywhere.
    public init(json bytes: [UInt8], limits: JSONLimits = JSONLimits()) throws(PayloadError) {
        try self.init(document: JSONParser.parse(bytes, limits: limits, orThrow: PayloadError.invalidJSON))
    }

    /// Decodes an already parsed MO document, for callers that also read other parts of it.
    public init(document: JSONDocument) throws(PayloadError) {
        let fields = JSONFieldReader(subject: .inboundMessage, document: document)
        let root = document.root
        guard case .object = root else { throw .notAnObject(found: root.typeName) }
        if Self.isLegacyFlat(root) {
            try self.init(legacy: root, fields: fields)
            return
        }

        guard let from = try fields.object(root["from"], at: "from"),
              let fromNumber = try fields.string(from["number"], at: "from.number"),
              !fromNumber.isEmpty
        else { throw .missingField("from.number") }
        let fromName = try fields.string(from["name"], at: "from.name")

        let to = try fields.object(root["to"], at: "to")
        let toNumber = try fields.string(to?["number"], at: "to.number")

        let message = try fields.object(root["message"], at: "message")
        let text = try fields.string(message?["text"], at: "message.text") ?? ""
        let media = try Self.media(message?["media"], fields: fields)
        let customJSON = fields.rawText(message?["custom"])

        let reference = try fields.string(root["reference"], at: "reference")
        let groupings = try fields.groupings(root["groupings"], at: "groupings")
        let timeUtcRaw = try fields.string(root["timeUtc"], at: "timeUtc")
        let localTimeRaw = try fields.string(root["time"], at: "time")
        let channel = try fields.string(root["channel"], at: "channel") ?? ""
        let messageContext = fields.stringOrRawText(root["messageContext"])

        self.init(
            channel: channel,
            fromNumber: fromNumber,
            fromName: fromName,
            toNumber: toNumber,
            text: text,
            media: media,
            reference: reference,
            groupings: groupings,
            timeUtc: timeUtcRaw.flatMap(CMTimestamp.parseUTC),
            timeUtcRaw: timeUtcRaw,
            localTimeRaw: localTimeRaw,
            messageContext: messageContext,
            customJSON: customJSON
        )
    }

    /// The single attachment, when `mediaUri` is a non-empty string.
    private static func media(_ value: JSONValue?, fields: JSONFieldReader) throws(PayloadError) -> [MediaReference] {
        let media = try fields.object(value, at: "message.media")
        let uri = try fields.string(media?["mediaUri"], at: "message.media.mediaUri")
        let contentType = try fields.string(media?["contentType"], at: "message.media.contentType")
        let title = try fields.string(media?["title"], at: "message.media.title")
        guard let uri, !uri.isEmpty else { return [] }
        return [MediaReference(uri: uri, contentType: nonEmpty(contentType), title: nonEmpty(title))]
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
