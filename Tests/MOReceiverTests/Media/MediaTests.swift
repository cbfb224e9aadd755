import Digest
import Foundation
import LibPQ
import MOPolicy
import MOReceiver
import MOStore
import MOTestSupport
import Testing

/// A daemon whose media downloader may fetch from a local media server (http, loopback: test settings only).
struct MediaRig {
    let server: FakeHTTPServer
    let harness: ReceiverHarness
    let directory: String

    init(maxBytes: Int = 1 << 20, allowLoopback: Bool = true, deleteAfterDownload: Bool = false,
         recorder: RecordingHandler? = nil, _ answer: @escaping @Sendable (FakeRequest) -> FakeResponse) throws {
        server = try FakeHTTPServer(answer)
        let directory = NSTemporaryDirectory() + "mo-media-\(UUID().uuidString)"
        self.directory = directory
        harness = try ReceiverHarness(registry: recorder?.registry() ?? .builtIn) { config in
            config.media.directory = directory
            config.media.maxBytes = maxBytes
            config.media.allowedHosts = ["localhost"]
            config.media.allowHTTPForTests = true
            config.media.allowLoopbackForTests = allowLoopback
            config.media.lowSpeedBytesPerSecond = 1_000
            config.media.lowSpeedSeconds = 1
            config.media.timeoutSeconds = 10
            config.media.deleteAfterDownload = deleteAfterDownload
            if recorder != nil {
                config.handlers = [HandlerSpec(name: "rec", type: "recording")]
                config.routeEverything(to: ["rec"])
            }
        }
    }

    /// An MO with one media item at `path` on the local server (or at `uri` as given).
    func post(path: String = "/media/1", uri: String? = nil) throws {
        let url = uri ?? "http://localhost:\(server.port)\(path)"
        let body = Array(#"{"from":{"number":"+31612345678"},"to":{"number":"3669"},"message":{"text":"photo","media":{"mediaUri":"\#(url)","contentType":"image/png","title":"../../etc/passwd"}},"channel":"WhatsApp","nonce":"\#(UUID().uuidString)"}"#.utf8)
        let reply = try harness.post(body: body)
        #expect(reply.status == 200, "\(reply.body)")
    }

    func item() throws -> (state: String, path: String?, sha256: String?, size: Int?, sniffed: String?, error: String?) {
        let row = try harness.query("SELECT state, path, sha256, size_bytes, sniffed_content_type, last_error FROM media_items")
        return (row.string(0, 0) ?? "", row.string(0, 1), row.string(0, 2), row.int(0, 3), row.string(0, 4), row.string(0, 5))
    }

    func waitFor(state: String, timeout: Duration = .seconds(15)) -> Bool {
        eventually(timeout: timeout) { (try? item().state) == state }
    }

    /// Files left in the store's temporary directory (a download that did not finish must leave none).
    var partialFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory + "/tmp")) ?? []).filter { $0.hasSuffix(".part") }
    }
}

let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0x42, count: 5_000)

@Suite("Media downloads")
struct MediaTests {
    @Test("an image is stored content-addressed with its sha256 and sniffed type, and handlers get its local path")
    func storesImage() throws {
        let recorder = RecordingHandler()
        let rig = try MediaRig(recorder: recorder) { _ in .status(200, headers: [("Content-Type", "image/png")], body: png) }
        try rig.post()
        #expect(rig.waitFor(state: "stored"))
        let item = try rig.item()
        let sha = SHA256.hash(png).hexString
        #expect(item.sha256 == sha)
        #expect(item.size == png.count)
        #expect(item.sniffed == "image/png")
        let path = try #require(item.path)
        #expect(path.hasSuffix("\(sha).png"))
        #expect(!path.contains("passwd"), "file names never come from the payload")
        #expect(FileManager.default.contents(atPath: rig.directory + "/" + path) == Data(png))
        // The message waited for its media: the handler saw the stored file's absolute path.
        #expect(eventually { recorder.calls.count == 1 })
        #expect(recorder.calls.first?.json.contains(rig.directory + "/" + path) == true)
        // The same bytes again are stored once.
        try rig.post(path: "/media/2")
        #expect(eventually { (try? rig.harness.query("SELECT count(*) FROM media_items WHERE state = 'stored'").int(0, 0)) == 2 })
        let paths = try rig.harness.query("SELECT count(DISTINCT path) FROM media_items")
        #expect(paths.int(0, 0) == 1)
    }

    @Test("a file over media.max_bytes fails for good, by declared length and while streaming, leaving no file",
          arguments: ["declared", "streamed"])
    func tooLarge(kind: String) throws {
        let big = Array(repeating: UInt8(7), count: 300_000)
        let rig = try MediaRig(maxBytes: 100_000) { _ in
            kind == "declared" ? .status(200, body: big)
                : .chunked(chunks: Array(repeating: Array(big.prefix(30_000)), count: 10), pauseMilliseconds: 5)
        }
        try rig.post()
        #expect(rig.waitFor(state: "failed"))
        #expect(try rig.item().error?.contains("max_bytes") == true)
        #expect(rig.partialFiles.isEmpty)
        #expect(try rig.harness.query("SELECT state::text FROM jobs WHERE kind = 'media_fetch'").string(0, 0) == "discarded")
    }

