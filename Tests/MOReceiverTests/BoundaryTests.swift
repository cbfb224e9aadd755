import Foundation
import MOPolicy
import MOReceiver
import MOTestSupport
import Testing

@Suite("The listener's boundary: trust, routing, methods, sizes")
struct BoundaryTests {
    @Test("a request from outside CM's ranges is a 403 with a reason, and nothing is stored")
    func refusesOutsideAddress() throws {
        let harness = try ReceiverHarness()
        let reply = try harness.post(body: try fixture("mo/whatsapp-text.json"), forwardedFor: "6.6.6.6")
        #expect(reply.status == 403)
        #expect((fields(reply)["reason"] as? String)?.contains("6.6.6.6") == true)
        #expect(try harness.count("webhook_requests") == 0)
    }

    @Test("a direct request without a forwarding header is judged on the peer (loopback) and refused")
    func refusesDirectPeer() throws {
        let harness = try ReceiverHarness()
        let reply = try harness.post(body: try fixture("mo/whatsapp-text.json"), forwardedFor: nil)
        #expect(reply.status == 403)
        #expect(try harness.count("webhook_requests") == 0)
    }

    @Test("X-Forwarded-For from an untrusted peer is ignored, so a spoofed CM address is refused")
    func ignoresSpoofedHeader() throws {
        let harness = try ReceiverHarness { config in
            config.trust.trustedProxies = CIDRSet([try! CIDR(parsing: "10.1.2.3/32")])
        }
        let reply = try harness.post(body: try fixture("mo/whatsapp-text.json"), forwardedFor: "31.169.56.10")
        #expect(reply.status == 403)
        #expect(try harness.count("webhook_requests") == 0)
    }

    @Test("the right-most untrusted X-Forwarded-For entry decides: a CM address to its left does not help")
    func rightMostUntrustedDecides() throws {
        let harness = try ReceiverHarness()
        let reply = try harness.post(body: try fixture("mo/whatsapp-text.json"), forwardedFor: "31.169.56.10, 6.6.6.6")
        #expect(reply.status == 403)
    }

    @Test("a malformed X-Forwarded-For is refused (fail closed)")
    func refusesMalformedChain() throws {
        let harness = try ReceiverHarness()
        let reply = try harness.post(body: try fixture("mo/whatsapp-text.json"), forwardedFor: "031.169.56.10")
        #expect(reply.status == 403)
    }

    @Test("with a path token, a wrong token is a 404 and the right one is a 200")
    func pathToken() throws {
        let token = "s3cret-token-0123456789"
        let harness = try ReceiverHarness { $0.http.pathToken = token }
        let body = try fixture("mo/whatsapp-text.json")
        #expect(try harness.post("/cm/mo", body: body).status == 404)
        #expect(try harness.post("/cm/wrong-token-0123456789/mo", body: body).status == 404)
        #expect(try harness.post("/cm/\(token)/mo", body: body).status == 200)
        #expect(try harness.count("webhook_requests") == 1)
    }

    @Test("GET /healthz answers 200 from any address without touching the database")
    func healthz() throws {
        let harness = try ReceiverHarness()
        let reply = try RawHTTPClient.get(port: harness.port, path: "/healthz")
        #expect(reply.status == 200)
        #expect(fields(reply)["result"] as? String == "ok")
        #expect(try harness.count("webhook_requests") == 0)
        #expect(try harness.post("/healthz", body: []).status == 404)
    }

    @Test("an unknown path is a 404")
    func unknownPath() throws {
        let harness = try ReceiverHarness()
        #expect(try harness.post("/cm/nope", body: []).status == 404)
        #expect(try harness.post("/cm/mo/", body: []).status == 404)
    }

    @Test("a method no webhook takes is a 405 naming the ones served")
    func wrongMethod() throws {
        let harness = try ReceiverHarness()
        let reply = try RawHTTPClient.send(port: harness.port, bytes: Array(
            "DELETE /cm/mo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Forwarded-For: \(ReceiverHarness.cmClient)\r\n\r\n".utf8))
        #expect(reply.status == 405)
        #expect(reply.headers["allow"] == "GET, HEAD, OPTIONS, POST, PUT")
        #expect(try harness.count("webhook_requests") == 0)
    }

    @Test("a body declared larger than the limit is a 413 before it is read")
    func tooLargeByContentLength() throws {
        let harness = try ReceiverHarness { $0.http.maxBodyBytes = 4_096 }
        let reply = try harness.post(body: [UInt8](repeating: 0x20, count: 20_000))
        #expect(reply.status == 413)
        #expect(try harness.count("webhook_requests") == 0)
    }

    @Test("a chunked body that grows past the limit is a 413, and a big one is cut off")
    func tooLargeWhileStreaming() throws {
        let harness = try ReceiverHarness { $0.http.maxBodyBytes = 4_096 }
        let small = try RawHTTPClient.postChunked(port: harness.port, path: "/cm/mo",
                                                  body: [UInt8](repeating: 0x20, count: 10_000), chunkSize: 1_000,
                                                  headers: [("X-Forwarded-For", ReceiverHarness.cmClient)])
        #expect(small.status == 413)
        // 20 MB: read no further than the cut-off, answered or closed, never stored.
        let big = try? RawHTTPClient.postChunked(port: harness.port, path: "/cm/mo",
                                                 body: [UInt8](repeating: 0x20, count: 20 << 20),
                                                 headers: [("X-Forwarded-For", ReceiverHarness.cmClient)])
        #expect(big == nil || big?.status == 413)
        #expect(try harness.count("webhook_requests") == 0)
        // The listener is still serving.
        #expect(try harness.post(body: try fixture("mo/whatsapp-text.json")).status == 200)
    }

    @Test("a chunked body within the limit is stored")
    func chunkedWithinLimit() throws {
        let harness = try ReceiverHarness()
        let body = try fixture("mo/whatsapp-text.json")
        let reply = try RawHTTPClient.postChunked(port: harness.port, path: "/cm/mo", body: body, chunkSize: 50,
                                                  headers: [("X-Forwarded-For", ReceiverHarness.cmClient)])
        #expect(reply.status == 200)
        #expect(try harness.query("SELECT body FROM webhook_requests").bytes(0, 0) == body)
    }
}
