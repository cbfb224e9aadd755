extension InboundMessage {
    /// Decodes CM's MO JSON. Pure: no I/O.
    ///
    /// Fields are checked in CM's documented order (from, to, message, reference, groupings, timeUtc, time,
    /// channel, messageContext) and the first problem is thrown. Unknown fields anywhere are ignored;
    /// null is treated as absent everywhere.
    public init(json bytes: [UInt8], limits: JSONLimits = JSONLimits()) throws(PayloadError) {
        let document: JSONDocument
        do {
            document = try JSONParser.parse(bytes, limits: limits)
        } catch {
            throw .invalidJSON(error)
        }
        try self.init(document: document)
    }

    /// Decodes an already parsed MO document, for callers that also read other parts of it.
    public init(document: JSONDocument) throws(PayloadError) {
        let root = document.root
        guard case .object = root else { throw .notAnObject(found: root.typeName) }

        guard let from = try Self.object(root["from"], at: "from"),
              let fromNumber = try Self.string(from["number"], at: "from.number"),
              !fromNumber.isEmpty
        else { throw .missingField("from.number") }
        let fromName = try Self.string(from["name"], at: "from.name")

        let to = try Self.object(root["to"], at: "to")
        let toNumber = try Self.string(to?["number"], at: "to.number")

        let message = try Self.object(root["message"], at: "message")
        let text = try Self.string(message?["text"], at: "message.text") ?? ""
        let media = try Self.media(message?["media"])
        let customJSON = Self.rawText(message?["custom"], in: document)

        let reference = try Self.string(root["reference"], at: "reference")
        let groupings = try Self.groupings(root["groupings"])
        let timeUtcRaw = try Self.string(root["timeUtc"], at: "timeUtc")
        let localTimeRaw = try Self.string(root["time"], at: "time")
        let channel = try Self.string(root["channel"], at: "channel") ?? ""
        let messageContext = Self.messageContext(root["messageContext"], in: document)

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

    /// An object, or `nil` when absent or null.
    private static func object(_ value: JSONValue?, at field: String) throws(PayloadError) -> JSONValue? {
        switch value {
        case nil, .null?: return nil
        case .object?: return value
        case let other?: throw .wrongType(field: field, expected: "object", found: other.typeName)
        }
    }

    /// A string with NUL replaced, or `nil` when absent or null.
    private static func string(_ value: JSONValue?, at field: String) throws(PayloadError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text, _)?: return text.replacingNUL
        case let other?: throw .wrongType(field: field, expected: "string", found: other.typeName)
        }
    }

    /// The raw JSON text of any non-null value.
    private static func rawText(_ value: JSONValue?, in document: JSONDocument) -> String? {
        guard let value, !value.isNull else { return nil }
        return document.rawText(of: value)
    }

    /// A string as is; any other non-null value as its raw JSON text.
    private static func messageContext(_ value: JSONValue?, in document: JSONDocument) -> String? {
        if case .string(let text, _)? = value { return text.replacingNUL }
        return rawText(value, in: document).map(\.replacingNUL)
    }

    /// The single attachment, when `mediaUri` is a non-empty string.
    private static func media(_ value: JSONValue?) throws(PayloadError) -> [MediaReference] {
        let media = try object(value, at: "message.media")
        let uri = try string(media?["mediaUri"], at: "message.media.mediaUri")
        let contentType = try string(media?["contentType"], at: "message.media.contentType")
        let title = try string(media?["title"], at: "message.media.title")
        guard let uri, !uri.isEmpty else { return [] }
        return [MediaReference(uri: uri, contentType: nonEmpty(contentType), title: nonEmpty(title))]
    }

    /// Every entry a string (null → ""); absent or null → none.
    private static func groupings(_ value: JSONValue?) throws(PayloadError) -> [String] {
        switch value {
        case nil, .null?:
            return []
        case .array(let entries, _)?:
            var groupings: [String] = []
            groupings.reserveCapacity(entries.count)
            for (position, entry) in entries.enumerated() {
                groupings.append(try string(entry, at: "groupings[\(position)]") ?? "")
            }
            return groupings
        case let other?:
            throw .wrongType(field: "groupings", expected: "array", found: other.typeName)
        }
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
