import Foundation
import LibPQ
@testable import MOReceiver
import MOTestSupport
import Testing

/// Issue 16 point 12: config.example.toml says what the code does.
@Suite("config.example.toml documents sending and media as the code sets them")
struct AutoReplyConfigTests {
    static var examplePath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("config.example.toml").path
    }

    /// The commented auto_reply example, with the first "# " of each line deleted as its comment says.
    static func autoReplyBlock() throws -> String {
        let lines = try String(contentsOfFile: examplePath, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let type = try #require(lines.firstIndex { $0 == #"# type = "auto_reply""# })
        let start = try #require(lines[..<type].lastIndex { $0 == "# [[handlers]]" })
        var block: [String] = []
        for line in lines[start...] {
            guard line.hasPrefix("#"), let range = line.range(of: "# ") else { break }
            block.append(line.replacingCharacters(in: range, with: ""))
        }
        return block.joined(separator: "\n")
    }

    @Test("the auto_reply example, uncommented, loads and sets every key the handler knows")
    func autoReplyExample() throws {
        let token = NSTemporaryDirectory() + "cm-token-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: token, contents: Data("00000000-1111-2222-3333-444444444444".utf8),
                                           attributes: [.posixPermissions: 0o600])
        let block = try Self.autoReplyBlock()
        let config = try ReceiverConfig.parse("""
            [database]
            url = "postgresql://example"
            [cm]
            product_token_file = "\(token)"
            \(block)
            [[routes]]
            kinds = ["mo"]
            handlers = ["auto"]
            """, file: "example")
        let spec = try #require(config.handlers.first { $0.name == "auto" })
        #expect(spec.type == "auto_reply")
        for key in AutoReplyHandler.knownSettings where key != "rules" {
            #expect(block.contains("\n\(key) = "), "config.example.toml's auto_reply example lacks \(key)")
        }
        #expect(block.contains("[[handlers.rules]]"))
        #expect(block.contains("max_attempts = "))
    }

    @Test("the example's [cm] and [media] values are the code's defaults: token in the body, no Instagram CDN")
    func exampleMatchesDefaults() throws {
        let example = try ReceiverConfig.load(path: Self.examplePath)
        let defaults = ReceiverConfig()
        #expect(example.cm.tokenInBody == true)
        #expect(defaults.cm.tokenInBody == true)
        #expect(example.cm.sendURL == defaults.cm.sendURL)
        #expect(example.media.allowedHosts == defaults.media.allowedHosts)
        #expect(example.warnings.isEmpty)
        let text = try String(contentsOfFile: Self.examplePath, encoding: .utf8)
        #expect(text.contains("Instagram's CDN\n# (lookaside.fbsbx.com) is NOT allowed by default"))
    }

    @Test("with the default media settings an Instagram CDN URL is refused without a connection")
    func instagramMediaNotFetchedByDefault() throws {
        let harness = try ReceiverHarness()
        let uri = "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17912345678901234&signature=AbCdEf0123456789"
        let body = Array(#"{"from":{"number":"17841400000000001"},"to":{"number":"17841400000000000"},"message":{"text":"","media":{"mediaUri":"\#(uri)","contentType":""}},"channel":"Instagram","nonce":"\#(UUID().uuidString)"}"#.utf8)
        #expect(try harness.post(body: body).status == 200)
        #expect(eventually {
            (try? harness.query("SELECT state FROM media_items").string(0, 0)) == "failed"
        })
        let error = try harness.query("SELECT last_error FROM media_items").string(0, 0) ?? ""
        #expect(error.contains("refused") && error.contains("lookaside.fbsbx.com"), "\(error)")
    }
}