    @Test("a Content-Length that promises more than is sent is retried, leaving no partial file")
    func shortBody() throws {
        let rig = try MediaRig { _ in .lyingLength(declaredLength: 50_000, body: Array(png.prefix(1_000))) }
        try rig.post()
        #expect(eventually { (try? rig.item().error) != nil })
        #expect(try rig.item().state == "pending")
        #expect(rig.partialFiles.isEmpty)
    }

    @Test("a trickling download is cut off and retried, not stored half")
    func slowTrickle() throws {
        let rig = try MediaRig { _ in .trickle(body: Array(repeating: 1, count: 2_000), bytes: 1, everyMilliseconds: 500) }
        try rig.post()
        #expect(eventually(timeout: .seconds(15)) { (try? rig.item().error) != nil })
        let item = try rig.item()
        #expect(item.state == "pending")
        #expect(item.path == nil)
        #expect(rig.partialFiles.isEmpty)
        #expect(try rig.harness.query("SELECT state::text FROM jobs WHERE kind = 'media_fetch'").string(0, 0) == "retryable")
    }

    @Test("SSRF: file://, the metadata address and a redirect to a private address are refused without a connection",
          arguments: ["file:///etc/passwd", "http://169.254.169.254/latest/meta-data/", "redirect"])
    func refusesSSRF(uri: String) throws {
        let rig = try MediaRig { request in
            request.path == "/hop" ? .redirect(302, to: "http://10.1.2.3/secret") : .status(200, body: png)
        }
        try rig.post(path: "/hop", uri: uri == "redirect" ? nil : uri)
        #expect(rig.waitFor(state: "failed"))
        let error = try #require(try rig.item().error)
        #expect(error.contains("refused"), "\(error)")
        #expect(rig.server.requests.count == (uri == "redirect" ? 1 : 0))
    }

    @Test("the address actually connected to is checked: a host name that resolves to loopback is refused")
    func destinationPolicy() throws {
        let rig = try MediaRig(allowLoopback: false) { _ in .status(200, body: png) }
        try rig.post()
        #expect(rig.waitFor(state: "failed"))
        #expect(try rig.item().error?.contains("loopback") == true)
        #expect(rig.server.requests.isEmpty)
    }

    @Test("a redirect to an allowed host is followed and checked again; more than three are refused")
    func redirects() throws {
        let rig = try MediaRig { request in
            switch request.path {
            case "/a": return .redirect(302, to: "/b")
            case "/b": return .status(200, body: png)
            default:
                let hop = Int(request.path.dropFirst(5)) ?? 0
                return .redirect(302, to: "/loop\(hop + 1)")
            }
        }
        try rig.post(path: "/a")
        #expect(rig.waitFor(state: "stored"))
        _ = try rig.harness.query("DELETE FROM jobs")
        _ = try rig.harness.query("DELETE FROM media_items")
        try rig.post(path: "/loop0")
        #expect(rig.waitFor(state: "failed"))
        #expect(try rig.item().error?.contains("redirects") == true)
    }

    @Test("delete_after_download sends one DELETE after the file is stored and records CM's answer")
    func deletesAtSource() throws {
        let rig = try MediaRig(deleteAfterDownload: true) { request in
            request.method == "DELETE" ? .status(request.path == "/media/1" ? 204 : 500) : .status(200, body: png)
        }
        try rig.post()
        #expect(rig.waitFor(state: "stored"))
        #expect(eventually {
            (try? rig.harness.query("SELECT deleted_at_source IS NOT NULL FROM media_items").bool(0, 0)) == true
        })
        #expect(rig.server.requests.map(\.method) == ["GET", "DELETE"])
        // A refused delete is recorded and not retried.
        _ = try rig.harness.query("DELETE FROM jobs")
        _ = try rig.harness.query("DELETE FROM media_items")
        try rig.post(path: "/media/2")
        #expect(eventually {
            (try? rig.harness.query("SELECT delete_error FROM media_items").string(0, 0))?.contains("500") == true
        })
        Thread.sleep(forTimeInterval: 0.3)
        #expect(rig.server.requests.filter { $0.method == "DELETE" }.count == 2)
        #expect(try rig.item().state == "stored")
    }

    @Test("an item past CM's deadline is expired with its last error, not fetched")
    func expires() throws {
        let rig = try MediaRig { _ in .status(503) }
        try rig.post()
        #expect(eventually { (try? rig.item().error) != nil })
        _ = try rig.harness.query("UPDATE media_items SET expires_at = now() - interval '1 minute'")
        _ = try rig.harness.query("UPDATE jobs SET scheduled_at = now() WHERE kind = 'media_fetch'")
        _ = try rig.harness.query("NOTIFY mo_jobs")
        #expect(rig.waitFor(state: "expired"))
        #expect(try rig.item().error?.contains("deadline") == true)
    }
}
