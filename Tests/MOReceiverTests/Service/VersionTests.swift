import Foundation
import MOReceiver
import MOTestSupport
import Testing

/// The release's identity: one VERSION file, the commit, the compiler, in both binaries and in /metrics.
@Suite("Versions")
struct VersionTests {
    static let versionFile: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let text = (try? String(contentsOf: root.appendingPathComponent("VERSION"), encoding: .utf8)) ?? ""
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }()

    @Test("the VERSION file is a semantic version, and the build carries it with a commit")
    func buildInfo() {
        #expect(Self.versionFile.wholeMatch(of: /[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?/) != nil, "\(Self.versionFile)")
        #expect(BuildInfo.version == Self.versionFile)
        // A checkout gives the commit (12 hex digits, -dirty with uncommitted changes); a tarball gives "unknown".
        #expect(BuildInfo.commit.wholeMatch(of: /[0-9a-f]{12}(-dirty)?|unknown/) != nil, "\(BuildInfo.commit)")
        #expect(BuildInfo.swiftVersion.hasPrefix("6."))
    }

    @Test("mo-receiver --version and moctl --version print the version, the commit and the Swift version",
          arguments: ["mo-receiver", "moctl"])
    func versionFlag(tool: String) throws {
        let run = try runBuiltTool(tool, ["--version"])
        #expect(run.status == 0, "\(run.output)")
        let line = run.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(line == "\(tool) \(Self.versionFile) (commit \(BuildInfo.commit), Swift \(BuildInfo.swiftVersion))")
    }

    @Test("/metrics exports mo_receiver_build_info with the version and commit")
    func metric() throws {
        let harness = try ReceiverHarness()
        let port = try #require(harness.receiver.adminPort)
        let text = try RawHTTPClient.get(port: port, path: "/metrics").body
        #expect(text.contains("\nmo_receiver_build_info{version=\"\(Self.versionFile)\",commit=\"\(BuildInfo.commit)\"} 1\n"))
        #expect(text.contains("# TYPE mo_receiver_build_info gauge"))
    }
}
