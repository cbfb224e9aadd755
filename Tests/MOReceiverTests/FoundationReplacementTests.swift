import Foundation
import Logging
import Testing
@testable import MOReceiver

/// The helpers that replaced Foundation calls in the shipped code, each compared with the call it replaced
/// (these tests may import Foundation; the daemon and moctl do not).
@Suite("Helpers that replaced Foundation behave as the Foundation calls did")
struct FoundationReplacementTests {
    /// Every scalar of the Basic Multilingual Plane (surrogates excepted) and the first astral ones.
    static let scalars = (0...0x1_00FF).compactMap(Unicode.Scalar.init)

    /// "U+00A0 ...: ours '...', Foundation's '...'" for each text the two trims treat differently.
    private func divergences(_ ours: (String) -> String, _ set: CharacterSet, _ texts: [String]) -> [String] {
        texts.compactMap { text in
            let mine = ours(text)
            let theirs = text.trimmingCharacters(in: set)
            guard !mine.unicodeScalars.elementsEqual(theirs.unicodeScalars) else { return nil }
            let name = text.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
            return "\(name): ours '\(mine)', Foundation's '\(theirs)'"
        }
    }

    /// Each scalar alone, around a word on both sides, and twice on the left of a word.
    private static let trimSamples: [String] = scalars.flatMap { scalar in
        let text = String(scalar)
        return [text, text + "x" + text, text + text + "x y"]
    } + [" \r\n x \r\n", "\u{A0}\u{3000}mo\u{2029}", " \u{301}é ", "\t\t", ""]

    @Test("trimmingWhitespace trims exactly Foundation's whitespaces, scalar by scalar")
    func trimmingWhitespace() {
        #expect(divergences({ $0.trimmingWhitespace() }, .whitespaces, Self.trimSamples) == [])
    }

    @Test("trimmingWhitespaceAndNewlines trims exactly Foundation's whitespacesAndNewlines, scalar by scalar")
    func trimmingWhitespaceAndNewlines() {
        #expect(divergences({ $0.trimmingWhitespaceAndNewlines() }, .whitespacesAndNewlines, Self.trimSamples) == [])
    }

    @Test("a substring trims as its string does")
    func substringTrims() {
        let line = "[ retention ]  "
        #expect(line.dropFirst().prefix { $0 != "]" }.trimmingWhitespace() == "retention")
    }

    @Test("an exec program's name is NSString's lastPathComponent", arguments: [
        "/usr/local/bin/hook", "hook", "/opt/hooks/", "/", "//", "", "relative/dir/tool", "/a//b", "/ü/naïve",
    ])
    func programName(path: String) {
        #expect(ExecHandler.fileName(path) == (path as NSString).lastPathComponent)
    }

    @Test("log timestamps and escapes pad as printf did", arguments: [(0, 4), (7, 2), (59, 2), (999, 3), (2026, 4), (12345, 4)])
    func decimalPadding(value: Int, width: Int) {
        #expect(LineLogHandler.padded(value, width) == String(format: "%0\(width)d", value))
    }

    @Test("a log value with a space, a quote, a newline or a control character is one escaped JSON string")
    func valueEscaping() {
        #expect(LineLogHandler.keyValues([(key: "k", value: .string("a \"b\"\n\u{1}"))]) == #" k="a \"b\"\n\u0001""#)
        #expect(LineLogHandler.keyValues([(key: "k", value: .string("plain"))]) == " k=plain")
    }

    @Test("a JSON log line is one object: the fixed fields, then the metadata, every value escaped")
    func jsonLine() throws {
        let sink = LineSink.capturing()
        let logger = Logger(label: "mo.test") { LineLogHandler(label: $0, level: .info, format: .json, sink: sink) }
        logger.warning("refused \"x\"", metadata: ["net.peer_ip": "10.0.0.1", "why": "line\nbreak"])
        let line = try #require(sink.captured.first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["level"] == "warning" && object["logger"] == "mo.test" && object["msg"] == "refused \"x\"")
        #expect(object["net.peer_ip"] == "10.0.0.1" && object["why"] == "line\nbreak")
        #expect(line.hasPrefix(#"{"ts":""#) && !line.contains("\n"))
    }

    @Test("timestamp fields are zero-padded as String(format:) wrote them")
    func padding() {
        for value in [0, 7, 42, 999, 2026] {
            #expect(LineLogHandler.padded(value, 4) == String(format: "%04d", value))
        }
    }

    @Test("metric help text escapes as replacingOccurrences did, including the LF of a CRLF", arguments: [
        "plain", "back\\slash", "two\nlines", "crlf\r\nline", "\\\n\\", "",
    ])
    func helpEscaping(text: String) {
        let foundation = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
        #expect(PrometheusText.escapeHelp(text).unicodeScalars.elementsEqual(foundation.unicodeScalars))
    }

    /// Foundation compared grapheme clusters, so it left a backslash that a combining mark follows unescaped, which
    /// Prometheus would read as a bad escape. Pinned so the difference stays deliberate.
    @Test("a backslash before a combining mark is escaped too, unlike replacingOccurrences")
    func helpEscapingBeforeCombiningMark() {
        let text = "e\u{301}\\\u{301}"
        #expect(text.replacingOccurrences(of: "\\", with: "\\\\") == text)
        #expect(PrometheusText.escapeHelp(text).unicodeScalars.elementsEqual("e\u{301}\\\\\u{301}".unicodeScalars))
    }

    @Test("path prefix and token characters are the ASCII letters, digits and the listed marks, as the CharacterSet was")
    func pathCharacters() {
        let prefixSet = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./")
        let tokenSet = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        for scalar in Self.scalars {
            #expect(ReceiverConfig.isPathCharacter(scalar, also: "-_./") == prefixSet.contains(scalar))
            #expect(ReceiverConfig.isPathCharacter(scalar, also: "-_") == tokenSet.contains(scalar))
        }
    }

    @Test("an unreadable config file is reported with the system's reason", arguments: [
        ("missing", "No such file or directory"), ("directory", "Is a directory"), ("latin1", "it is not UTF-8 text"),
    ])
    func unreadableConfig(kind: String, reason: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mo-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(kind).path
        switch kind {
        case "directory": try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        case "latin1": try Data([0x5B, 0xE9, 0x5D]).write(to: URL(fileURLWithPath: path))
        default: break
        }
        #expect(throws: ConfigError.self) { try ReceiverConfig.load(path: path) }
        do {
            _ = try ReceiverConfig.load(path: path)
        } catch {
            #expect(error.message.hasPrefix("cannot read the config file (\(reason));"))
        }
    }
}
