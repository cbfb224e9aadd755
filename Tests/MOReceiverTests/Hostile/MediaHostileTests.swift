import Foundation
import MOReceiver
import MOTestSupport
import Testing

/// Checklist rows 15–18: what a `mediaUri`, its host and its `title` may try. Unit-level cases for the two SSRF
/// checks live in MOPolicyTests (MediaURLPolicyTests, DestinationPolicyTests); these run the real downloader.
@Suite("Hostile input: media URLs, redirects, bodies and titles (checklist rows 15-18)")
struct MediaHostileTests {
    /// A daemon whose downloader is configured as the test says; `hosts` are added to CM's media hosts.
    static func daemon(hosts: [String] = [], testSchemes: Bool = false, loopback: Bool = false,
                       maxBytes: Int = 1 << 20) throws -> (ReceiverHarness, String) {
        let directory = NSTemporaryDirectory() + "mo-media-\(UUID().uuidString)"
        let harness = try ReceiverHarness { config in
            config.media.directory = directory
            config.media.maxBytes = maxBytes
            config.media.allowedHosts = hosts
            config.media.allowHTTPForTests = testSchemes
            config.media.allowLoopbackForTests = loopback
            config.media.connectTimeoutMilliseconds = 1_000
            config.media.lowSpeedBytesPerSecond = 1_000
            config.media.lowSpeedSeconds = 1
            config.media.timeoutSeconds = 10
        }
        return (harness, directory)
    }

