import Foundation
import MOFuzzTargets
import Testing

/// Every input under `Fuzz/corpus/<target>/` (seeds, and inputs that once crashed or broke an invariant) goes
/// through the same `FuzzTarget` the libFuzzer driver runs, so a fixed bug stays fixed in every `swift test`
/// without a fuzzing toolchain. A crash here is a crash of the test process: run the file named in the failing
/// target's folder through `scripts/fuzz.sh --replay` to see which one (docs/fuzzing.md).
@Suite("Fuzz corpus replay")
struct FuzzCorpusReplayTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus")

    static func files(of target: String) -> [URL] {
        let folder = corpus.appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test("every input in the target's corpus keeps every invariant", arguments: FuzzTarget.all.map(\.name))
    func replay(name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        let files = Self.files(of: name)
        #expect(files.count >= 3, "Fuzz/corpus/\(name) has \(files.count) inputs; seeds belong there")
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: file))
            do {
                try target.run(bytes)
            } catch {
                Issue.record("\(file.lastPathComponent): \(error)")
            }
        }
    }

    @Test("every corpus folder belongs to a target, and every target has one")
    func inventory() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).sorted()
        #expect(folders == FuzzTarget.all.map(\.name).sorted())
    }

    @Test("target names are unique and usable as folder names")
    func names() {
        let names = FuzzTarget.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.allSatisfy { $0.allSatisfy { $0.isLowercase || $0 == "-" } })
    }
}
