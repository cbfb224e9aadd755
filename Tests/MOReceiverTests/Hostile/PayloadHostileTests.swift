import Foundation
import MOReceiver
import MOTestSupport
import Testing

/// Checklist rows 10–14: what a body from an allowed source may contain. Unit-level cases for the parsers live in
/// CMWebhookTests (HostileJSONTests, XMLHostileInputTests); these go through the real daemon into PostgreSQL.
@Suite("Hostile input: payloads from an allowed source (checklist rows 10-14)")
struct PayloadHostileTests {
    struct Payload: Sendable, CustomTestStringConvertible {
        var label: String
        var path: String
        var body: [UInt8]
        var testDescription: String { label }

        init(_ label: String, _ path: String, _ body: [UInt8]) {
            self.label = label
            self.path = path
            self.body = body
        }

        init(_ label: String, _ path: String, _ text: String) {
            self.init(label, path, Array(text.utf8))
        }
    }

    /// Posts a body that must be quarantined; checks the answer, the kept bytes, that nothing normalized was
    /// written, that a retry gets the same answer, and the time against `bound`.
    private static func expectQuarantined(_ harness: ReceiverHarness, _ payload: Payload, status: Int = 200,
                                          bound: Duration = Bound.answer) throws {
        let (reply, elapsed) = try timed { try harness.post(payload.path, body: payload.body, contentType: nil) }
        #expect(reply.status == status, "\(reply.body)")
        #expect(fields(reply)["result"] as? String == "quarantined")
        #expect(elapsed < bound, "\(elapsed) against a bound of \(bound)")
        let reason = try #require(fields(reply)["reason"] as? String)
        #expect(!reason.contains("\n"))
        let id = try #require(fields(reply)["id"] as? Int)
        let row = try harness.query("SELECT outcome, reason, body, seen_count FROM webhook_requests WHERE id = \(Int64(id))")
        #expect(row.string(0, 0) == "quarantined")
        #expect(row.string(0, 1) == reason)
        #expect(row.bytes(0, 2) == payload.body, "kept byte for byte")
        let normalized = try harness.query("""
            SELECT (SELECT count(*) FROM inbound_messages WHERE request_id = \(Int64(id)))
                 + (SELECT count(*) FROM status_reports WHERE request_id = \(Int64(id)))
                 + (SELECT count(*) FROM events WHERE request_id = \(Int64(id)))
            """)
        #expect(normalized.int(0, 0) == 0, "nothing normalized")
        #expect(try harness.query("SELECT count(*) FROM jobs WHERE args->>'request_id' = \(String(id))").int(0, 0) == 0)
        // Deterministic: CM's retry of the same bytes gets the same answer, never a 5xx.
        let again = try harness.post(payload.path, body: payload.body, contentType: nil)
        #expect(again.status == status)
        #expect(fields(again)["reason"] as? String == reason)
        #expect(fields(again)["id"] as? Int == id)
        #expect(try harness.query("SELECT seen_count FROM webhook_requests WHERE id = \(Int64(id))").int(0, 0) == 2)
    }

