import Foundation
import MOReceiver
import MOTestSupport
import Testing

/// Checklist rows 5, 7, 8, 9: how requests arrive (size, speed, method, path, content type, repetition).
@Suite("Hostile input: sizes, slow clients, methods and paths, duplicates (checklist rows 5, 7-9)")
struct RequestLimitHostileTests {
    static let limit = 4_096
    static let cm = ("X-Forwarded-For", ReceiverHarness.cmClient)

    @Test("row 5: a declared Content-Length over the limit is a 413 as soon as the headers arrive, and the connection is closed")
    func tooLargeDeclared() throws {
        let harness = try ReceiverHarness { $0.http.maxBodyBytes = Self.limit }
        let connection = try RawConnection(port: harness.port)
        // Headers only: the 20 MB body never comes, so an answer proves the body was not waited for.
        connection.write("POST /cm/mo HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: \(ReceiverHarness.cmClient)\r\n"
                         + "Content-Type: application/json\r\nContent-Length: \(20 << 20)\r\n\r\n")
        let (answer, elapsed) = timed { connection.readToClose(timeout: .seconds(10)) }
        #expect(RawConnection.status(of: answer.bytes) == 413)
        #expect(answer.closed)
        #expect(elapsed < Bound.answer)
        #expect(harness.nothingStored)
    }

    @Test("row 5: exactly the limit is stored, one byte more is a 413", arguments: [0, 1])
    func limitEdge(extra: Int) throws {
        let harness = try ReceiverHarness { $0.http.maxBodyBytes = Self.limit }
        let prefix = moBody(text: "edge")
        // Pad with JSON whitespace up to the limit (+ extra): still one valid MO.
        let body = prefix + [UInt8](repeating: 0x20, count: Self.limit - prefix.count + extra)
        let (reply, elapsed) = try timed { try harness.post(body: body) }
        #expect(elapsed < Bound.answer)
        if extra == 0 {
            #expect(reply.status == 200)
            #expect(try harness.onlyRequest().body == body)
        } else {
            #expect(reply.status == 413)
            #expect(harness.nothingStored)
        }
    }

    @Test("row 5: a chunked body growing past the limit is a 413; one that keeps coming is cut off long before its end")
    func tooLargeChunked() throws {
        let harness = try ReceiverHarness { $0.http.maxBodyBytes = Self.limit }
        let (small, smallElapsed) = try timed {
            try RawHTTPClient.postChunked(port: harness.port, path: "/cm/mo", body: [UInt8](repeating: 0x20, count: 3 * Self.limit),
                                          chunkSize: 1_000, headers: [Self.cm])
        }
        #expect(small.status == 413)
        #expect(smallElapsed < Bound.answer)
        // 64 MiB in chunks: the daemon stops reading at 4 × limit + 1 MiB and closes, so the client cannot write it
        // all (the rest would only fill kernel buffers); nothing is buffered in the daemon beyond the limit.
        let connection = try RawConnection(port: harness.port)
        connection.write("POST /cm/mo HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: \(ReceiverHarness.cmClient)\r\n"
                         + "Transfer-Encoding: chunked\r\n\r\n")
        let chunk = Array("10000\r\n".utf8) + [UInt8](repeating: 0x20, count: 0x10000) + Array("\r\n".utf8)
        var written = 0
        let (_, streamElapsed) = timed {
            for _ in 0..<1_024 {
                let count = connection.write(chunk, timeout: 5)
                written += count
                if count < chunk.count { break }
            }
        }
        #expect(written < 32 << 20, "the daemon read \(written) bytes of a body over its limit")
        #expect(streamElapsed < .seconds(20))
        #expect(harness.nothingStored)
        #expect(try harness.stillServes())
    }

    @Test("row 5: a Content-Length that is not a number is a 400, one too large for 64 bits a 413; nothing stored",
          arguments: [("-1", 400), ("12abc", 400), ("0x10", 400), ("99999999999999999999999", 413)])
    func badContentLength(value: String, expected: Int) throws {
        let harness = try ReceiverHarness()
        let connection = try RawConnection(port: harness.port)
        connection.write("POST /cm/mo HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: \(ReceiverHarness.cmClient)\r\n"
                         + "Content-Length: \(value)\r\n\r\n{}")
        let (answer, elapsed) = timed { connection.readToClose(timeout: .seconds(10)) }
        let status = RawConnection.status(of: answer.bytes)
        #expect(status == expected, "\(String(decoding: answer.bytes, as: UTF8.self))")
        #expect(answer.closed)
        #expect(elapsed < Bound.answer)
        #expect(harness.nothingStored)
    }

