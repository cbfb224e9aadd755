import Foundation
import Logging
import MOPolicy
import MOReceiver
import MOTestSupport
import Testing

/// Checklist row 27 (and issue 9 item 5): personal data and secrets stay out of the logs at the default level.
@Suite("Hostile input: log hygiene (checklist row 27)")
struct LogHygieneTests {
    static let phone = "+31600012345"
    static let text = "CANARY-TEXT-q7Zx"
    static let token = "c4a4e1f0-7777-4d2a-9b1e-0c0ffee12345"
    static let pathToken = "CANARYPATHTOKEN0123456789"
    static let mediaSecret = "CANARY-URL-SIG-8k2p"

    /// Everything that would reveal a canary: the number in every spelling CM uses, its national digits, the text,
    /// both secrets, and the media URL's query.
    static let forbidden = [
        phone, "0031600012345", "31600012345", "600012345", "6000123", "0001234", "0012345",
        text, "CANARY-TEXT", token, "c4a4e1f0", "0c0ffee12345", pathToken, "CANARYPATH", mediaSecret, "CANARY-URL",
    ]

    @Test("MO, status report, event, auto-reply, media and refusals with canary number, text and tokens log none of them at the default level")
    func canariesStayOutOfTheLog() throws {
        let gateway = try FakeCMGateway(mode: .serverError, productToken: Self.token)
        let media = try FakeHTTPServer { request in
            switch request.path {
            case "/ok": .status(200, headers: [("Content-Type", "image/png")], body: png)
            default: .status(503, body: "busy: \(Self.text)")
            }
        }
        let defaultLevel = ReceiverConfig().log.loggerLevel
        #expect(defaultLevel == .info)
        let directory = NSTemporaryDirectory() + "mo-media-\(UUID().uuidString)"
        let harness = try ReceiverHarness(level: defaultLevel) { config in
            config.http.pathToken = Self.pathToken
            config.http.maxBodyBytes = 8_192
            config.cm.sendURL = gateway.url
            config.cm.allowHTTP = true
            config.cm.productToken = Array(Self.token.utf8)
            config.cm.timeoutMilliseconds = 2_000
            config.media.directory = directory
            config.media.allowedHosts = ["localhost"]
            config.media.allowHTTPForTests = true
            config.media.allowLoopbackForTests = true
            config.handlers = [
                HandlerSpec(name: "log", type: "log"),
                HandlerSpec(name: "auto", type: "auto_reply", maxAttempts: 5, settings: HandlerSettings([
                    "default_reply": .string("Thanks {name}, you wrote: {text}"),
                ])),
            ]
            config.routes = [try! Route(name: "everything", handlers: ["log", "auto"])]
        }
        let prefix = "/cm/\(Self.pathToken)"
        let now = ISO8601DateFormatter().string(from: Date())
        func mo(_ extra: String, media: String? = nil) -> [UInt8] {
            let mediaField = media.map {
                #","media":{"mediaUri":"\#($0)","contentType":"image/png","title":"\#(Self.text) \#(Self.phone).png"}"#
            } ?? ""
            return Array(#"{"from":{"number":"\#(Self.phone)","name":"\#(Self.text)"},"to":{"number":"+3197012345678"},"message":{"text":"\#(Self.text) call \#(Self.phone) \#(extra)"\#(mediaField)},"channel":"WhatsApp","timeUtc":"\#(now)","reference":"\#(Self.text)"}"#.utf8)
        }

        // An MO whose auto-reply first meets a CM 500 (retried), then is accepted.
        #expect(try harness.post("\(prefix)/mo", body: mo("first")).status == 200)
        #expect(gateway.waitForRequests(count: 1, timeout: .seconds(10)).count == 1)
        gateway.mode = .accepted
        #expect(gateway.waitForRequests(count: 2, timeout: .seconds(15)).count == 2)
        let sent = try #require(gateway.requests.last?.messages.first)
        #expect(sent.to == ["00" + Self.phone.dropFirst()], "sent as CM asks: 00 + country code")
        #expect(sent.content?.contains(Self.text) == true)
        // Media: one stored (the URL's query carries a secret), one refused for good, one that fails and retries.
        let host = "http://localhost:\(media.port)"
        #expect(try harness.post("\(prefix)/mo", body: mo("m1", media: "\(host)/ok?sig=\(Self.mediaSecret)")).status == 200)
        #expect(try harness.post("\(prefix)/mo", body: mo("m2", media: "https://evil.example/\(Self.phone)/\(Self.mediaSecret)?t=\(Self.text)")).status == 200)
        #expect(try harness.post("\(prefix)/mo", body: mo("m3", media: "\(host)/gone/\(Self.phone)?sig=\(Self.mediaSecret)")).status == 200)
        // Status reports: XML, JSON and GET, the canary number as recipient.
        let xml = "<MESSAGES><MSG><TO>\(Self.phone)</TO><REFERENCE>\(Self.text)</REFERENCE><STATUS><CODE>3</CODE><ERRORDESCRIPTION>\(Self.text)</ERRORDESCRIPTION></STATUS></MSG></MESSAGES>"
        #expect(try harness.post("\(prefix)/status", body: Array(xml.utf8), contentType: "text/xml").status == 200)
        let json = #"{"messages":{"msg":{"to":"\#(Self.phone)","reference":"\#(Self.text)","status":{"code":"2","errorDescription":"\#(Self.text)"}}}}"#
        #expect(try harness.post("\(prefix)/status", body: Array(json.utf8)).status == 200)
        let get = try RawHTTPClient.get(port: harness.port, path: "\(prefix)/status?reference=\(Self.text)&to=\(Self.phone.replacingOccurrences(of: "+", with: "%2B"))&statuscode=2",
                                        headers: [("X-Forwarded-For", ReceiverHarness.cmClient)])
        #expect(get.status == 200)
        // An event.
        let event = #"{"from":{"number":"\#(Self.phone)","name":"\#(Self.text)"},"to":{"number":"\#(Self.phone)"},"event":{"type":"\#(Self.text)"},"channel":"RCS"}"#
        #expect(try harness.post("\(prefix)/events", body: Array(event.utf8)).status == 200)
        // Malformed payloads (quarantined, logged as warnings), a refusal, a wrong token, a body over the limit.
        #expect(try harness.post("\(prefix)/mo", body: Array(#"{"from":{"number":"\#(Self.phone)"},"message":{"text":7},"x":"\#(Self.text)"}"#.utf8)).status == 200)
        #expect(try harness.post("\(prefix)/status", body: Array("<MESSAGES><MSG><TO>\(Self.phone)</TO>\(Self.text)".utf8)).status == 200)
        #expect(try harness.post("\(prefix)/mo", body: mo("refused"), forwardedFor: "6.6.6.6").status == 403)
        #expect(try harness.post("/cm/\(Self.pathToken)x/mo", body: mo("wrong token")).status == 404)
        // Over the limit while streaming (a declared length over it is answered from the headers, unlogged).
        let tooLarge = try RawHTTPClient.postChunked(port: harness.port, path: "\(prefix)/mo",
                                                     body: mo(String(repeating: "x", count: 10_000)), chunkSize: 1_000,
                                                     headers: [("X-Forwarded-For", ReceiverHarness.cmClient)])
        #expect(tooLarge.status == 413)

        // Let the queue work until every kind of traffic has left its line (so this test cannot pass by logging
        // nothing), then stop the daemon so no line is still being written.
        let redacted = Redactor(pii: false).phone(Self.phone)
        #expect(redacted == "+31******345")
        let expected = ["event received", "auto-reply decided", "message not sent; will retry", "message accepted by CM",
                        "media stored", "media refused for good", "media download failed", "quarantined webhook request",
                        "request refused by the trust boundary", "request body over the limit"]
        let complete = eventually(timeout: .seconds(30)) {
            let lines = harness.logs.captured
            return expected.allSatisfy { event in lines.contains { $0.contains(event) } }
                && lines.filter { $0.contains("event received") }.count >= 7
        }
        harness.receiver.shutdown(grace: .seconds(2))
        let lines = harness.logs.captured
        let missing = expected.filter { event in !lines.contains { $0.contains(event) } }
        #expect(complete, "not logged: \(missing); the log:\n\(lines.joined(separator: "\n"))")
        #expect(lines.contains { $0.contains("event received") && $0.contains("cm.from=\(redacted)") })
        #expect(lines.contains { $0.contains("event.kind=status") })
        #expect(lines.contains { $0.contains("event.kind=event") })
        // None of the lines carries a canary.
        for canary in Self.forbidden {
            let leaks = lines.filter { $0.lowercased().contains(canary.lowercased()) }
            #expect(leaks.isEmpty, "'\(canary)' leaked into:\n\(leaks.joined(separator: "\n"))")
        }
        // The data itself was stored: the canaries are where they belong, in the database.
        let stored = try harness.query("SELECT count(*) FROM inbound_messages WHERE from_number = \(Self.phone)").int(0, 0)
        #expect((stored ?? 0) >= 4)
    }
}
