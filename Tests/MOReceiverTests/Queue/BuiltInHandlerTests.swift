import Digest
import Foundation
import LibPQ
import MOPolicy
import MOReceiver
import MOStore
import MOTestSupport
import Testing

@Suite("Built-in handlers")
struct BuiltInHandlerTests {
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "mo-handler-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func secretFile(_ secret: String, mode: Int = 0o600) throws -> String {
        let path = try temporaryDirectory() + "/secret"
        guard FileManager.default.createFile(atPath: path, contents: Data((secret + "\n").utf8)) else {
            throw TestSupportError("cannot write \(path)")
        }
        chmod(path, mode_t(mode))
        return path
    }

    @Test("http_forward POSTs the document with a timestamped HMAC-SHA256 signature the receiver can verify")
    func httpForwardSigns() throws {
        let server = try FakeHTTPServer { _ in .status(204) }
        defer { server.stop() }
        let secretPath = try Self.secretFile("s3cret-key")
        let harness = try ReceiverHarness { config in
            config.handlers = [HandlerSpec(name: "crm", type: "http_forward", settings: HandlerSettings([
                "url": .string(server.url + "/hooks/cm"), "secret_file": .string(secretPath), "allow_http": .bool(true),
            ]))]
            config.routeEverything(to: ["crm"])
        }
        #expect(try harness.post(body: smsBody(5)).status == 200)
        #expect(eventually { (try? harness.jobStates(kind: "dispatch")) == [:] }, "completed, so deleted")
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/hooks/cm")
        #expect(request.value(of: "Content-Type") == "application/json")
        let timestamp = try #require(request.value(of: "X-MO-Timestamp"))
        let age = Date().timeIntervalSince1970 - (Double(timestamp) ?? 0)
        #expect(age >= 0 && age < 60)
        let expected = HMACSHA256.authenticationCode(key: Array("s3cret-key".utf8),
                                                     message: Array((timestamp + ".").utf8) + request.body)
        #expect(request.value(of: "X-MO-Signature") == "sha256=" + expected.hexString)
        #expect(request.bodyText.contains("mo-receiver.event.v1"))
        #expect(request.bodyText.contains("HELP me 5"))
        #expect(request.value(of: "X-MO-Event")?.hasPrefix("mo:") == true)
    }

    @Test("http_forward retries a 500 and gives up on a 400 at once")
    func httpForwardOutcomes() throws {
        let server = try FakeHTTPServer { request in
            request.path == "/flaky" ? .status(500) : .status(400)
        }
        defer { server.stop() }
        let secretPath = try Self.secretFile("k")
        let settings = { (path: String) in
            HandlerSettings(["url": .string(server.url + path), "secret_file": .string(secretPath),
                             "allow_http": .bool(true)])
        }
        let harness = try ReceiverHarness { config in
            config.handlers = [HandlerSpec(name: "flaky", type: "http_forward", settings: settings("/flaky")),
                               HandlerSpec(name: "refuses", type: "http_forward", settings: settings("/refuses"))]
            config.routeEverything(to: ["flaky", "refuses"])
        }
        #expect(try harness.post(body: smsBody(6)).status == 200)
        #expect(eventually {
            let rows = try? harness.query("SELECT args->>'handler', state::text FROM jobs WHERE kind = 'dispatch' ORDER BY 1")
            return rows?.rowCount == 2 && rows?.string(0, 1) == "retryable" && rows?.string(1, 1) == "discarded"
        })
        let errors = try harness.query("SELECT errors->0->>'error' FROM jobs WHERE kind = 'dispatch' ORDER BY args->>'handler'")
        #expect(errors.string(0, 0)?.contains("answered 500") == true)
        #expect(errors.string(1, 0)?.contains("answered 400") == true)
    }

    @Test("http_forward refuses a secret file that others can read, and an http URL unless allowed")
    func httpForwardSettings() throws {
        let open = try Self.secretFile("k", mode: 0o644)
        let registry = HandlerRegistry.builtIn
        let environment = HandlerEnvironment(redactor: Redactor(pii: false))
        let readable = HandlerSpec(name: "x", type: "http_forward", settings: HandlerSettings([
            "url": .string("https://example.com/"), "secret_file": .string(open)]))
        #expect(throws: HandlerSettings.Problem.self) { try registry.make(readable, environment: environment) }
        do {
            _ = try registry.make(readable, environment: environment)
        } catch {
            #expect(error.key == "secret_file")
            #expect(error.message.contains("chmod 600"))
        }
        let secret = try Self.secretFile("k")
        let plain = HandlerSpec(name: "x", type: "http_forward", settings: HandlerSettings([
            "url": .string("http://example.com/"), "secret_file": .string(secret)]))
        do {
            _ = try registry.make(plain, environment: environment)
            Issue.record("an http:// URL was accepted without allow_http")
        } catch {
            #expect(error.key == "url")
        }
    }

    @Test("exec runs the program with the document on stdin; exit 75 retries, exit 1 fails with stderr kept")
    func execHandler() throws {
        let directory = try Self.temporaryDirectory()
        let script = directory + "/on-event"
        try """
            #!/bin/sh
            cat > "$OUT/$MO_EVENT_KIND-$MO_EVENT_ID-$MO_ATTEMPT.json"
            case "$MO_HANDLER" in
              ok) exit 0 ;;
              later) exit 75 ;;
              *) echo "cannot reach the CRM" >&2; exit 1 ;;
            esac
            """.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let settings = HandlerSettings(["command": .strings([script]), "environment": .strings(["OUT=\(directory)"])])
        let harness = try ReceiverHarness { config in
            config.handlers = [HandlerSpec(name: "ok", type: "exec", settings: settings),
                               HandlerSpec(name: "later", type: "exec", settings: settings),
                               HandlerSpec(name: "broken", type: "exec", settings: settings)]
            config.routeEverything(to: ["ok", "later", "broken"])
            config.queue.completedRetention = .seconds(3_600)
        }
        #expect(try harness.post(body: smsBody(8)).status == 200)
        let settled = eventually {
            let rows = try? harness.query("SELECT args->>'handler', state::text FROM jobs WHERE kind = 'dispatch' ORDER BY 1")
            return rows.map { r in (0..<r.rowCount).map { "\(r.string($0, 0)!)=\(r.string($0, 1)!)" } }
                == ["broken=discarded", "later=retryable", "ok=completed"]
        }
        let states = try harness.query("SELECT args->>'handler', state::text, errors::text FROM jobs ORDER BY 1")
        #expect(settled, "\((0..<states.rowCount).map { "\(states.string($0, 0) ?? "route") \(states.string($0, 1)!) \(states.string($0, 2)!)" })")
        let messageID = try harness.query("SELECT id FROM inbound_messages").int(0, 0) ?? 0
        let written = try String(contentsOfFile: "\(directory)/mo-\(messageID)-1.json", encoding: .utf8)
        #expect(written.contains("HELP me 8"))
        #expect(written.contains("mo-receiver.event.v1"))
        let broken = try harness.query("SELECT errors->0->>'error' FROM jobs WHERE args->>'handler' = 'broken'")
        #expect(broken.string(0, 0)?.contains("exited 1") == true)
        #expect(broken.string(0, 0)?.contains("cannot reach the CRM") == true)
        let later = try harness.query("SELECT errors->0->>'error' FROM jobs WHERE args->>'handler' = 'later'")
        #expect(later.string(0, 0)?.contains("exited 75") == true)
    }

    @Test("the log handler writes one line per item with the sender redacted")
    func logHandler() throws {
        let harness = try ReceiverHarness { config in
            config.handlers = [HandlerSpec(name: "log", type: "log")]
            config.routeEverything(to: ["log"])
        }
        #expect(try harness.post(body: smsBody(9)).status == 200)
        #expect(eventually { harness.logs.captured.contains { $0.contains("event received") } })
        let line = try #require(harness.logs.captured.first { $0.contains("event received") })
        #expect(line.contains("event.kind=mo"))
        #expect(line.contains("handler.name=log"))
        #expect(!line.contains("31612340009"))
    }
}
