import Curl
import MOTestSupport
import Testing

/// The body CMSendRequest writes for a typical auto-reply (its exact-bytes test in CMWebhookTests pins the same
/// text), so these round trips exercise the fake with what the daemon sends.
private let typicalBody = #"{"messages":{"msg":[{"from":"0031850000000","to":[{"number":"0031612345678"}],"#
    + #""body":{"type":"auto","content":"Thanks, we got your message"},"reference":"mr7Hq2Xv9KpL0aZ3bN5cW1","#
    + #""allowedChannels":["WhatsApp"],"customGrouping3":"mo-receiver"}]}}"#

private let typicalMessage = FakeCMGateway.Message(
    from: "0031850000000", to: ["0031612345678"], content: "Thanks, we got your message", bodyType: "auto",
    reference: "mr7Hq2Xv9KpL0aZ3bN5cW1", allowedChannels: ["WhatsApp"], customGrouping3: "mo-receiver"
)

/// POSTs `body` to the gateway as the daemon would: JSON content type, the token in the header unless nil.
private func send(_ gateway: FakeCMGateway, _ body: String = typicalBody, token: String? = "token-123",
                  method: String = "POST", url: String? = nil, timeout: Duration = .seconds(10)) throws -> HTTPClientResponse {
    var headers: [(name: String, value: String)] = [("Content-Type", "application/json; charset=utf-8")]
    if let token { headers.append(("X-CM-PRODUCTTOKEN", token)) }
    let request = HTTPClientRequest(method: method, url: url ?? gateway.url, headers: headers, body: Array(body.utf8),
                                    connectTimeout: .seconds(5), timeout: timeout, allowedProtocols: ["http"])
    return try CurlEasy().perform(request)
}

private func text(_ response: HTTPClientResponse) -> String {
    String(decoding: response.body, as: UTF8.self)
}

@Suite("FakeCMGateway answers like CM's send endpoint and records what it got")
struct FakeCMGatewayTests {
    @Test("accepted: each recipient echoed as Accepted with parts 1, errorCode 0, and the request recorded")
    func accepted() throws {
        let gateway = try FakeCMGateway()
        defer { gateway.stop() }
        #expect(gateway.url.hasSuffix("/v1.0/message"))
        let response = try send(gateway)
        #expect(response.status == 200)
        #expect(response.value(of: "Content-Type") == "application/json; charset=utf-8")
        #expect(text(response) == #"{"details":"Created 1 message(s)","errorCode":0,"messages":[{"messageDetails":null,"#
            + #""messageErrorCode":0,"parts":1,"reference":"mr7Hq2Xv9KpL0aZ3bN5cW1","status":"Accepted","#
            + #""to":"0031612345678"}]}"#)

        let request = try #require(gateway.waitForRequests(count: 1).first)
        #expect(request.messages == [typicalMessage])
        #expect(request.productTokenHeader == "token-123")
        #expect(request.productTokenInBody == nil)
        #expect(request.productToken == "token-123")
        #expect(request.parseProblem == nil)
        #expect(request.body == Array(typicalBody.utf8))
        #expect(request.http.method == "POST")
        #expect(request.headers.contains { $0.name == "Content-Type" && $0.value == "application/json; charset=utf-8" })
    }

