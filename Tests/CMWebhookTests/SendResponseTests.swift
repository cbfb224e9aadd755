import CMWebhook
import Testing

/// Seed 000: "If all goes well".
let seedAccepted = """
    {
    "details": "Created 1 message(s)",
    "errorCode": 0,
    "messages": [
    {
    "to": "00447911123456",
    "status": "Accepted",
    "reference": "my_reference_123",
    "parts": 1,
    "messageDetails": null,
    "messageErrorCode": 0
    }
    ]
    }
    """

/// Seed 000: an unknown product token (HTTP 400).
let seedAuthenticationFailure = """
    {
    "details": "No account found for the given authentication/credentials",
    "errorCode": 101,
    "messages": []
    }
    """

/// Seed 001: "Incorrect msg and a correct message" (HTTP 200), its `//` comments removed.
let seedPartial = """
    {
    "details": "Created 1 message(s)",
    "errorCode": 201,
    "messages": [
    {
    "to": "00447911123456",
    "status": "Accepted",
    "reference": "your_reference_A",
    "parts": 1,
    "messageDetails": null,
    "messageErrorCode": 0
    },
    {
    "to": "00447911123457",
    "status": "Rejected",
    "reference": "your_reference_B",
    "parts": 0,
    "messageDetails": "A body without content was found",
    "messageErrorCode": 304
    }
    ]
    }
    """

/// Seed 001: "All incorrect" (HTTP 400), its `//` comments removed.
let seedAllIncorrect = """
    {
    "details": "Created 0 message(s)",
    "errorCode": 201,
    "messages": [
    {
    "to": "0044791112345a",
    "status": "Rejected",
    "reference": "your_reference_A",
    "parts": 0,
    "messageDetails": "Gsm '0044791112345a' is not a number.",
    "messageErrorCode": 303
    },
    {
    "to": "00447911123456",
    "status": "Rejected",
    "reference": null,
    "parts": 0,
    "messageDetails": "A body without content was found",
    "messageErrorCode": 304
    }
    ]
    }
    """

/// The shape of older responses (cmdotcom-plugins/messaging-php mocks): no messageErrorCode.
let olderAccepted = #"{"details":"Created 1 message(s)","errorCode":0,"messages":[{"to":"0031612345678","#
    + #""status":"Accepted","reference":"ref1","parts":1,"messageDetails":null}]}"#

private func parse(_ text: String) throws(CMSendResponseError) -> CMSendResponse {
    try CMSendResponse(json: Array(text.utf8))
}

