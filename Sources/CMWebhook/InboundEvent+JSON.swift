import JSON

extension InboundEvent {
    /// Decodes CM's event webhook JSON (incoming-events; RCS `SuggestionClick`, Instagram `StoryMention`,
    /// GBM `HumanAgentRequested`, Push `ClientInstalled`, … and any type not yet known). Pure: no I/O.
    ///
    /// ```json
    /// {"reference":"…","messageContext":"…","from":{"number":"…"},"to":{"number":"…"},
    ///  "event":{"type":"SuggestionClick","custom":{…}},"groupings":["","",""],"timeUtc":"…","channel":"RCS"}
    /// ```
    /// Required: `from.number` (non-empty string), `event` (an object) and `event.type` (non-empty string,
    /// any value). `eventJSON` is the raw text of the whole `event` object and `customJSON` that of
    /// `event.custom`, both byte-exact. Fields are checked in the order from, to, event, reference,
    /// groupings, timeUtc, channel, messageContext; the first problem is thrown. Keys match exactly;
    /// unknown fields are ignored; null is treated as absent everywhere.
    public init(json bytes: [UInt8], limits: JSONLimits = JSONLimits()) throws(PayloadError) {
        try self.init(document: JSONParser.parse(bytes, limits: limits) { PayloadError(.event, .invalidJSON($0)) })
    }

    /// Decodes an already parsed event document, for callers that also read other parts of it.
    public init(document: JSONDocument) throws(PayloadError) {
        let fields = JSONFieldReader(subject: .event, document: document)
        let root = document.root
        guard case .object = root else { throw fields.failure(.notAnObject(found: root.typeName)) }

        guard let from = try fields.object(root["from"], at: "from"),
              let fromNumber = try fields.string(from["number"], at: "from.number"),
              !fromNumber.isEmpty
        else { throw fields.failure(.missingField("from.number")) }

        let to = try fields.object(root["to"], at: "to")
        let toNumber = try fields.string(to?["number"], at: "to.number")

        guard let event = try fields.object(root["event"], at: "event") else {
            throw fields.failure(.missingField("event"))
        }
        guard let type = try fields.string(event["type"], at: "event.type"), !type.isEmpty else {
            throw fields.failure(.missingField("event.type"))
        }

        let reference = try fields.string(root["reference"], at: "reference")
        let groupings = try fields.groupings(root["groupings"], at: "groupings")
        let timeUtcRaw = try fields.string(root["timeUtc"], at: "timeUtc")
        let channel = try fields.string(root["channel"], at: "channel") ?? ""

        self.init(
            channel: channel,
            fromNumber: fromNumber,
            toNumber: toNumber,
            type: type,
            customJSON: fields.rawText(event["custom"]),
            eventJSON: document.rawText(of: event),
            reference: reference,
            messageContext: fields.stringOrRawText(root["messageContext"]),
            groupings: groupings,
            timeUtc: timeUtcRaw.flatMap(CMTimestamp.parseUTC),
            timeUtcRaw: timeUtcRaw
        )
    }
}
