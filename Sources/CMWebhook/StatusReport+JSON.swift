import JSON

extension StatusReport {
    /// The most `msg` entries one JSON body may carry; more is refused. CM sends one per call today.
    static let maxJSONReports = 10_000

    /// Decodes CM's JSON status report webhook (incoming-status-report). Pure: no I/O.
    ///
    /// ```json
    /// {"messages":{"msg":{"received":"…","to":"…","reference":"…",
    ///   "status":{"code":"2","errorCode":"","errorDescription":""},"operator":"…"}}}
    /// ```
    /// - `messages.msg` is one object (CM's template) or an array of them (at most 10,000,
    ///   else `.refused`; an empty array is `.missingField("messages.msg")`). One report per entry, in order.
    /// - Each value may be a string or a number; a number keeps its literal text (`2` → "2"); null is
    ///   absent. Also read when present: `channel`, `customGrouping` (alias `customGrouping1`),
    ///   `customGrouping2`, `customGrouping3`, and seed 001's "Send" and "Status Description" as `send` and
    ///   `statusDescription` (in `msg`, or `status.statusDescription`; when both are given they must agree).
    /// - Keys match ignoring ASCII letter case (CM treats JSON keys case-insensitively): `Status`/`CODE`
    ///   are found. Two members of one object whose names differ only in case, for a key read here, are
    ///   ambiguous: `.invalidValue`. Unknown keys are ignored.
    /// - A missing, null or empty status code is `.missingField("messages.msg[1].status.code")`; entries are
    ///   numbered from 1 whether `msg` is an object or an array.
    public static func reports(json bytes: [UInt8], limits: JSONLimits = JSONLimits()) throws(PayloadError) -> [StatusReport] {
        try reports(document: JSONParser.parse(bytes, limits: limits) { PayloadError(.statusReport, .invalidJSON($0)) })
    }

    /// Decodes an already parsed JSON status report document; the rules of ``reports(json:limits:)``.
    public static func reports(document: JSONDocument) throws(PayloadError) -> [StatusReport] {
        let fields = JSONFieldReader(subject: .statusReport, document: document)
        let root = document.root
        guard case .object = root else { throw fields.failure(.notAnObject(found: root.typeName)) }

        let messagesValue = try fields.member(root, ignoringCase: "messages", at: "messages")
        guard let messages = try fields.object(messagesValue, at: "messages") else {
            throw fields.failure(.missingField("messages"))
        }
        let entries: [JSONValue]
        switch try fields.member(messages, ignoringCase: "msg", at: "messages.msg") {
        case nil, .null?:
            throw fields.failure(.missingField("messages.msg"))
        case .array(let items, _)?:
            guard items.count <= maxJSONReports else {
                throw fields.failure(.refused("more than \(maxJSONReports) messages.msg entries"))
            }
            guard !items.isEmpty else { throw fields.failure(.missingField("messages.msg")) }
            entries = items
        case let entry?:
            guard case .object = entry else {
                throw fields.failure(.wrongType(field: "messages.msg", expected: "object or array", found: entry.typeName))
            }
            entries = [entry]
        }

        var reports: [StatusReport] = []
        reports.reserveCapacity(entries.count)
        for (position, entry) in entries.enumerated() {
            reports.append(try report(entry, at: "messages.msg[\(position + 1)]", fields: fields))
        }
        return reports
    }

    /// One `msg` entry; `path` names it in errors (`messages.msg[1]`).
    private static func report(_ entry: JSONValue, at path: String, fields: JSONFieldReader) throws(PayloadError) -> StatusReport {
        guard case .object = entry else {
            throw fields.failure(.wrongType(field: path, expected: "object", found: entry.typeName))
        }
        func text(_ object: JSONValue?, _ key: String, in prefix: String) throws(PayloadError) -> String? {
            let field = "\(prefix).\(key)"
            return try fields.stringOrNumber(fields.member(object, ignoringCase: key, at: field), at: field)
        }

        let received = try text(entry, "received", in: path)
        let recipient = try text(entry, "to", in: path)
        let reference = try text(entry, "reference", in: path)
        let status = try fields.object(fields.member(entry, ignoringCase: "status", at: "\(path).status"), at: "\(path).status")
        let code = try text(status, "code", in: "\(path).status")
        guard let code, !code.isEmpty else { throw fields.failure(.missingField("\(path).status.code")) }
        let errorCode = try text(status, "errorCode", in: "\(path).status")
        let errorDescription = try text(status, "errorDescription", in: "\(path).status")
        let operatorCode = try text(entry, "operator", in: path)
        let channel = try text(entry, "channel", in: path)
        let grouping1 = try agreeing(
            try text(entry, "customGrouping", in: path), try text(entry, "customGrouping1", in: path),
            names: ("customGrouping", "customGrouping1"), at: "\(path).customGrouping"
        )
        let send = try text(entry, "send", in: path)
        let statusDescription = try agreeing(
            try text(entry, "statusDescription", in: path), try text(status, "statusDescription", in: "\(path).status"),
            names: ("statusDescription", "status.statusDescription"), at: "\(path).statusDescription"
        )
        let grouping2 = try text(entry, "customGrouping2", in: path)
        let grouping3 = try text(entry, "customGrouping3", in: path)

        return StatusReport(
            form: .json, reference: reference, recipient: recipient, codeRaw: code, errorCodeRaw: errorCode,
            errorDescription: errorDescription, operatorCode: operatorCode, channel: channel,
            customGroupings: [grouping1, grouping2, grouping3], receivedRaw: received, sendRaw: send,
            statusDescription: statusDescription
        )
    }

    /// The value of a field that has two names (`customGrouping` / `customGrouping1`, `statuscode` /
    /// `STATUS`): whichever is given; when both are given they must match (ignoring surrounding blanks),
    /// else `.invalidValue(field:reason:)`. The first name's text is kept when both are given.
    static func agreeing(_ first: String?, _ second: String?, names: (String, String),
                         at field: String) throws(PayloadError) -> String? {
        guard let first else { return second }
        guard let second else { return first }
        guard first.trimmingBlanks() == second.trimmingBlanks() else {
            throw PayloadError(.statusReport, .invalidValue(field: field, reason: "\(names.0) and \(names.1) disagree"))
        }
        return first
    }
}