@Suite("CMSendResponse reads CM's send API answers")
struct SendResponseTests {
    @Test("seed 000's accepted example")
    func seedAcceptedExample() throws {
        let response = try parse(seedAccepted)
        #expect(response == CMSendResponse(errorCode: 0, details: "Created 1 message(s)", messages: [
            .init(to: "00447911123456", status: .accepted, reference: "my_reference_123", parts: 1,
                  messageDetails: nil, messageErrorCode: 0),
        ]))
    }

    @Test("seed 000's authentication failure: errorCode 101 and no messages")
    func seedAuthenticationExample() throws {
        let response = try parse(seedAuthenticationFailure)
        #expect(response.errorCode == 101)
        #expect(response.details == "No account found for the given authentication/credentials")
        #expect(response.messages.isEmpty)
    }

    @Test("seed 001's partial failure: one entry accepted, one rejected with its code and details")
    func seedPartialExample() throws {
        let response = try parse(seedPartial)
        #expect(response.errorCode == 201)
        #expect(response.messages == [
            .init(to: "00447911123456", status: .accepted, reference: "your_reference_A", parts: 1,
                  messageDetails: nil, messageErrorCode: 0),
            .init(to: "00447911123457", status: .rejected, reference: "your_reference_B", parts: 0,
                  messageDetails: "A body without content was found", messageErrorCode: 304),
        ])
    }

    @Test("seed 001's all-incorrect example: a null reference is nil")
    func seedAllIncorrectExample() throws {
        let response = try parse(seedAllIncorrect)
        #expect(response.errorCode == 201)
        #expect(response.messages.map(\.messageErrorCode) == [303, 304])
        #expect(response.messages.map(\.reference) == ["your_reference_A", nil])
        #expect(response.messages.allSatisfy { $0.status == .rejected && $0.parts == 0 })
    }

    @Test("an older response without messageErrorCode has it nil")
    func olderResponse() throws {
        let response = try parse(olderAccepted)
        #expect(response.messages.first?.messageErrorCode == nil)
        #expect(response.messages.first?.status == .accepted)
    }

    @Test("every code of seed 001's table reads back as a number or a string", arguments: CMSendErrorCode.table)
    func everyCode(row: CMSendErrorCode) throws {
        #expect(try parse(#"{"errorCode":\#(row.code),"details":"x","messages":[]}"#).errorCode == row.code)
        #expect(try parse(#"{"errorCode":"\#(row.code)","details":"x","messages":[]}"#).errorCode == row.code)
    }

    @Test("keys match in any letter case; unknown keys are ignored")
    func caseInsensitiveKeys() throws {
        let response = try parse(#"{"ERRORCODE":201,"Details":"d","extra":{"x":[1]},"Messages":[{"TO":"1","#
            + #""Status":"REJECTED","REFERENCE":"r","Parts":"0","MessageDetails":"m","messageerrorcode":"303","#
            + #""channel":"SMS"}]}"#)
        #expect(response == CMSendResponse(errorCode: 201, details: "d", messages: [
            .init(to: "1", status: .rejected, reference: "r", parts: 0, messageDetails: "m", messageErrorCode: 303),
        ]))
    }

    @Test("status is Accepted or Rejected in any case, anything else kept as sent", arguments: [
        ("Accepted", CMSendResponse.Message.Status.accepted), ("accepted", .accepted), ("ACCEPTED", .accepted),
        ("Rejected", .rejected), ("rejected", .rejected), ("rEjEcTeD", .rejected), ("Queued", .other("Queued")),
        ("Accepted ", .other("Accepted ")),
    ])
    func statuses(text: String, status: CMSendResponse.Message.Status) throws {
        let response = try parse(#"{"errorCode":0,"messages":[{"status":"\#(text)"}]}"#)
        #expect(response.messages.first?.status == status)
    }

    @Test("numbers may be strings of digits with blanks; null and empty strings are absent")
    func lenientNumbers() throws {
        let response = try parse(#"{"errorCode":" 0 ","messages":[{"parts":null,"messageErrorCode":"","status":"","#
            + #""reference":"","to":31612345678}]}"#)
        #expect(response.errorCode == 0)
        #expect(response.messages == [.init(to: "31612345678")])
    }

    @Test("absent or null messages is an empty list; details may be absent")
    func absentMessages() throws {
        #expect(try parse(#"{"errorCode":0}"#) == CMSendResponse(errorCode: 0))
        #expect(try parse(#"{"errorCode":0,"messages":null,"details":null}"#) == CMSendResponse(errorCode: 0))
    }

    @Test("a body that is not a send response is an error naming the problem", arguments: [
        ("<html><body>502 Bad Gateway</body></html>", "CM send response is not valid JSON: invalid JSON at byte 0: unexpected character"),
        ("", "CM send response is not valid JSON: invalid JSON at byte 0: empty input"),
        ("[]", "CM send response is not a JSON object (found array)"),
        (#"{"details":"Created 1 message(s)","messages":[]}"#, "CM send response has no errorCode"),
        (#"{"errorCode":null}"#, "CM send response has no errorCode"),
        (#"{"errorCode":""}"#, "CM send response has no errorCode"),
        (#"{"errorCode":true}"#, "CM send response field errorCode is a boolean, expected integer"),
        (#"{"errorCode":"abc"}"#, "CM send response field errorCode is not an integer"),
        (#"{"errorCode":1.5}"#, "CM send response field errorCode is not an integer"),
        (#"{"errorCode":99999999999999999999}"#, "CM send response field errorCode is not an integer"),
        (#"{"errorCode":0,"ErrorCode":1}"#, "CM send response field errorCode is given more than once in different letter case"),
        (#"{"errorCode":0,"messages":{}}"#, "CM send response field messages is an object, expected array"),
        (#"{"errorCode":0,"messages":["x"]}"#, "CM send response field messages[1] is a string, expected object"),
        (#"{"errorCode":0,"messages":[{},{"parts":"one"}]}"#, "CM send response field messages[2].parts is not an integer"),
        (#"{"errorCode":0,"messages":[{"status":true}]}"#, "CM send response field messages[1].status is a boolean, expected string"),
        (#"{"errorCode":0,"details":[]}"#, "CM send response field details is an array, expected string"),
    ])
    func notASendResponse(body: String, description: String) {
        do {
            _ = try parse(body)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == description)
        }
    }

    @Test("error descriptions are one line and never echo the body")
    func errorsLeakNothing() {
        for body in ["secret-token\n{", #"{"errorCode":"secret-token"}"#, #"{"errorCode":0,"messages":[{"to":{"secret-token":1}}]}"#] {
            do {
                _ = try parse(body)
                Issue.record("expected an error")
            } catch {
                #expect(!error.description.contains("secret"))
                #expect(!error.description.contains("\n"))
            }
        }
    }
}
