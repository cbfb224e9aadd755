import CMWebhook
import Testing

/// One row of the classification table: what CM answered, whose reference is ours, what we do.
struct OutcomeCase: Sendable, CustomTestStringConvertible {
    let name: String
    let status: Int
    let body: String
    let reference: String
    let expected: CMSendOutcome

    init(_ name: String, _ status: Int, _ body: String, ours reference: String = "ours", _ expected: CMSendOutcome) {
        self.name = name
        self.status = status
        self.body = body
        self.reference = reference
        self.expected = expected
    }

    var testDescription: String { name }
}

/// A response with one entry per (reference, status, messageErrorCode); nil values are left out.
private func response(_ errorCode: Int, _ entries: [(String?, String, Int?)] = [], parts: Int = 1) -> String {
    let messages = entries.map { reference, status, code in
        var members = [#""to":"0031612345678""#, #""status":"\#(status)""#,
                       #""parts":\#(status.lowercased() == "accepted" ? parts : 0)"#,
                       #""messageDetails":"Gsm '0031612345678' is not a number.""#]
        members.append(reference.map { #""reference":"\#($0)""# } ?? #""reference":null"#)
        if let code { members.append(#""messageErrorCode":\#(code)"#) }
        return "{" + members.joined(separator: ",") + "}"
    }
    return #"{"details":"Created 1 message(s)","errorCode":\#(errorCode),"messages":[\#(messages.joined(separator: ","))]}"#
}

private func loud(_ reason: String, _ code: Int?) -> CMSendOutcome {
    .permanentFailure(reason: reason, code: code, loud: true)
}

private func quiet(_ reason: String, _ code: Int?) -> CMSendOutcome {
    .permanentFailure(reason: reason, code: code, loud: false)
}

private let classification: [OutcomeCase] = [
    // Seed examples.
    OutcomeCase("seed 000 accepted", 200, seedAccepted, ours: "my_reference_123",
                .accepted(parts: 1, details: "Created 1 message(s)")),
    OutcomeCase("seed 000 unknown token: HTTP 400 with 101 is authentication", 400, seedAuthenticationFailure,
                loud("CM error 101: Authentication of the request failed", 101)),
    OutcomeCase("seed 001 partial failure, ours the accepted one", 200, seedPartial, ours: "your_reference_A",
                .accepted(parts: 1, details: "Created 1 message(s)")),
    OutcomeCase("seed 001 partial failure, ours the rejected one (304)", 200, seedPartial, ours: "your_reference_B",
                .rejected(reason: "CM rejected the message: CM error 304: This MSG has an invalid Body field", code: 304)),
    OutcomeCase("seed 001 all incorrect at HTTP 400, ours with 303", 400, seedAllIncorrect, ours: "your_reference_A",
                .rejected(reason: "CM rejected the message: CM error 303: This MSG has an invalid Phone Number in the To field",
                          code: 303)),
    OutcomeCase("an older response without messageErrorCode", 200, olderAccepted, ours: "ref1",
                .accepted(parts: 1, details: "Created 1 message(s)")),

    // HTTP statuses that retry whatever the body.
    OutcomeCase("HTTP 500 with an HTML page", 500, "<html>oops</html>", .retry(reason: "CM answered HTTP 500")),
    OutcomeCase("HTTP 500 with CM's Unknown Error", 500, #"{"details":"Unknown Error","errorCode":999,"messages":[]}"#,
                .retry(reason: "CM answered HTTP 500 (CM error 999: Unknown error, please contact CM support)")),
    OutcomeCase("HTTP 502 from Cloudflare", 502, "", .retry(reason: "CM answered HTTP 502")),
    OutcomeCase("HTTP 503", 503, "", .retry(reason: "CM answered HTTP 503")),
    OutcomeCase("HTTP 504 with errorCode 0", 504, response(0, [("ours", "Accepted", 0)]),
                .retry(reason: "CM answered HTTP 504")),
    OutcomeCase("HTTP 429", 429, "", .retry(reason: "CM answered HTTP 429")),
    OutcomeCase("HTTP 408", 408, "", .retry(reason: "CM answered HTTP 408")),

    // Top-level codes.
    OutcomeCase("errorCode 999 at HTTP 200", 200, response(999),
                .retry(reason: "CM error 999: Unknown error, please contact CM support")),
    OutcomeCase("errorCode 500 at HTTP 200", 200, response(500), .retry(reason: "CM error 500: An internal error has occurred")),
    OutcomeCase("errorCode 102: balance", 400, response(102),
                loud("CM error 102: The account using this authentication has insufficient balance", 102)),
    OutcomeCase("errorCode 103: token", 400, response(103), loud("CM error 103: The product token is incorrect", 103)),
    OutcomeCase("errorCode 101 at HTTP 200 is still authentication", 200, response(101),
                loud("CM error 101: Authentication of the request failed", 101)),
    OutcomeCase("errorCode 202: malformed request", 400, response(202),
                loud("CM error 202: This request is malformed, please confirm the JSON and that the correct data types are used", 202)),
    OutcomeCase("errorCode 203: bad msg array", 400, response(203),
                loud("CM error 203: The request's MSG array is incorrect", 203)),
    OutcomeCase("top-level 303", 400, response(303),
                .rejected(reason: "CM error 303: This MSG has an invalid Phone Number in the To field", code: 303)),
    OutcomeCase("top-level 401", 400, response(401), .rejected(reason: "CM error 401: Message has been spam filtered", code: 401)),
    OutcomeCase("top-level 301 is our sender: loud", 400, response(301),
                loud("CM error 301: This MSG has an invalid From field", 301)),
    OutcomeCase("an errorCode the table does not list", 200, response(42),
                loud("CM error 42, which CM's error table does not list (HTTP 200)", 42)),

    // Our entries under 0 and 201.
    OutcomeCase("errorCode 0, ours accepted, parts 3", 200, response(0, [("ours", "Accepted", 0)], parts: 3),
                .accepted(parts: 3, details: "Created 1 message(s)")),
    OutcomeCase("status in lower case", 200, response(0, [("ours", "accepted", 0)]),
                .accepted(parts: 1, details: "Created 1 message(s)")),
    OutcomeCase("two recipients, both ours accepted: parts summed", 200,
                response(0, [("ours", "Accepted", 0), ("ours", "Accepted", 0)], parts: 2),
                .accepted(parts: 4, details: "Created 1 message(s)")),
    OutcomeCase("two recipients, one rejected: the rejection decides", 200,
                response(201, [("ours", "Accepted", 0), ("ours", "Rejected", 302)]),
                .rejected(reason: "CM rejected the message: CM error 302: This MSG has an invalid To field", code: 302)),
    OutcomeCase("201, ours rejected with 301: our sender is wrong, loud", 400, response(201, [("ours", "Rejected", 301)]),
                loud("CM rejected the message: CM error 301: This MSG has an invalid From field", 301)),
    OutcomeCase("201, ours rejected with 305: a field we set is wrong, loud", 400, response(201, [("ours", "Rejected", 305)]),
                loud("CM rejected the message: CM error 305: This MSG has an invalid field. Please confirm with the documentation", 305)),
    OutcomeCase("201, ours rejected with 402", 400, response(201, [("ours", "Rejected", 402)]),
                .rejected(reason: "CM rejected the message: CM error 402: Message has been blacklisted", code: 402)),
    OutcomeCase("201, ours rejected with 500: retry", 200, response(201, [("other", "Accepted", 0), ("ours", "Rejected", 500)]),
                .retry(reason: "CM rejected the message: CM error 500: An internal error has occurred")),
    OutcomeCase("201, ours rejected without messageErrorCode", 400, response(201, [("ours", "Rejected", nil)]),
                .rejected(reason: "CM rejected the message without an error code", code: nil)),
    OutcomeCase("0, ours Rejected with code 0", 200, response(0, [("ours", "Rejected", 0)]),
                .rejected(reason: "CM rejected the message without an error code", code: nil)),
    OutcomeCase("201, ours rejected with a code the table does not list", 400, response(201, [("ours", "Rejected", 777)]),
                .rejected(reason: "CM rejected the message with error 777, which CM's error table does not list", code: 777)),
    OutcomeCase("201, someone else's entry rejected, ours missing", 400, response(201, [("other", "Rejected", 303)]),
                quiet("CM error 201: This request has one or more errors in its messages. Some or all messages have not been sent, "
                      + "and the response has no result for this message (HTTP 400)", 201)),
    OutcomeCase("201, a lone entry without reference is ours", 200, response(201, [(nil, "Rejected", 304)]),
                .rejected(reason: "CM rejected the message: CM error 304: This MSG has an invalid Body field", code: 304)),
    OutcomeCase("0, a lone entry without reference is ours", 200, response(0, [(nil, "Accepted", 0)]),
                .accepted(parts: 1, details: "Created 1 message(s)")),
    OutcomeCase("0 at HTTP 200 with no entries: accepted, parts unknown", 200, #"{"errorCode":0,"details":"Created 1 message(s)"}"#,
                .accepted(parts: nil, details: "Created 1 message(s)")),
    OutcomeCase("0 at HTTP 400 with no entries", 400, #"{"errorCode":0,"messages":[]}"#,
                quiet("CM error 0: Ok, and the response has no result for this message (HTTP 400)", 0)),
    OutcomeCase("ours with an unknown status", 200, response(0, [("ours", "Queued", 0)]),
                quiet("CM gave this message a status other than Accepted or Rejected (HTTP 200, CM error 0)", 0)),
    OutcomeCase("references compare exactly", 200, response(201, [("OURS", "Accepted", 0), ("ours", "Rejected", 303)]),
                .rejected(reason: "CM rejected the message: CM error 303: This MSG has an invalid Phone Number in the To field",
                          code: 303)),

    // Bodies that are not send responses.
    OutcomeCase("HTTP 200 with HTML", 200, "<html>portal</html>",
                loud("CM answered HTTP 200 but the body is not a send response: CM send response is not valid JSON: "
                     + "invalid JSON at byte 0: unexpected character", nil)),
    OutcomeCase("HTTP 200 with JSON but no errorCode", 200, #"{"status":"ok"}"#,
                loud("CM answered HTTP 200 but the body is not a send response: CM send response has no errorCode", nil)),
    OutcomeCase("HTTP 404: a wrong send_url", 404, "Not Found",
                loud("CM answered HTTP 404 and the body is not a send response: CM send response is not valid JSON: "
                     + "invalid JSON at byte 0: unexpected character", nil)),
    OutcomeCase("HTTP 403 with an empty body", 403, "",
                loud("CM answered HTTP 403 and the body is not a send response: CM send response is not valid JSON: "
                     + "invalid JSON at byte 0: empty input", nil)),
    OutcomeCase("HTTP 405", 405, "", loud("CM answered HTTP 405 and the body is not a send response: CM send response "
                                          + "is not valid JSON: invalid JSON at byte 0: empty input", nil)),
    OutcomeCase("HTTP 301 redirect", 301, "",
                loud("CM answered HTTP 301 and the body is not a send response: CM send response is not valid JSON: "
                     + "invalid JSON at byte 0: empty input", nil)),
]

@Suite("CMSendOutcome classifies what CM answered")
struct SendOutcomeTests {
    @Test("the classification table", arguments: classification)
    func table(row: OutcomeCase) {
        #expect(CMSendOutcome(httpStatus: row.status, body: Array(row.body.utf8), reference: row.reference) == row.expected)
    }

    @Test("transport failures: timeouts and network errors retry, TLS and others fail loudly", arguments: [
        (CMSendTransportFailure.timeout, CMSendOutcome.retry(reason: "CM did not answer within the timeout")),
        (.network, .retry(reason: "CM could not be reached (network error)")),
        (.tls, .permanentFailure(reason: "the TLS connection to CM failed (handshake or certificate check)", code: nil,
                                 loud: true)),
        (.other, .permanentFailure(reason: "the request to CM failed before an answer", code: nil, loud: true)),
    ])
    func transport(failure: CMSendTransportFailure, expected: CMSendOutcome) {
        #expect(CMSendOutcome(transportFailure: failure) == expected)
    }

    @Test("every transport failure kind is classified")
    func transportExhaustive() {
        for failure in CMSendTransportFailure.allCases {
            switch CMSendOutcome(transportFailure: failure) {
            case .retry, .permanentFailure: break
            default: Issue.record("\(failure) classified as neither retry nor failure")
            }
        }
    }

    @Test("every top-level code of the table is handled as its row says, with the meaning as reason",
          arguments: CMSendErrorCode.table)
    func everyTopLevelCode(row: CMSendErrorCode) {
        let outcome = CMSendOutcome(httpStatus: 200, body: Array(response(row.code, [("ours", "Accepted", 0)]).utf8),
                                    reference: "ours")
        switch (row.handling, outcome) {
        case (.ok, .accepted), (.perMessage, .accepted):
            break
        case (.retry, .retry(let reason)), (.reject, .rejected(let reason, row.code?)):
            #expect(reason == "CM error \(row.code): \(row.meaning)")
        case (.failLoudly, .permanentFailure(let reason, row.code?, true)):
            #expect(reason == "CM error \(row.code): \(row.meaning)")
        default:
            Issue.record("code \(row.code) (\(row.handling)) classified as \(outcome)")
        }
    }

    @Test("every code as our message's messageErrorCode under 201", arguments: CMSendErrorCode.table)
    func everyMessageCode(row: CMSendErrorCode) {
        let outcome = CMSendOutcome(httpStatus: 400, body: Array(response(201, [("ours", "Rejected", row.code)]).utf8),
                                    reference: "ours")
        let reason = "CM rejected the message: CM error \(row.code): \(row.meaning)"
        switch (row.handling, outcome) {
        case (.ok, .rejected("CM rejected the message without an error code", nil)):
            break
        case (.perMessage, .rejected(reason, row.code?)), (.reject, .rejected(reason, row.code?)),
             (.retry, .retry(reason)), (.failLoudly, .permanentFailure(reason, row.code?, true)):
            break
        default:
            Issue.record("message code \(row.code) (\(row.handling)) classified as \(outcome)")
        }
    }

    @Test("seed 001's account-level codes are exactly the loud ones")
    func loudCodes() {
        let loud = CMSendErrorCode.table.filter { $0.handling == .failLoudly }.map(\.code)
        #expect(loud == [101, 102, 103, 202, 203, 301, 305])
        #expect(CMSendErrorCode.table.filter { $0.handling == .retry }.map(\.code) == [999, 500])
        #expect(CMSendErrorCode.table.map(\.code).count == 17)
        #expect(CMSendErrorCode.lookup(42) == nil)
    }

    @Test("reasons never quote CM's details, messageDetails or the recipient")
    func reasonsLeakNothing() {
        for row in classification {
            let outcome = CMSendOutcome(httpStatus: row.status, body: Array(row.body.utf8), reference: row.reference)
            let reason = outcome.reason ?? ""
            #expect(!reason.contains("0031612345678"), "\(row.name)")
            #expect(!reason.contains("0044791112345a"), "\(row.name)")
            #expect(!reason.contains("No account found"), "\(row.name)")
            #expect(!reason.contains("\n"), "\(row.name)")
        }
    }

    @Test("descriptions say what happens in one line", arguments: [
        (CMSendOutcome.accepted(parts: 1, details: nil), "accepted (1 part)"),
        (.accepted(parts: 2, details: nil), "accepted (2 parts)"),
        (.accepted(parts: nil, details: nil), "accepted"),
        (.retry(reason: "r"), "retry: r"),
        (.permanentFailure(reason: "r", code: 101, loud: true), "failed (operator action needed): r"),
        (.permanentFailure(reason: "r", code: nil, loud: false), "failed: r"),
        (.rejected(reason: "r", code: 303), "rejected: r"),
    ])
    func descriptions(outcome: CMSendOutcome, description: String) {
        #expect(outcome.description == description)
    }

    @Test("isLoud and code")
    func accessors() {
        #expect(CMSendOutcome.permanentFailure(reason: "r", code: 102, loud: true).isLoud)
        #expect(!CMSendOutcome.rejected(reason: "r", code: 303).isLoud)
        #expect(CMSendOutcome.rejected(reason: "r", code: 303).code == 303)
        #expect(CMSendOutcome.accepted(parts: 1, details: nil).code == nil)
        #expect(CMSendOutcome.accepted(parts: 1, details: nil).reason == nil)
    }

    @Test("a parse failure passed in as a Result is classified like the bytes")
    func resultInput() {
        let failure: Result<CMSendResponse, CMSendResponseError> = .failure(.missingErrorCode)
        #expect(CMSendOutcome(httpStatus: 200, response: failure, reference: "r") ==
            .permanentFailure(reason: "CM answered HTTP 200 but the body is not a send response: CM send response has no errorCode",
                              code: nil, loud: true))
        let success: Result<CMSendResponse, CMSendResponseError> = .success(CMSendResponse(errorCode: 0, messages: [
            .init(status: .accepted, reference: "r", parts: 1),
        ]))
        #expect(CMSendOutcome(httpStatus: 200, response: success, reference: "r") == .accepted(parts: 1, details: nil))
    }
}