    /// Posts an MO with one media item and checks the 200: ingest never depends on the download.
    static func post(_ harness: ReceiverHarness, uri: String, title: String = "photo.png") throws {
        let body = Array(#"{"from":{"number":"+31612345678"},"to":{"number":"3669"},"message":{"text":"photo","media":{"mediaUri":\#(jsonQuoted(uri)),"contentType":"image/png","title":\#(jsonQuoted(title))}},"channel":"WhatsApp"}"#.utf8)
        let (reply, elapsed) = try timed { try harness.post(body: body) }
        #expect(reply.status == 200, "\(reply.body)")
        #expect(elapsed < Bound.answer)
    }

    static func item(_ harness: ReceiverHarness) throws -> (state: String, error: String?, path: String?, title: String?) {
        let row = try harness.query("SELECT state, last_error, path, title FROM media_items")
        return (row.string(0, 0) ?? "", row.string(0, 1), row.string(0, 2), row.string(0, 3))
    }

    static func jobState(_ harness: ReceiverHarness) throws -> String? {
        try harness.query("SELECT state::text FROM jobs WHERE kind = 'media_fetch'").string(0, 0)
    }

    /// Waits for a final `failed` and checks it is permanent: the job is discarded with the reason recorded.
    static func expectRefusedForGood(_ harness: ReceiverHarness, mentioning words: [String]) throws {
        let (settled, elapsed) = timed { eventually(timeout: .seconds(15)) { (try? item(harness).state) == "failed" } }
        #expect(settled)
        #expect(elapsed < .seconds(15))
        let error = try #require(try item(harness).error)
        #expect(words.contains { error.contains($0) }, "\(error)")
        #expect(try item(harness).path == nil)
        #expect(try jobState(harness) == "discarded")
    }

    @Test("row 15: with production settings a private, loopback, metadata, mapped, octal or decimal IP (or another scheme) is refused before any connection",
          arguments: [
              "https://127.0.0.1/x", "https://[::1]/x", "https://169.254.169.254/latest/meta-data/",
              "https://[::ffff:127.0.0.1]/x", "https://[::ffff:a9fe:a9fe]/", "https://2130706433/x", "https://0x7f.1/x",
              "https://017700000001/x", "https://127.1/x", "https://10.0.0.1/x", "https://192.168.1.1/x",
              "https://[fd00::1]/x", "https://localhost/x", "https://metadata.google.internal/computeMetadata/v1/",
              "https://cdn-1.messaging.cm.com@127.0.0.1/x", "https://cdn-1.messaging.cm.com:8443/x",
              "https://cdn-1.messaging.cm.com%2f@evil.example/x", "https://cdn-1.messaging.cm.com./x",
              "http://cdn-1.messaging.cm.com/x", "file:///etc/passwd", "gopher://cdn-1.messaging.cm.com:70/_x",
              "ftp://cdn-1.messaging.cm.com/x", "dict://cdn-1.messaging.cm.com:11211/stat",
              "https://cdn-1.messaging.cm.com/\(String(repeating: "a", count: 3_000))",
          ])
    func productionRefusals(uri: String) throws {
        let (harness, directory) = try Self.daemon()
        try Self.post(harness, uri: uri)
        try Self.expectRefusedForGood(harness, mentioning: ["media URL refused"])
        // Stored files live under two levels of hash prefixes; only the store's tmp/ directory may exist.
        let written = (try? FileManager.default.subpathsOfDirectory(atPath: directory)) ?? []
        #expect(written.allSatisfy { $0.hasPrefix("tmp") }, "written: \(written)")
    }

    @Test("row 15: the address actually connected to is checked: loopback by name, literal or mapped form is refused with no connection made",
          arguments: ["localhost", "127.0.0.1", "[::ffff:127.0.0.1]", "[::1]"])
    func connectTimeRefusals(host: String) throws {
        let server = try FakeHTTPServer { _ in .status(200, body: png) }
        // Test schemes and ports are on and the host is on the allowlist, so only the address check stands between.
        let (harness, _) = try Self.daemon(hosts: [host], testSchemes: true, loopback: false)
        try Self.post(harness, uri: "http://\(host):\(server.port)/media/1")
        try Self.expectRefusedForGood(harness, mentioning: ["loopback", "refused"])
        #expect(server.connectionsAccepted == 0)
    }

    @Test("row 16: a redirect to an internal address or another scheme is refused, and a chain longer than three hops stopped",
          arguments: ["http://10.1.2.3/secret", "http://169.254.169.254/latest/meta-data/",
                      "http://[::ffff:169.254.169.254]/latest/meta-data/", "http://[fd00::1]/x", "http://0.0.0.0/x",
                      "file:///etc/passwd", "gopher://localhost/_x", "ftp://localhost/x", "https://evil.example/x",
                      "http://2130706433/x", "//169.254.169.254/x", "loop"])
    func redirects(target: String) throws {
        let server = try FakeHTTPServer { request in
            if target == "loop" {
                let hop = Int(request.path.dropFirst("/hop".count)) ?? 0
                return .redirect(302, to: "/hop\(hop + 1)")
            }
            return request.path == "/hop0" ? .redirect(302, to: target) : .status(200, body: png)
        }
        // Every host named is on the allowlist, so the address check (not the host check) refuses the hop.
        let (harness, _) = try Self.daemon(hosts: ["localhost", "10.1.2.3", "169.254.169.254", "[::ffff:169.254.169.254]",
                                                   "[fd00::1]", "0.0.0.0"],
                                           testSchemes: true, loopback: true)
        try Self.post(harness, uri: "http://localhost:\(server.port)/hop0")
        try Self.expectRefusedForGood(harness, mentioning: ["refused", "redirects"])
        #expect(server.requests.count == (target == "loop" ? 4 : 1))
    }

    enum BadBody: String, CaseIterable, Sendable {
        case declaredTooLarge = "declared larger than the cap"
        case streamedTooLarge = "streamed past the cap"
        case lyingLength = "shorter than its Content-Length"
        case trickle = "one byte every half second"
    }

    @Test("row 17: an oversized, short or trickling download is aborted, leaves no temporary file, and is retried with backoff or failed for good",
          arguments: BadBody.allCases)
    func badBody(kind: BadBody) throws {
        let big = [UInt8](repeating: 7, count: 300_000)
        let server = try FakeHTTPServer { _ in
            switch kind {
            case .declaredTooLarge: .status(200, body: big)
            case .streamedTooLarge: .chunked(chunks: Array(repeating: Array(big.prefix(30_000)), count: 10))
            case .lyingLength: .lyingLength(declaredLength: 50_000, body: Array(png.prefix(1_000)))
            case .trickle: .trickle(body: Array(repeating: 1, count: 2_000), bytes: 1, everyMilliseconds: 500)
            }
        }
        let (harness, directory) = try Self.daemon(hosts: ["localhost"], testSchemes: true, loopback: true,
                                                   maxBytes: 100_000)
        try Self.post(harness, uri: "http://localhost:\(server.port)/media/1")
        let partials = { ((try? FileManager.default.contentsOfDirectory(atPath: directory + "/tmp")) ?? []).filter { $0.hasSuffix(".part") } }
        switch kind {
        case .declaredTooLarge, .streamedTooLarge:
            try Self.expectRefusedForGood(harness, mentioning: ["max_bytes"])
        case .lyingLength, .trickle:
            let (failed, elapsed) = timed { eventually(timeout: .seconds(15)) { (try? Self.item(harness).error) != nil } }
            #expect(failed)
            #expect(elapsed < .seconds(15))
            #expect(try Self.item(harness).state == "pending")
            #expect(try Self.item(harness).path == nil)
            #expect(try Self.jobState(harness) == "retryable")
            #expect(try harness.query("SELECT scheduled_at > now() FROM jobs WHERE kind = 'media_fetch'").bool(0, 0) == true)
            // Once CM's deadline has passed, the downloader gives up for good.
            _ = try harness.query("UPDATE media_items SET expires_at = now() - interval '1 minute'")
            _ = try harness.query("UPDATE jobs SET scheduled_at = now() WHERE kind = 'media_fetch'")
            _ = try harness.query("NOTIFY mo_jobs")
            #expect(eventually(timeout: .seconds(15)) { (try? Self.item(harness).state) == "expired" })
        }
        #expect(partials().isEmpty)
        #expect(try harness.count("webhook_requests") == 1)
    }

    @Test("row 18: a hostile title never names a file: the file is content-addressed inside the store, the title kept as data",
          arguments: ["../../x", "../../../../../../etc/cron.d/x", "/etc/passwd", "a\u{0}b.png", "..\\..\\x.exe",
                      "x\r\nContent-Type: text/html", "evil\u{202E}gnp.exe", String(repeating: "t", count: 10_000)])
    func hostileTitle(title: String) throws {
        let server = try FakeHTTPServer { _ in .status(200, headers: [("Content-Type", "image/png")], body: png) }
        let (harness, directory) = try Self.daemon(hosts: ["localhost"], testSchemes: true, loopback: true)
        try Self.post(harness, uri: "http://localhost:\(server.port)/media/1", title: title)
        #expect(eventually(timeout: .seconds(15)) { (try? Self.item(harness).state) == "stored" })
        let item = try Self.item(harness)
        let path = try #require(item.path)
        #expect(path.wholeMatch(of: /[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}\.png/) != nil, "\(path)")
        #expect(FileManager.default.contents(atPath: directory + "/" + path) == Data(png))
        // Nothing was created next to or above the store.
        let parent = (directory as NSString).deletingLastPathComponent
        #expect(!FileManager.default.fileExists(atPath: parent + "/x"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/x"))
        let files = try FileManager.default.subpathsOfDirectory(atPath: directory).filter { !$0.hasPrefix("tmp") }
        #expect(files.allSatisfy { !$0.contains("..") && !$0.contains("passwd") && !$0.contains("exe") })
        // The title is kept as data (NUL, which PostgreSQL text cannot hold, as U+FFFD), whole.
        #expect(item.title == title.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}"))
    }
}