    static let invalidBodies: [Payload] = [
        Payload("MO: not JSON", "/cm/mo", "this is not json"),
        Payload("MO: truncated JSON", "/cm/mo", #"{"from":{"number":"+31600000001"}"#),
        Payload("MO: trailing garbage", "/cm/mo", #"{"from":{"number":"+31600000001"}}x"#),
        Payload("MO: legacy XML cut short", "/cm/mo", "<MESSAGES><MSG><SENDER>0031600000001"),
        Payload("status: XML cut short", "/cm/status", "<MESSAGES><MSG><REFERENCE>r"),
        Payload("status: mismatched tag", "/cm/status", "<MESSAGES><MSG></MESSAGES></MSG>"),
        Payload("status: JSON cut short", "/cm/status", #"{"messages":{"msg":"#),
        Payload("event: no type", "/cm/events", #"{"from":{"number":"+31600000001"},"event":{}}"#),
        Payload("event: not JSON", "/cm/events", "<event>"),
    ]

    @Test("row 10: invalid JSON or XML from a CM address is kept raw in quarantine with the configured status, and logged",
          arguments: invalidBodies)
    func invalidPayload(_ payload: Payload) throws {
        let harness = try ReceiverHarness()
        try Self.expectQuarantined(harness, payload)
        #expect(harness.logs.captured.contains { $0.contains("quarantined webhook request") })
        // With ingest.malformed_status = 400, CM retries and its portal shows the failure; the copy is kept the same.
        let loud = try ReceiverHarness { $0.ingest.malformedStatus = 400 }
        try Self.expectQuarantined(loud, payload, status: 400)
    }

    /// A file whose content must never show up anywhere: what an XXE would read.
    static let secretFile: String = {
        let path = NSTemporaryDirectory() + "mo-xxe-canary-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: path, contents: Data("XXE-FILE-CANARY-5150".utf8))
        return path
    }()

    static func entityAttacks(remote: String) -> [Payload] {
        let msg = #"<MSG><TO>&x;</TO><REFERENCE>r</REFERENCE><STATUS><CODE>2</CODE></STATUS></MSG>"#
        return [
            Payload("external entity (file)", "/cm/status",
                    #"<?xml version="1.0"?><!DOCTYPE MESSAGES [<!ENTITY x SYSTEM "file://\#(secretFile)">]><MESSAGES>\#(msg)</MESSAGES>"#),
            Payload("external entity (http)", "/cm/status",
                    #"<!DOCTYPE MESSAGES [<!ENTITY x SYSTEM "\#(remote)/entity">]><MESSAGES>\#(msg)</MESSAGES>"#),
            Payload("external DTD", "/cm/status",
                    #"<!DOCTYPE MESSAGES SYSTEM "\#(remote)/evil.dtd"><MESSAGES>\#(msg)</MESSAGES>"#),
            Payload("parameter entity", "/cm/status",
                    #"<!DOCTYPE MESSAGES [<!ENTITY % p SYSTEM "\#(remote)/p.dtd"> %p;]><MESSAGES>\#(msg)</MESSAGES>"#),
            Payload("billion laughs", "/cm/status", try! fixture("hostile/billion-laughs.xml")),
            Payload("quadratic blow-up", "/cm/status",
                    #"<!DOCTYPE MESSAGES [<!ENTITY x "\#(String(repeating: "A", count: 30_000))">]><MESSAGES><MSG><TO>\#(String(repeating: "&x;", count: 5_000))</TO></MSG></MESSAGES>"#),
            Payload("internal entity", "/cm/status", #"<!DOCTYPE MESSAGES [<!ENTITY x "0031600000001">]><MESSAGES>\#(msg)</MESSAGES>"#),
            Payload("lowercase doctype after the root", "/cm/status", try! fixture("hostile/doctype-lowercase.xml")),
            Payload("entity reference without a DTD", "/cm/status", try! fixture("hostile/entity-without-doctype.xml")),
            Payload("XInclude", "/cm/status",
                    #"<MESSAGES xmlns:xi="http://www.w3.org/2001/XInclude"><MSG><TO><xi:include href="file://\#(secretFile)" parse="text"/></TO><REFERENCE>r</REFERENCE></MSG><xi:include href="\#(remote)/xi"/></MESSAGES>"#),
            Payload("legacy MO with an external entity", "/cm/mo",
                    #"<!DOCTYPE MESSAGES [<!ENTITY x SYSTEM "file://\#(secretFile)">]><MESSAGES><MSG><SENDER>&x;</SENDER><MESSAGE>hi</MESSAGE></MSG></MESSAGES>"#),
        ]
    }

    @Test("row 11: XML with a DOCTYPE, entities or XInclude is quarantined at once; nothing is read, fetched or expanded",
          arguments: entityAttacks(remote: "http://127.0.0.1:9").indices)
    func entityAttack(index: Int) throws {
        let listener = try FakeHTTPServer { _ in .status(200, body: "XXE-HTTP-CANARY-5150") }
        let payload = Self.entityAttacks(remote: listener.url)[index]
        let harness = try ReceiverHarness { $0.http.maxBodyBytes = 1 << 20 }
        let baseline = try harness.baseline()
        try Self.expectQuarantined(harness, payload, bound: Bound.relative(to: baseline))
        #expect(listener.connectionsAccepted == 0, "the daemon fetched something")
        let everything = try harness.query("""
            SELECT coalesce(string_agg(s::text, ''), '') FROM status_reports s
            UNION ALL SELECT coalesce(string_agg(m::text, ''), '') FROM inbound_messages m
            UNION ALL SELECT coalesce(string_agg(reason, ''), '') FROM webhook_requests
            """)
        for row in 0..<everything.rowCount {
            #expect(everything.string(row, 0)?.contains("CANARY") == false)
        }
        // A parser that read the file or URL and reported it would leak it into a log line.
        #expect(!harness.logs.captured.contains { $0.contains("CANARY") })
    }

    static let deepOrLong: [Payload] = [
        Payload("XML nested 33 deep", "/cm/status",
                String(repeating: "<MESSAGES>", count: 33) + String(repeating: "</MESSAGES>", count: 33)),
        Payload("XML nested 100 000 deep", "/cm/status", String(repeating: "<a>", count: 100_000)),
        Payload("XML with 10 001 elements", "/cm/status",
                "<MESSAGES>" + String(repeating: "<MSG/>", count: 10_001) + "</MESSAGES>"),
        Payload("XML with 65 attributes", "/cm/status",
                "<MESSAGES><MSG " + (0..<65).map { "a\($0)=\"1\"" }.joined(separator: " ") + "/></MESSAGES>"),
        Payload("XML trailing junk", "/cm/status", try! fixture("hostile/trailing-junk.xml")),
        Payload("XML second root", "/cm/status", try! fixture("hostile/second-root.xml")),
        Payload("XML in UTF-16", "/cm/status", try! fixture("hostile/utf16.xml")),
        Payload("JSON nested 65 deep", "/cm/events",
                String(repeating: "[", count: 65) + String(repeating: "]", count: 65)),
        Payload("JSON nested 513 deep", "/cm/mo",
                #"{"from":{"number":"+31600000001"},"x":"# + String(repeating: "[", count: 513) + String(repeating: "]", count: 513) + "}"),
        Payload("JSON nested 100 000 deep", "/cm/status", String(repeating: #"{"a":"#, count: 100_000)),
    ]

    @Test("row 12 and 13: nesting, element and attribute floods, trailing junk stop at our limits: quarantined, quickly",
          arguments: deepOrLong)
    func limits(_ payload: Payload) throws {
        let harness = try ReceiverHarness { $0.http.maxBodyBytes = 1 << 20 }
        let baseline = try harness.baseline()
        try Self.expectQuarantined(harness, payload, bound: Bound.relative(to: baseline))
    }

    @Test("row 12: a 20 MB text node never reaches a parser: 413 from the declared length, nothing stored")
    func hugeText() throws {
        let harness = try ReceiverHarness { $0.http.maxBodyBytes = 256 * 1024 }
        let body = Array("<MESSAGES><MSG><REFERENCE>".utf8) + [UInt8](repeating: 0x41, count: 20 << 20)
            + Array("</REFERENCE></MSG></MESSAGES>".utf8)
        let (reply, elapsed) = try timed { try harness.post("/cm/status", body: body, contentType: "text/xml") }
        #expect(reply.status == 413)
        #expect(elapsed < Bound.answer)
        #expect(harness.nothingStored)
    }

    static func raw(_ parts: [UInt8]...) -> [UInt8] { parts.flatMap { $0 } }
    static func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

    static let invalidTexts: [Payload] = [
        Payload("lone high surrogate escape", "/cm/mo", moBody(text: "x").replacing(utf8("\"x\""), with: utf8(#""\ud800""#))),
        Payload("lone low surrogate escape", "/cm/events",
                #"{"from":{"number":"+31600000001"},"event":{"type":"T"},"x":"\udc00"}"#),
        Payload("duplicate key", "/cm/mo", #"{"from":{"number":"+31600000001"},"from":{"number":"+31600000002"}}"#),
        Payload("duplicate key by escape", "/cm/status", #"{"messages":{"msg":{"status":{"code":"2","\u0063ode":"3"}}}}"#),
        Payload("invalid UTF-8 byte", "/cm/mo", moBody(text: "x").replacing(utf8("\"x\""), with: raw(utf8("\""), [0xFF], utf8("\"")))),
        Payload("overlong UTF-8", "/cm/mo", moBody(text: "x").replacing(utf8("\"x\""), with: raw(utf8("\""), [0xC0, 0xAF], utf8("\"")))),
        Payload("UTF-8 encoded surrogate", "/cm/events",
                raw(utf8(#"{"from":{"number":"+31600000001"},"event":{"type":""#), [0xED, 0xA0, 0x80], utf8(#""}}"#))),
        Payload("above U+10FFFF", "/cm/mo", moBody(text: "x").replacing(utf8("\"x\""), with: raw(utf8("\""), [0xF4, 0x90, 0x80, 0x80], utf8("\"")))),
        Payload("truncated sequence", "/cm/mo", moBody(text: "x").replacing(utf8("\"x\""), with: raw(utf8("\""), [0xE2, 0x82], utf8("\"")))),
        Payload("raw NUL byte in a string", "/cm/mo", moBody(text: "x").replacing(utf8("\"x\""), with: raw(utf8("\"a"), [0x00], utf8("b\"")))),
        Payload("invalid UTF-8 in XML", "/cm/status",
                raw(utf8("<MESSAGES><MSG><REFERENCE>"), [0xC3, 0x28], utf8("</REFERENCE><STATUS><CODE>2</CODE></STATUS></MSG></MESSAGES>"))),
        Payload("NUL character reference in XML", "/cm/status", try! fixture("hostile/nul-reference.xml")),
    ]

    @Test("row 13: lone surrogates, duplicate keys, invalid UTF-8 and NUL bytes are stored raw and quarantined, the same way every time",
          arguments: invalidTexts)
    func invalidText(_ payload: Payload) throws {
        let harness = try ReceiverHarness()
        try Self.expectQuarantined(harness, payload)
    }

    @Test("row 13: \\u0000 is valid JSON: stored (200), raw bytes exact, U+FFFD in the text column, the same on a retry")
    func escapedNUL() throws {
        let harness = try ReceiverHarness()
        let body = Array(#"{"from":{"number":"+31600000001"},"message":{"text":"a\u0000b","custom":{"k":"\u0000"}},"channel":"SMS"}"#.utf8)
        let (reply, elapsed) = try timed { try harness.post(body: body) }
        #expect(reply.status == 200)
        #expect(elapsed < Bound.answer)
        #expect(try harness.onlyRequest().body == body)
        let row = try harness.query("SELECT text, custom::text FROM inbound_messages")
        #expect(row.string(0, 0) == "a\u{FFFD}b")
        #expect(row.string(0, 1) == #"{"k":"\u0000"}"#)
        let again = try harness.post(body: body)
        #expect(again.status == 200)
        #expect(fields(again)["result"] as? String == "duplicate")
    }

    @Test("row 13: a GET status report with %00 or percent-encoded invalid UTF-8 keeps its raw query and gets the same answer every time",
          arguments: [("reference=a%00b&statuscode=2", "a\u{FFFD}b"), ("reference=%FF%FE&statuscode=2", nil),
                      ("reference=%C0%AF&statuscode=2", nil), ("reference=%ED%A0%80&statuscode=2", nil),
                      ("reference=%&statuscode=2", nil), ("reference=%G1&statuscode=2", nil)])
    func hostileQuery(query: String, storedReference: String?) throws {
        let harness = try ReceiverHarness()
        let get = {
            try RawHTTPClient.get(port: harness.port, path: "/cm/status?\(query)",
                                  headers: [("X-Forwarded-For", ReceiverHarness.cmClient)])
        }
        let (reply, elapsed) = try timed { try get() }
        #expect(elapsed < Bound.answer)
        let row = try harness.onlyRequest()
        #expect(row.body == Array(query.utf8), "the raw query is kept")
        if let storedReference {
            // %00 decodes to NUL, which a text column cannot hold: U+FFFD there, the exact bytes in the raw row.
            #expect(reply.status == 200, "\(reply.body)")
            #expect(row.outcome == "stored")
            #expect(try harness.query("SELECT reference FROM status_reports").string(0, 0) == storedReference)
        } else {
            #expect(reply.status == 200, "\(reply.body)")
            #expect(fields(reply)["result"] as? String == "quarantined")
            #expect(row.outcome == "quarantined")
            #expect(try harness.count("status_reports") == 0)
        }
        let again = try get()
        #expect(again.status == reply.status)
        #expect(fields(again)["id"] as? Int == fields(reply)["id"] as? Int)
    }

    static let injections: [String] = [
        "'); DROP TABLE inbound_messages;--",
        "' OR '1'='1",
        "\"; DROP TABLE webhook_requests; --",
        "Robert'); DELETE FROM jobs WHERE ('1'='1",
        "$1 $2 %s %n %x {0} ${PATH} $(id) `id` ; rm -rf / | cat /etc/passwd && echo",
        "<script>alert(1)</script><img src=x onerror=alert(2)>",
        "%00%0d%0a%27%22 \\x00 \\u0000",
        "line one\r\nX-Injected: yes\r\n\r\nbody",
        "\u{202E}gnp.exe\u{202C} \u{200F}\u{200E}\u{2066}isolate\u{2069}",
        "😀👩‍👩‍👧‍👦🏳️‍🌈 𝄞 𠜎 \u{10FFFF}",
        "e\u{301} \u{FEFF}bom-in-the-middle \u{FFFD}",
        "\\\\server\\share\\..\\..\\",
        "\t tabs \u{7F} and DEL",
        String(repeating: "💥", count: 5_000),
    ]

    @Test("row 14: SQL, shell, HTML, CRLF, RTL marks, emoji and 4-byte UTF-8 round-trip byte-identically",
          arguments: injections.indices)
    func injection(index: Int) throws {
        let text = Self.injections[index]
        let harness = try ReceiverHarness()
        let body = moBody(text: text, name: text)
        let (reply, elapsed) = try timed { try harness.post(body: body) }
        #expect(reply.status == 200, "\(reply.body)")
        #expect(elapsed < Bound.answer)
        #expect(try harness.onlyRequest().body == body)
        let message = try harness.query("SELECT text, from_name, octet_length(text) FROM inbound_messages")
        #expect(message.string(0, 0) == text)
        #expect(message.string(0, 1) == text)
        #expect(message.int(0, 2) == text.utf8.count)
        // Retrievable by the same text as a bound parameter, and the schema is intact.
        #expect(try harness.query("SELECT count(*) FROM inbound_messages WHERE text = \(text)").int(0, 0) == 1)
        // The same text as a status report's reference, in JSON and (escaped) in XML.
        let json = Array(#"{"messages":{"msg":{"reference":\#(jsonQuoted(text)),"status":{"code":"2"}}}}"#.utf8)
        #expect(try harness.post("/cm/status", body: json).status == 200)
        let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: "\r", with: "&#13;")
        let xml = Array("<MESSAGES><MSG><REFERENCE>\(escaped)</REFERENCE><STATUS><CODE>3</CODE></STATUS></MSG></MESSAGES>".utf8)
        let xmlReply = try harness.post("/cm/status", body: xml, contentType: "text/xml")
        #expect(xmlReply.status == 200, "\(xmlReply.body)")
        let references = try harness.query("SELECT reference FROM status_reports ORDER BY id")
        #expect(references.rowCount == 2)
        #expect(references.string(0, 0) == text)
        #expect(references.string(1, 0) == text.trimmingCharacters(in: CharacterSet(charactersIn: " \t\r\n")),
                "XML values are trimmed of surrounding blanks (pretty-printed reports), nothing else")
        // The schema is intact: no string above dropped or renamed a table.
        for table in ["inbound_messages", "webhook_requests", "status_reports", "jobs"] {
            #expect(try harness.query("SELECT to_regclass(\(table)::text) IS NOT NULL").bool(0, 0) == true)
        }
    }
}

extension Array where Element == UInt8 {
    /// A copy with the first occurrence of `pattern` replaced.
    func replacing(_ pattern: [UInt8], with replacement: [UInt8]) -> [UInt8] {
        guard let start = indices.first(where: { self[$0...].starts(with: pattern) }) else { return self }
        return Array(self[..<start]) + replacement + Array(self[(start + pattern.count)...])
    }
}
