import MOTestFixtures
import Foundation
import Testing
import Digest

/// Agreement with coreutils' `sha256sum`, an implementation we did not write.
@Suite("SHA-256 agrees with sha256sum")
struct SHA256SystemAgreementTests {
    @Test("random buffers of many lengths hash as sha256sum says", arguments: [UInt64(0x5EED), 7])
    func randomBuffers(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let lengths = [0, 1, 55, 56, 63, 64, 65, 4_095, 65_537] + (0..<6).map { _ in Int.random(in: 1...300_000, using: &random) }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("digest-tests-\(seed)-\(getpid())", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var expected: [String: String] = [:]
        var paths: [String] = []
        for (index, length) in lengths.enumerated() {
            let bytes = random.bytes(length)
            let path = directory.appendingPathComponent("buffer-\(index)").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            expected[path] = SHA256.hash(bytes).hexString
            paths.append(path)
        }

        let output = try runSHA256Sum(paths)
        var checked = 0
        for line in output.split(separator: "\n") {
            // "<64 hex digits>  <path>"
            let digest = String(line.prefix(64))
            let path = String(line.dropFirst(66))
            #expect(expected[path] == digest, "\(path)")
            checked += 1
        }
        #expect(checked == lengths.count)
    }

    private func runSHA256Sum(_ paths: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = paths
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }
}
