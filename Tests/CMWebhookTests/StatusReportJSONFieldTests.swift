import CMWebhook
import JSON
import MOTestFixtures
import Testing

/// Decodes `{"messages":{"msg":{<members>}}}` and returns its single report.
private func decodeOne(_ members: String) throws -> StatusReport {
    let reports = try StatusReport.reports(json: utf8(#"{"messages":{"msg":{"# + members + "}}}"))
    try #require(reports.count == 1)
    return reports[0]
}

private func statusError(_ problem: PayloadError.Problem) -> PayloadError {
    PayloadError(.statusReport, problem)
}

@Suite("StatusReport.reports(json:) field rules")
struct StatusReportJSONFieldTests {
    @Test("a value may be a string or a number; a number keeps its literal text", arguments: [
        (#""2""#, "2"), ("2", "2"), ("-0", "-0"), ("2.0", "2.0"), ("2e0", "2e0"), (#"" 2 ""#, " 2 "),
        (#""a\u0000b""#, "a\u{FFFD}b"), (#""\u00e9""#, "é"),
    ])
    func stringOrNumber(json: String, expected: String) throws {
        let report = try decodeOne(#""status":{"code":"# + json + #","errorCode":"# + json + "}," + #""operator":"# + json)
        #expect(report.codeRaw == expected)
        #expect(report.errorCodeRaw == expected)
        #expect(report.operatorCode == expected)
    }

    @Test("booleans, arrays and objects are wrong types, named by their 1-based path", arguments: [
        (#""to":true,"status":{"code":"2"}"#, "messages.msg[1].to", "boolean"),
        (#""reference":["r"],"status":{"code":"2"}"#, "messages.msg[1].reference", "array"),
        (#""received":{},"status":{"code":"2"}"#, "messages.msg[1].received", "object"),
        (#""status":{"code":false}"#, "messages.msg[1].status.code", "boolean"),
        (#""status":{"code":"2","errorCode":[24]}"#, "messages.msg[1].status.errorCode", "array"),
        (#""status":{"code":"2","errorDescription":{}}"#, "messages.msg[1].status.errorDescription", "object"),
        (#""status":{"code":"2"},"channel":true"#, "messages.msg[1].channel", "boolean"),
        (#""status":{"code":"2"},"customGrouping3":[]"#, "messages.msg[1].customGrouping3", "array"),
    ])
    func wrongTypes(members: String, field: String, found: String) {
        #expect(throws: statusError(.wrongType(field: field, expected: "string or number", found: found))) {
            try decodeOne(members)
        }
    }

    @Test("structural wrong types name the expected shape", arguments: [
        (#"{"messages":[]}"#, "messages", "object", "array"),
        (#"{"messages":{"msg":true}}"#, "messages.msg", "object or array", "boolean"),
        (#"{"messages":{"msg":[{"status":{"code":"2"}},"x"]}}"#, "messages.msg[2]", "object", "string"),
        (#"{"messages":{"msg":{"status":"2"}}}"#, "messages.msg[1].status", "object", "string"),
    ])
    func structure(json: String, field: String, expected: String, found: String) {
        #expect(throws: statusError(.wrongType(field: field, expected: expected, found: found))) {
            try StatusReport.reports(json: utf8(json))
        }
    }

    @Test("a missing, null or empty status code is missingField with the 1-based entry", arguments: [
        (#"{"messages":{"msg":{}}}"#, "messages.msg[1].status.code"),
        (#"{"messages":{"msg":{"status":null}}}"#, "messages.msg[1].status.code"),
        (#"{"messages":{"msg":{"status":{}}}}"#, "messages.msg[1].status.code"),
        (#"{"messages":{"msg":{"status":{"code":null}}}}"#, "messages.msg[1].status.code"),
        (#"{"messages":{"msg":{"status":{"code":""}}}}"#, "messages.msg[1].status.code"),
        (#"{"messages":{"msg":[{"status":{"code":"2"}},{"status":{"code":"3"}},{"status":{}}]}}"#, "messages.msg[3].status.code"),
        (#"{}"#, "messages"),
        (#"{"messages":null}"#, "messages"),
        (#"{"messages":{}}"#, "messages.msg"),
        (#"{"messages":{"msg":null}}"#, "messages.msg"),
        (#"{"messages":{"msg":[]}}"#, "messages.msg"),
    ])
    func missing(json: String, field: String) {
        #expect(throws: statusError(.missingField(field))) { try StatusReport.reports(json: utf8(json)) }
    }

    @Test("a non-object root is rejected naming its type", arguments: [("[]", "array"), ("\"x\"", "string"), ("2", "number"), ("null", "null")])
    func nonObjectRoot(json: String, found: String) {
        #expect(throws: statusError(.notAnObject(found: found))) { try StatusReport.reports(json: utf8(json)) }
    }

    @Test("keys match ignoring ASCII letter case", arguments: [
        #"{"MESSAGES":{"MSG":{"STATUS":{"CODE":"2"},"TO":"1"}}}"#,
        #"{"Messages":{"Msg":{"Status":{"Code":"2"},"To":"1"}}}"#,
        #"{"mEsSaGeS":{"mSg":[{"sTaTuS":{"cOdE":2},"tO":1}]}}"#,
    ])
    func caseInsensitive(json: String) throws {
        let reports = try StatusReport.reports(json: utf8(json))
        #expect(reports.map(\.codeRaw) == ["2"])
        #expect(reports.map(\.recipient) == ["1"])
    }

    @Test("case folding is ASCII only: a long s or dotless i never matches a key")
    func asciiFoldingOnly() throws {
        // "\u017F" (LONG S) uppercases to "S" and "\u0131" (DOTLESS I) to "I" under Unicode case mapping.
        let report = try decodeOne(#""status":{"code":"2"},"\u017Ftatus":{"code":"3"},"customGroup\u0131ng":"x""#)
        #expect(report.codeRaw == "2")
        #expect(report.customGroupings == [nil, nil, nil])
    }

    @Test("two members of a read key differing only in case are ambiguous", arguments: [
        (#"{"messages":{"msg":{"status":{"code":"2","Code":"3"}}}}"#, "messages.msg[1].status.code"),
        (#"{"messages":{"msg":{"to":"1","TO":"1","status":{"code":"2"}}}}"#, "messages.msg[1].to"),
        (#"{"messages":{"msg":{"status":{"code":"2"}},"MSG":{}}}"#, "messages.msg"),
        (#"{"messages":{},"Messages":{}}"#, "messages"),
    ])
    func caseCollision(json: String, field: String) {
        let error = statusError(.invalidValue(field: field, reason: "given more than once in different letter case"))
        #expect(throws: error) { try StatusReport.reports(json: utf8(json)) }
        #expect(error.description == "status report field \(field) is invalid: given more than once in different letter case")
    }

    @Test("unknown keys, even case-variant pairs of them, are ignored")
    func unknownIgnored() throws {
        let report = try decodeOne(#""status":{"code":"2","x":[1,{}]},"sent":"2024","Sent":"2025","created":{"a":null}"#)
        #expect(report.codeRaw == "2")
        #expect(report.sentRaw == nil)
        #expect(report.sendRaw == nil)
    }

    @Test("customGrouping and customGrouping1 are one field: either, or both when they agree", arguments: [
        (#""customGrouping":"a""#, "a" as String?),
        (#""customGrouping1":"b""#, "b"),
        (#""customGrouping":"c","customGrouping1":"c""#, "c"),
        (#""customGrouping":"d","customGrouping1":" d ""#, "d"),
        (#""customGrouping":"e","customGrouping1":null"#, "e"),
        (#""customGrouping":null"#, nil),
    ])
    func groupingAlias(members: String, expected: String?) throws {
        #expect(try decodeOne(#""status":{"code":"2"},"# + members).customGroupings == [expected, nil, nil])
    }

    @Test("customGrouping and customGrouping1 that disagree are invalid")
    func groupingConflict() {
        let error = statusError(.invalidValue(field: "messages.msg[1].customGrouping", reason: "customGrouping and customGrouping1 disagree"))
        #expect(throws: error) { try decodeOne(#""status":{"code":"2"},"customGrouping":"a","customGrouping1":"b""#) }
    }

    @Test("messages.msg may hold up to 10,000 entries; more is refused before any entry is read")
    func entryCap() throws {
        let entry = #"{"status":{"code":"2"}}"#
        let many = Array(repeating: entry, count: 10_000).joined(separator: ",")
        #expect(try StatusReport.reports(json: utf8(#"{"messages":{"msg":["# + many + "]}}")).count == 10_000)
        let tooMany = Array(repeating: "{}", count: 10_001).joined(separator: ",")
        let error = statusError(.refused("more than 10000 messages.msg entries"))
        #expect(throws: error) { try StatusReport.reports(json: utf8(#"{"messages":{"msg":["# + tooMany + "]}}")) }
        #expect(error.description == "status report is refused: more than 10000 messages.msg entries")
    }

    @Test("invalid JSON is reported with the status report subject")
    func invalidJSON() {
        let error = statusError(.invalidJSON(JSONError(kind: .empty, offset: 0)))
        #expect(throws: error) { try StatusReport.reports(json: []) }
        #expect(error.description == "status report is not valid JSON: invalid JSON at byte 0: empty input")
    }

    @Test("the caller's limits reach the parser")
    func limitsApply() {
        var limits = JSONLimits()
        limits.maxDepth = 3
        #expect(throws: statusError(.invalidJSON(JSONError(kind: .tooDeep, offset: 29)))) {
            try StatusReport.reports(json: utf8(#"{"messages":{"msg":{"status":{"code":"2"}}}}"#), limits: limits)
        }
    }

    @Test("reports(document:) decodes an already parsed document the same way")
    func fromDocument() throws {
        let body = fixture("json-array.json", in: "status")
        #expect(try StatusReport.reports(document: JSONParser.parse(body)) == StatusReport.reports(json: body))
    }

    static let canary = "CANARY-7f3e9b"

    @Test("no description echoes a payload value", arguments: [
        #"{"messages":{"msg":{"to":"CANARY-7f3e9b","status":{"code":["CANARY-7f3e9b"]}}}}"#,
        #"{"messages":{"msg":{"to":"CANARY-7f3e9b","status":{"errorCode":"CANARY-7f3e9b"}}}}"#,
        #"{"messages":{"msg":{"status":{"code":"CANARY-7f3e9b"},"customGrouping":"CANARY-7f3e9b","customGrouping1":"x"}}}"#,
        #"{"messages":{"msg":{"status":{"code":"2","CODE":"CANARY-7f3e9b"}}}}"#,
        #"{"messages":"CANARY-7f3e9b"}"#,
        #"["CANARY-7f3e9b"]"#,
    ])
    func noCanary(json: String) {
        do {
            _ = try StatusReport.reports(json: utf8(json))
            Issue.record("expected the body to be rejected")
        } catch {
            #expect(!error.description.contains("7f3e9b"))
            #expect(!error.description.contains("\n"))
        }
    }
}
