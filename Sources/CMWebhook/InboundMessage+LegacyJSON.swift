import JSON

extension InboundMessage {
    /// Whether `root` (an object) is the legacy Gateway flat MO: its `from` is a string.
    ///
    /// Today's envelope always has `from` as an object, so the two cannot be confused; any other type of
    /// `from` (absent, null, number, …) is read as today's envelope and fails there with its usual error.
    static func isLegacyFlat(_ root: JSONValue) -> Bool {
        if case .string? = root["from"] { return true }
        return false
    }

    /// Decodes the legacy Gateway flat MO (docs.cmtelecom.com mo-webhooks 1.0, "Reply settings" → Json):
    /// `{"reference":"…","from":"+316…","to":"8850","body":"hello","groupings":["a","b","c"]}`.
    ///
    /// `from` is required and non-empty (`missingField("from")`); `to`, `body` and `reference` are strings
    /// or null; `groupings` as in today's envelope. The legacy service was SMS only, so the channel is
    /// "SMS"; fields the flat form does not have (name, media, times, context, custom) are `nil` or empty.
    /// Keys match exactly; unknown fields are ignored.
    init(legacy root: JSONValue, fields: JSONFieldReader) throws(PayloadError) {
        guard let fromNumber = try fields.string(root["from"], at: "from"), !fromNumber.isEmpty else {
            throw .missingField("from")
        }
        let toNumber = try fields.string(root["to"], at: "to")
        let text = try fields.string(root["body"], at: "body") ?? ""
        let reference = try fields.string(root["reference"], at: "reference")
        let groupings = try fields.groupings(root["groupings"], at: "groupings")

        self.init(
            channel: "SMS",
            fromNumber: fromNumber,
            fromName: nil,
            toNumber: toNumber,
            text: text,
            media: [],
            reference: reference,
            groupings: groupings,
            timeUtc: nil,
            timeUtcRaw: nil,
            localTimeRaw: nil,
            messageContext: nil,
            customJSON: nil,
            form: .legacyJSON
        )
    }
}
