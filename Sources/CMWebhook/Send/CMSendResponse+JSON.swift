import JSON

extension CMSendResponse {
    /// The most `messages` entries read; more is refused. A request holds at most 1,000 msg (seed 001), each with
    /// one entry per recipient.
    public static let maxMessages = 100_000

    /// Reads a send response body. Pure: no I/O.
    ///
    /// - Keys match ignoring ASCII letter case (seed 001: "JSON keys are case insensitive"); two members of one
    ///   object that differ only in case, for a key read here, are `.ambiguousKey`. Unknown keys are ignored.
    /// - `errorCode`, `parts` and `messageErrorCode` may be numbers or strings of digits (blanks around them are
    ///   ignored); null or an empty string is absent. A missing `errorCode` is `.missingErrorCode`: whatever else
    ///   the body says, it is not a send response.
    /// - `details`, `to`, `reference`, `messageDetails` are strings (a number keeps its literal text); null is absent;
    ///   `status` is ``Message/Status``, absent when null or empty. `messages` null or absent is empty.
    /// - U+0000 in strings is replaced by U+FFFD, as everywhere in this module.
    public init(json bytes: [UInt8], limits: JSONLimits = JSONLimits()) throws(CMSendResponseError) {
        try self.init(document: JSONParser.parse(bytes, limits: limits, orThrow: CMSendResponseError.invalidJSON))
    }

    /// Reads an already parsed send response; the rules of ``init(json:limits:)``.
    public init(document: JSONDocument) throws(CMSendResponseError) {
        let root = document.root
        guard case .object = root else { throw .notAnObject(found: root.typeName) }
        let reader = SendResponseReader()
        guard let errorCode = try reader.integer(reader.member(root, "errorCode", at: "errorCode"), at: "errorCode") else {
            throw .missingErrorCode
        }
        let details = try reader.text(reader.member(root, "details", at: "details"), at: "details")

        var messages: [Message] = []
        switch try reader.member(root, "messages", at: "messages") {
        case nil, .null?:
            break
        case .array(let entries, _)?:
            guard entries.count <= Self.maxMessages else { throw .tooManyMessages(limit: Self.maxMessages) }
            messages.reserveCapacity(entries.count)
            for (position, entry) in entries.enumerated() {
                messages.append(try reader.message(entry, at: "messages[\(position + 1)]"))
            }
        case let other?:
            throw .wrongType(field: "messages", expected: "array", found: other.typeName)
        }
        self.init(errorCode: errorCode, details: details, messages: messages)
    }
}

/// Typed, case-insensitive access to the members of a send response. Stateless.
private struct SendResponseReader {
    func message(_ entry: JSONValue, at path: String) throws(CMSendResponseError) -> CMSendResponse.Message {
        guard case .object = entry else { throw .wrongType(field: path, expected: "object", found: entry.typeName) }
        func field(_ key: String) throws(CMSendResponseError) -> (JSONValue?, String) {
            let name = "\(path).\(key)"
            return (try member(entry, key, at: name), name)
        }
        let (to, toPath) = try field("to")
        let (status, statusPath) = try field("status")
        let (reference, referencePath) = try field("reference")
        let (parts, partsPath) = try field("parts")
        let (details, detailsPath) = try field("messageDetails")
        let (code, codePath) = try field("messageErrorCode")
        let statusText = try text(status, at: statusPath)
        return CMSendResponse.Message(
            to: try text(to, at: toPath),
            status: statusText.flatMap { $0.isEmpty ? nil : CMSendResponse.Message.Status($0) },
            reference: try text(reference, at: referencePath).flatMap { $0.isEmpty ? nil : $0 },
            parts: try integer(parts, at: partsPath),
            messageDetails: try text(details, at: detailsPath),
            messageErrorCode: try integer(code, at: codePath)
        )
    }

    /// The member named `key` ignoring ASCII case; `nil` when absent.
    func member(_ object: JSONValue, _ key: String, at field: String) throws(CMSendResponseError) -> JSONValue? {
        guard case .object(let members, _) = object else { return nil }
        var found: JSONValue?
        for member in members where member.key.equalsIgnoringASCIICase(key) {
            guard found == nil else { throw .ambiguousKey(field: field) }
            found = member.value
        }
        return found
    }

    /// A string (NUL replaced) or a number's literal text; `nil` when absent or null.
    func text(_ value: JSONValue?, at field: String) throws(CMSendResponseError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text, _)?: return text.replacingNUL
        case .number(let literal, _)?: return literal
        case let other?: throw .wrongType(field: field, expected: "string", found: other.typeName)
        }
    }

    /// An integer from a number or a string of digits; `nil` when absent, null or an empty string.
    func integer(_ value: JSONValue?, at field: String) throws(CMSendResponseError) -> Int? {
        let literal: String
        switch value {
        case nil, .null?:
            return nil
        case .number(let text, _)?:
            literal = text
        case .string(let text, _)?:
            literal = text.trimmingBlanks()
            if literal.isEmpty { return nil }
        case let other?:
            throw .wrongType(field: field, expected: "integer", found: other.typeName)
        }
        guard let number = Int(literal) else { throw .notAnInteger(field: field) }
        return number
    }
}