    @Test("the token may come in the body, with keys in any case (seed 001 writes producttoken)")
    func tokenInBody() throws {
        let gateway = try FakeCMGateway(productToken: "00000000-0000-0000-0000-000000000000")
        defer { gateway.stop() }
        let body = #"{"MESSAGES":{"authentication":{"producttoken":"00000000-0000-0000-0000-000000000000"},"#
            + #""Msg":[{"From":"SenderName","TO":[{"Number":"00447911123456"}],"body":{"type":"auto","content":"Test message"}}]}}"#
        let response = try send(gateway, body, token: nil)
        #expect(response.status == 200)
        let request = try #require(gateway.requests.first)
        #expect(request.productTokenInBody == "00000000-0000-0000-0000-000000000000")
        #expect(request.productTokenHeader == nil)
        #expect(request.messages == [.init(from: "SenderName", to: ["00447911123456"], content: "Test message",
                                           bodyType: "auto")])
        #expect(text(response).contains(#""reference":null"#))
    }

    @Test("several msg and recipients get one entry each, counted in details")
    func severalRecipients() throws {
        let gateway = try FakeCMGateway()
        defer { gateway.stop() }
        let body = #"{"messages":{"msg":[{"from":"A","to":[{"number":"001"},{"number":"002"}],"#
            + #""body":{"type":"auto","content":"x"},"reference":"r1"},{"from":"B","to":[{"number":"003"}],"#
            + #""body":{"type":"auto","content":"y"},"reference":"r2"}]}}"#
        let response = try send(gateway, body)
        #expect(text(response).hasPrefix(#"{"details":"Created 3 message(s)","errorCode":0,"#))
        #expect(gateway.requests.first?.messages.map(\.to) == [["001", "002"], ["003"]])
    }

    @Test("partialFailure alone: our message Rejected with its code, errorCode 201, HTTP 400 as none was accepted")
    func partialFailureAlone() throws {
        let gateway = try FakeCMGateway(mode: .partialFailure(messageErrorCode: 303, messageDetails: "Rejected: Gsm is not a number."))
        defer { gateway.stop() }
        let response = try send(gateway)
        #expect(response.status == 400)
        #expect(text(response) == #"{"details":"Created 0 message(s)","errorCode":201,"messages":[{"#
            + #""messageDetails":"Rejected: Gsm is not a number.","messageErrorCode":303,"parts":0,"#
            + #""reference":"mr7Hq2Xv9KpL0aZ3bN5cW1","status":"Rejected","to":"0031612345678"}]}"#)
    }

    @Test("partialFailure with a second msg: ours rejected (304 by default), the other accepted, HTTP 200")
    func partialFailureMixed() throws {
        let gateway = try FakeCMGateway(mode: .partialFailure())
        defer { gateway.stop() }
        let body = #"{"messages":{"msg":[{"from":"A","to":[{"number":"001"}],"body":{"type":"auto","content":""},"#
            + #""reference":"ours"},{"from":"A","to":[{"number":"002"}],"body":{"type":"auto","content":"y"},"reference":"other"}]}}"#
        let response = try send(gateway, body)
        #expect(response.status == 200)
        #expect(text(response) == #"{"details":"Created 1 message(s)","errorCode":201,"messages":[{"#
            + #""messageDetails":"A body without content was found","messageErrorCode":304,"parts":0,"reference":"ours","#
            + #""status":"Rejected","to":"001"},{"messageDetails":null,"messageErrorCode":0,"parts":1,"reference":"other","#
            + #""status":"Accepted","to":"002"}]}"#)
    }

    @Test("authenticationFailure: HTTP 400, errorCode 101, no messages")
    func authenticationFailure() throws {
        let gateway = try FakeCMGateway(mode: .authenticationFailure)
        defer { gateway.stop() }
        let response = try send(gateway)
        #expect(response.status == 400)
        #expect(text(response) == #"{"details":"No account found for the given authentication","errorCode":101,"messages":[]}"#)
        #expect(gateway.requests.count == 1)
    }

    @Test("a gateway given a token refuses any other, or none, as authentication failures")
    func tokenChecked() throws {
        let gateway = try FakeCMGateway(productToken: "right")
        defer { gateway.stop() }
        #expect(try send(gateway, token: "wrong").status == 400)
        #expect(try send(gateway, token: nil).status == 400)
        #expect(try send(gateway, token: "right").status == 200)
        #expect(gateway.requests.map(\.productToken) == ["wrong", nil, "right"])
    }

    @Test("serverError: HTTP 500 with CM's Unknown Error")
    func serverError() throws {
        let gateway = try FakeCMGateway(mode: .serverError)
        defer { gateway.stop() }
        let response = try send(gateway)
        #expect(response.status == 500)
        #expect(text(response) == #"{"details":"Unknown Error","errorCode":999,"messages":[]}"#)
    }

    @Test("timeout: the request is recorded and never answered, so the client times out")
    func timeout() throws {
        let gateway = try FakeCMGateway(mode: .timeout)
        defer { gateway.stop() }
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try send(gateway, timeout: .milliseconds(300))
            Issue.record("expected a timeout")
        } catch let error as CurlError {
            #expect(error.kind == .timeout)
        }
        #expect(clock.now - start < .seconds(5))
        #expect(gateway.waitForRequests(count: 1).count == 1)
    }

    @Test("delayed: the answer comes after the pause")
    func delayed() throws {
        let gateway = try FakeCMGateway(mode: .delayed(milliseconds: 300, .accepted))
        defer { gateway.stop() }
        let clock = ContinuousClock()
        let start = clock.now
        #expect(try send(gateway).status == 200)
        #expect(clock.now - start >= .milliseconds(300))
    }

    @Test("custom answers exactly, and the mode can change between requests")
    func customAndSwitch() throws {
        let gateway = try FakeCMGateway()
        defer { gateway.stop() }
        #expect(try send(gateway).status == 200)
        gateway.mode = .custom(status: 200, body: "<html>captive portal</html>")
        #expect(gateway.mode == .custom(status: 200, body: "<html>captive portal</html>"))
        let portal = try send(gateway)
        #expect(portal.status == 200)
        #expect(text(portal) == "<html>captive portal</html>")
        gateway.mode = .serverError
        #expect(try send(gateway).status == 500)
        #expect(gateway.waitForRequests(count: 3).count == 3)
    }

    @Test("a body that is not a send request gets CM's 400 and is recorded with the problem", arguments: [
        ("not json", 202, "Invalid JSON", "the body is not a JSON object"),
        (#"{"messages":{}}"#, 203, "A MESSAGES object requires at least one MSG object", "the body has no messages.msg array"),
        (#"{"messages":{"msg":[]}}"#, 203, "A MESSAGES object requires at least one MSG object", "the body has no messages.msg array"),
    ])
    func badBodies(body: String, code: Int, details: String, problem: String) throws {
        let gateway = try FakeCMGateway()
        defer { gateway.stop() }
        let response = try send(gateway, body)
        #expect(response.status == 400)
        #expect(text(response) == #"{"details":"\#(details)","errorCode":\#(code),"messages":[]}"#)
        let request = try #require(gateway.requests.first)
        #expect(request.parseProblem == problem)
        #expect(request.messages.isEmpty)
    }

    @Test("only POST to /v1.0/message is served")
    func methodAndPath() throws {
        let gateway = try FakeCMGateway()
        defer { gateway.stop() }
        #expect(try send(gateway, "", method: "GET").status == 405)
        #expect(try send(gateway, url: String(gateway.url.dropLast(FakeCMGateway.path.count)) + "/other").status == 404)
    }

    @Test("waitForRequests returns what arrived when the count is not reached; stop is safe twice")
    func waitAndStop() throws {
        let gateway = try FakeCMGateway()
        let clock = ContinuousClock()
        let start = clock.now
        #expect(gateway.waitForRequests(count: 1, timeout: .milliseconds(100)).isEmpty)
        #expect(clock.now - start >= .milliseconds(100))
        gateway.stop()
        gateway.stop()
    }
}
