import Foundation
import Glibc
import Testing
@testable import MOMedia
import MOTestSupport

/// Several media worker threads writing at once, as the daemon's do.
@Suite("FileMediaStore under concurrent writers")
struct MediaStoreConcurrencyTests {
    @Test("16 writers of the same content, committing together, all succeed and leave one file")
    func sameContentRace() throws {
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore()
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 1) }
        let ready = Locked(0)
        let results = onThreads(16) { _ in
            Result { () throws(MediaStoreError) -> StoredMedia in
                let writer = try store.beginWrite(fileExtension: "jpg", maxBytes: bytes.count)
                for start in stride(from: 0, to: bytes.count, by: 16_384) {
                    try writer.write(Array(bytes[start..<min(start + 16_384, bytes.count)]))
                }
                // Commit together: the directory creation and the renames race.
                ready.update { $0 += 1 }
                while ready.value < 16 { usleep(100) }
                return try writer.commit()
            }
        }

        let stored = try results.map { try $0.get() }
        #expect(Set(stored.map(\.address)).count == 1)
        #expect(stored.allSatisfy { $0.byteCount == bytes.count })
        #expect(stored.contains { !$0.alreadyStored })
        #expect(sandbox.storedFiles() == [stored[0].relativePath])
        #expect(sandbox.temporaryFiles().isEmpty)
        let path = store.path(forContentAddress: stored[0].address)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == bytes)
        #expect(try sha256sum(file: path) == stored[0].sha256Hex)
    }

    @Test("16 writers of different content each store their own file")
    func differentContent() throws {
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore()
        let results = onThreads(16) { index in
            Result { () throws(MediaStoreError) -> StoredMedia in
                let writer = try store.beginWrite(fileExtension: "bin", maxBytes: 1 << 20)
                for part in 0..<8 {
                    try writer.write(Array(repeating: UInt8(index), count: 4096 + part))
                }
                return try writer.commit()
            }
        }

        let stored = try results.map { try $0.get() }
        #expect(Set(stored.map(\.address)).count == 16)
        #expect(stored.allSatisfy { !$0.alreadyStored })
        #expect(sandbox.storedFiles() == stored.map(\.relativePath).sorted())
        #expect(sandbox.temporaryFiles().isEmpty)
    }

    @Test("writers that fail or abort while others commit leave only the committed files")
    func mixedOutcomes() throws {
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore()
        let results = onThreads(12) { index in
            Result { () throws(MediaStoreError) -> StoredMedia? in
                let writer = try store.beginWrite(fileExtension: nil, maxBytes: 10_000)
                try writer.write(Array(repeating: UInt8(index % 4), count: 6000))
                switch index % 3 {
                case 0: return try writer.commit()
                case 1: writer.abort(); return nil
                default: try writer.write(Array(repeating: 0, count: 6000)); return nil
                }
            }
        }

        var committed: Set<String> = []
        for (index, result) in results.enumerated() {
            switch (index % 3, result) {
            case (0, .success(let stored?)): committed.insert(stored.relativePath)
            case (1, .success(nil)): break
            case (2, .failure(.tooLarge(limit: 10_000))): break
            default: Issue.record("writer \(index): unexpected \(result)")
            }
        }
        #expect(sandbox.storedFiles() == committed.sorted())
        #expect(sandbox.temporaryFiles().isEmpty)
    }
}
