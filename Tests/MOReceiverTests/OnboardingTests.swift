import Foundation
import MOReceiver
import MOTestSupport
import Testing

/// What a new CM account does to the daemon on its first day: the test call CM makes when a webhook URL is
/// configured (seed 001: the URL must return 200 on it, or CM will not use it), payloads nobody can read, and the
/// methods CM's channel configuration allows (seed 004: 'POST', 'GET', 'PUT'). Issue 16, points 1 to 3.
@Suite("Onboarding: CM's test call, unreadable payloads and methods")
struct OnboardingTests {
    struct Call: Sendable, CustomTestStringConvertible {
        var method: String
        var path: String
        var body: String
        var testDescription: String { "\(method) \(path) \(body.debugDescription)" }

        init(_ method: String, _ path: String, _ body: String = "") {
            self.method = method
            self.path = path
            self.body = body
        }

        /// The request as bytes: a body (even an empty one) with its Content-Length, except for a GET.
        var bytes: [UInt8] {
            var head = "\(method) \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Forwarded-For: \(ReceiverHarness.cmClient)\r\n"
            if method != "GET" { head += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
            return Array((head + "\r\n").utf8) + (method == "GET" ? [] : Array(body.utf8))
        }
    }

    static let probes: [Call] = [
        Call("POST", "/cm/mo"), Call("POST", "/cm/status"), Call("POST", "/cm/events"),
        Call("POST", "/cm/mo", " \r\n"), Call("POST", "/cm/status", "{}"), Call("POST", "/cm/events", "[]"),
        Call("POST", "/cm/mo", "null"), Call("POST", "/cm/mo", "{ }"),
        Call("POST", "/cm/status", #"<?xml version="1.0"?><MESSAGES SENT="2026-12-07T10:00:00"/>"#),
        Call("POST", "/cm/status", "<MESSAGES></MESSAGES>"), Call("POST", "/cm/mo", "<MESSAGES/>"),
        Call("GET", "/cm/status"), Call("GET", "/cm/mo"), Call("GET", "/cm/events"), Call("GET", "/cm/status?"),
        Call("PUT", "/cm/mo", "{}"),
    ]

    @Test("a request without content from CM is a probe: 200, kept with outcome 'probe', no rows, no jobs, no quarantine",
          arguments: probes)
    func probe(_ call: Call) throws {
        let harness = try ReceiverHarness { config in
            config.handlers = [HandlerSpec(name: "log", type: "log")]
            config.routeEverything(to: ["log"])
        }
        let reply = try RawHTTPClient.send(port: harness.port, bytes: call.bytes)
        #expect(reply.status == 200, "\(reply.body)")
        #expect(fields(reply)["result"] as? String == "probe")
        let id = try #require(fields(reply)["id"] as? Int)
        let row = try harness.query("SELECT outcome, reason, method, body FROM webhook_requests WHERE id = \(Int64(id))")
        #expect(row.string(0, 0) == "probe")
        #expect(row.string(0, 1) == nil)
        #expect(row.string(0, 2) == call.method)
        // The bytes as received: for a GET, the query string (empty).
        #expect(row.bytes(0, 3) == (call.method == "GET" ? [] : Array(call.body.utf8)))
        #expect(try harness.count("inbound_messages") + harness.count("status_reports") + harness.count("events") == 0)
        #expect(try harness.count("jobs") == 0)
        // Deduplicated like any request: CM's second test call is the same row.
        let again = try RawHTTPClient.send(port: harness.port, bytes: call.bytes)
        #expect(again.status == 200)
        #expect(fields(again)["result"] as? String == "probe")
        #expect(fields(again)["id"] as? Int == id)
        #expect(try harness.query("SELECT count(*), max(seen_count) FROM webhook_requests").int(0, 1) == 2)
        #expect(!harness.logs.captured.contains { $0.contains("quarantined webhook request") })
    }

    @Test("probes are counted in /metrics and moctl status apart from the quarantine, which stays at zero")
    func probeCounted() throws {
        let harness = try ReceiverHarness()
        #expect(try harness.post("/cm/status", body: Array("{}".utf8)).status == 200)
        #expect(try harness.post("/cm/mo", body: []).status == 200)
        #expect(try harness.post("/cm/mo", body: []).status == 200)
        let admin = try #require(harness.receiver.adminPort)
        let metrics = try RawHTTPClient.get(port: admin, path: "/metrics").body
        for line in [
            "mo_receiver_ingest_requests_total{endpoint=\"status\",outcome=\"probe\"} 1",
            "mo_receiver_ingest_requests_total{endpoint=\"mo\",outcome=\"probe\"} 2",
            "mo_receiver_ingest_requests_total{endpoint=\"mo\",outcome=\"quarantined\"} 0",
            "mo_receiver_quarantined_last_24h 0",
        ] {
            #expect(metrics.contains(line), "missing: \(line)")
        }
        let config = try MOCtlTests.config(url: harness.databaseURL)
        let status = try runBuiltTool("moctl", ["status", "--config", config])
        #expect(status.status == 0, "\(status.output)")
        #expect(status.output.contains("probes (test calls):  2, last at "), "\(status.output)")
        #expect(status.output.contains("quarantined in 24 h:  0"), "\(status.output)")
        let json = try runBuiltTool("moctl", ["status", "--json", "--config", config])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(object["probes"] as? Int == 2)
        #expect(object["quarantined"] as? Int == 0)
        #expect(object["quarantined_24h"] as? Int == 0)
    }

    @Test("a payload nobody can read is answered 200 'quarantined' by default, so CM does not retry it for a month")
    func malformedDefault() throws {
        #expect(ReceiverConfig().ingest.malformedStatus == 200)
        let harness = try ReceiverHarness()
        let reply = try harness.post(body: Array(#"{"message":{"text":"no sender"}}"#.utf8))
        #expect(reply.status == 200)
        #expect(fields(reply)["result"] as? String == "quarantined")
        #expect((fields(reply)["reason"] as? String)?.isEmpty == false)
        #expect(try harness.query("SELECT outcome FROM webhook_requests").string(0, 0) == "quarantined")
        #expect(harness.logs.captured.contains { $0.contains("quarantined webhook request") })
        // Visible where an operator looks: the counter, the 24-hour gauge and moctl status.
        let admin = try #require(harness.receiver.adminPort)
        let metrics = try RawHTTPClient.get(port: admin, path: "/metrics").body
        #expect(metrics.contains("mo_receiver_ingest_requests_total{endpoint=\"mo\",outcome=\"quarantined\"} 1"))
        #expect(metrics.contains("mo_receiver_quarantined_last_24h 1"))
        let status = try runBuiltTool("moctl", ["status", "--config", try MOCtlTests.config(url: harness.databaseURL)])
        #expect(status.output.contains("quarantined in 24 h:  1  (answered 200"), "\(status.output)")
    }

    @Test("a GET with a query string on /cm/mo or /cm/events is kept raw in quarantine, not refused with 405",
          arguments: ["/cm/mo", "/cm/events"])
    func getWithQuery(path: String) throws {
        let harness = try ReceiverHarness()
        let query = "sender=0031612345678&message=hello&receiver=3197012345678"
        let reply = try RawHTTPClient.get(port: harness.port, path: "\(path)?\(query)",
                                          headers: [("X-Forwarded-For", ReceiverHarness.cmClient)])
        #expect(reply.status == 200, "\(reply.body)")
        #expect(fields(reply)["result"] as? String == "quarantined")
        #expect((fields(reply)["reason"] as? String)?.contains("a GET query string") == true)
        let row = try harness.query("SELECT outcome, method, body FROM webhook_requests")
        #expect(row.string(0, 0) == "quarantined")
        #expect(row.string(0, 1) == "GET")
        #expect(row.bytes(0, 2) == Array(query.utf8))
    }

    @Test("PUT delivers like POST (seed 004 lets an endpoint's method be PUT)")
    func put() throws {
        let harness = try ReceiverHarness()
        let reply = try RawHTTPClient.send(port: harness.port, bytes: Call("PUT", "/cm/mo", String(decoding: moBody(text: "hi"), as: UTF8.self)).bytes)
        #expect(reply.status == 200, "\(reply.body)")
        #expect(fields(reply)["result"] as? String == "stored")
        #expect(try harness.query("SELECT text FROM inbound_messages").string(0, 0) == "hi")
        #expect(try harness.query("SELECT method FROM webhook_requests").string(0, 0) == "PUT")
    }

    @Test("HEAD and OPTIONS on every endpoint are answered 200 with the methods served, and store nothing",
          arguments: ["HEAD", "OPTIONS"], ["/cm/mo", "/cm/status", "/cm/events"])
    func headAndOptions(method: String, path: String) throws {
        let harness = try ReceiverHarness()
        let reply = try RawHTTPClient.send(port: harness.port, bytes: Array(
            "\(method) \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Forwarded-For: \(ReceiverHarness.cmClient)\r\n\r\n".utf8))
        #expect(reply.status == 200)
        #expect(reply.headers["allow"] == "GET, HEAD, OPTIONS, POST, PUT")
        #expect(method == "OPTIONS" || reply.body.isEmpty, "HEAD has no body")
        #expect(harness.nothingStored)
        // Outside CM's ranges it is refused like any other method.
        let outside = try RawHTTPClient.send(port: harness.port, bytes: Array(
            "\(method) \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Forwarded-For: 10.1.2.3\r\n\r\n".utf8))
        #expect(outside.status == 403)
    }
}