    static let timeoutSeconds = 2

    enum Stall: String, CaseIterable, Sendable {
        case silent = "connects and sends nothing"
        case partialHeaders = "stops in the middle of the headers"
        case partialBody = "stops in the middle of the body"
    }

    @Test("row 7: a slow client is closed after the inactivity timeout, nothing is stored, and others are served meanwhile",
          arguments: Stall.allCases)
    func slowClient(stall: Stall) throws {
        let harness = try ReceiverHarness { $0.http.connectionTimeoutSeconds = Self.timeoutSeconds }
        let head = "POST /cm/mo HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: \(ReceiverHarness.cmClient)\r\nContent-Length: 500\r\n"
        let stalled = try (0..<20).map { _ in
            let connection = try RawConnection(port: harness.port)
            switch stall {
            case .silent: break
            case .partialHeaders: connection.write(String(head.prefix(40)))
            case .partialBody: connection.write(head + "\r\n" + #"{"from":{"number":"+3160"#)
            }
            return connection
        }
        let started = ContinuousClock.now
        // Twenty stalled connections do not keep a legitimate request waiting.
        let (served, servedElapsed) = try timed { try harness.stillServes() }
        #expect(served)
        #expect(servedElapsed < Bound.answer)
        // Each stalled connection is closed by the daemon after the timeout (plus libmicrohttpd's poll granularity).
        for connection in stalled {
            let answer = connection.readToClose(timeout: .seconds(Self.timeoutSeconds + 8))
            #expect(answer.closed)
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .seconds(Self.timeoutSeconds) - .milliseconds(500), "closed before the timeout: \(elapsed)")
        #expect(elapsed < .seconds(Self.timeoutSeconds + 8))
        #expect(try harness.count("webhook_requests") == 1)  // the legitimate one only
    }

    @Test("row 7: at the connection limit a further connection waits in the backlog until the slow ones time out, then is served")
    func connectionLimit() throws {
        let harness = try ReceiverHarness { config in
            config.http.connectionTimeoutSeconds = Self.timeoutSeconds
            config.http.connectionLimit = 4
            // One listener thread: libmicrohttpd splits the limit between pool threads, so with two the
            // connections would not all count against the same share.
            config.http.threads = 1
        }
        let held = try (0..<4).map { _ in try RawConnection(port: harness.port) }
        let started = ContinuousClock.now
        Thread.sleep(forTimeInterval: 0.3)  // let the listener accept them
        // The fifth is accepted by the kernel, but libmicrohttpd stops accepting at its limit: no answer yet ...
        let extra = try RawConnection(port: harness.port)
        extra.write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        // ... until the slow ones are closed by the inactivity timeout; then it is served.
        let answer = extra.readToClose(timeout: .seconds(Self.timeoutSeconds + 8))
        let elapsed = ContinuousClock.now - started
        #expect(RawConnection.status(of: answer.bytes) == 200)
        #expect(elapsed >= .seconds(Self.timeoutSeconds) - .milliseconds(500), "answered while the limit was reached: \(elapsed)")
        #expect(elapsed < .seconds(Self.timeoutSeconds + 8))
        for connection in held { #expect(connection.readToClose(timeout: .seconds(Self.timeoutSeconds + 8)).closed) }
        #expect(harness.nothingStored)
    }

    @Test("row 8: a wrong method is a 405 naming the allowed ones; nothing stored",
          arguments: [("DELETE", "/cm/mo"), ("PATCH", "/cm/events"), ("TRACE", "/cm/status"), ("PROPFIND", "/cm/mo"),
                      ("BREW", "/cm/mo")])
    func wrongMethod(method: String, path: String) throws {
        let harness = try ReceiverHarness()
        let (reply, elapsed) = try timed {
            try RawHTTPClient.send(port: harness.port, bytes: Array(
                "\(method) \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Forwarded-For: \(ReceiverHarness.cmClient)\r\nContent-Length: 2\r\n\r\n{}".utf8))
        }
        #expect(reply.status == 405)
        #expect(reply.headers["allow"] == "GET, HEAD, OPTIONS, POST, PUT")
        #expect(elapsed < Bound.answer)
        #expect(harness.nothingStored)
    }

    @Test("row 8: a path that is not exactly a served one is a 404, nothing stored",
          arguments: ["/cm/mo/", "/cm//mo", "/cm/./mo", "/cm/x/../mo", "/cm/MO", "/CM/mo", "/cm/mo%2F", "/cm/m%6F",
                      "/cm/mo;x", "/cm/mo/..", "/cm", "/", "/mo", "/cm/mo\u{00e9}", "/../cm/mo"])
    func wrongPath(path: String) throws {
        let harness = try ReceiverHarness()
        let (reply, elapsed) = try timed { try harness.post(path, body: moBody(text: "x")) }
        #expect(reply.status == 404)
        #expect(elapsed < Bound.answer)
        #expect(harness.nothingStored)
    }

    @Test("row 8: Content-Type is not trusted: a valid body is stored under any type (never 415), an invalid one quarantined",
          arguments: [nil, "application/json", "application/json; charset=utf-8", "APPLICATION/JSON;CHARSET=UTF-8",
                      "text/plain", "text/xml", "application/xml", "application/octet-stream",
                      "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "garbage", ""])
    func contentType(_ type: String?) throws {
        let harness = try ReceiverHarness()
        let body = moBody(text: "typed")
        let (reply, elapsed) = try timed { try harness.post(body: body, contentType: type) }
        #expect(reply.status == 200, "\(reply.body)")
        #expect(elapsed < Bound.answer)
        let row = try harness.query("SELECT content_type, body FROM webhook_requests")
        #expect(row.string(0, 0) == type.flatMap { $0.isEmpty ? nil : $0 } || row.string(0, 0) == type)
        #expect(row.bytes(0, 1) == body)
        // A status report in XML under any of the XML spellings, or none, is read as XML.
        let xml = Array("<MESSAGES><MSG><REFERENCE>r</REFERENCE><STATUS><CODE>2</CODE></STATUS></MSG></MESSAGES>".utf8)
        #expect(try harness.post("/cm/status", body: xml, contentType: type).status == 200)
        // Bytes that are nothing CM sends are kept in quarantine with the configured status, not 415.
        let junk = try harness.post(body: Array("\u{1}\u{2}not a payload".utf8), contentType: type)
        #expect(junk.status == 200)
        #expect(fields(junk)["result"] as? String == "quarantined")
    }

    @Test("row 9: the same body delivered 50 times at once is one row, one 'stored' and 49 'duplicate' answers, all 200")
    func duplicateStorm() throws {
        let harness = try ReceiverHarness { config in
            config.handlers = [HandlerSpec(name: "log", type: "log")]
            config.routeEverything(to: ["log"], queueWorkers: 0)  // the job stays to be counted
        }
        let port = harness.port
        let body = moBody(text: "storm")
        let (replies, elapsed) = timed {
            concurrently(50) { _ in
                try? RawHTTPClient.post(port: port, path: "/cm/mo", body: body,
                                        headers: [("X-Forwarded-For", ReceiverHarness.cmClient)])
            }
        }
        #expect(elapsed < .seconds(20))
        #expect(replies.allSatisfy { $0?.status == 200 })
        #expect(replies.filter { $0.map(fields)?["result"] as? String == "stored" }.count == 1)
        #expect(replies.filter { $0.map(fields)?["result"] as? String == "duplicate" }.count == 49)
        #expect(Set(replies.compactMap { $0.map(fields)?["id"] as? Int }).count == 1)
        let request = try harness.onlyRequest()
        #expect(request.seen == 50)
        #expect(request.body == body)
        #expect(try harness.count("inbound_messages") == 1)
        #expect(try harness.query("SELECT count(*) FROM jobs WHERE kind = 'dispatch'").int(0, 0) == 1, "one item, one handler: one job")
    }
}
