import Foundation
import Glibc
import Testing
@testable import MOMedia

/// Sweeping the temporary files of writes that never finished.
@Suite("FileMediaStore sweep")
struct MediaStoreSweepTests {
    @Test("old .part files are removed and counted; recent ones stay")
    func removesOldPartFiles() throws {
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore()
        let tmp = "\(sandbox.root)/tmp"
        for name in ["old-1.part", "old-2.part", "fresh.part"] {
            try Data(repeating: 1, count: 100).write(to: URL(fileURLWithPath: "\(tmp)/\(name)"))
        }
        try backdate("\(tmp)/old-1.part", by: .seconds(7200))
        try backdate("\(tmp)/old-2.part", by: .seconds(3700))

        #expect(try store.sweep(olderThan: .seconds(3600)) == 2)
        #expect(sandbox.temporaryFiles() == ["fresh.part"])
        #expect(try store.sweep(olderThan: .seconds(3600)) == 0)
    }

    @Test("stored files, other names in tmp and directories are never touched, however old")
    func leavesEverythingElse() throws {
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore()
        let tmp = "\(sandbox.root)/tmp"
        let stored = try store.store(Array("kept".utf8), fileExtension: "txt")
        let storedPath = store.path(forContentAddress: stored.address)
        try Data().write(to: URL(fileURLWithPath: "\(tmp)/notes.txt"))
        try Data().write(to: URL(fileURLWithPath: "\(tmp)/almost.part.txt"))
        #expect(mkdir("\(tmp)/directory.part", 0o750) == 0)
        #expect(symlink(storedPath, "\(tmp)/link.part") == 0)
        for path in [storedPath, "\(tmp)/notes.txt", "\(tmp)/almost.part.txt", "\(tmp)/directory.part",
                     "\(tmp)/link.part"] {
            try backdate(path, by: .seconds(86_400 * 30))
        }

        #expect(try store.sweep(olderThan: .seconds(60)) == 0)
        #expect(sandbox.temporaryFiles() == ["almost.part.txt", "directory.part", "link.part", "notes.txt"])
        #expect(try store.exists(stored.address))
    }

    @Test("the file of a write in progress is kept however old, and the write still commits")
    func keepsWriteInProgress() throws {
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore()
        let writer = try store.beginWrite(fileExtension: "bin", maxBytes: 100)
        try writer.write([1, 2, 3])
        try backdate(try #require(writer as? FileMediaWriter).temporaryPath, by: .seconds(86_400))

        #expect(try store.sweep(olderThan: .zero) == 0)
        try writer.write([4])
        let stored = try writer.commit()
        #expect(try store.exists(stored.address))
        #expect(stored.byteCount == 4)
    }

    @Test("a write another store instance (another process) left behind is swept once old")
    func sweepsOtherInstancesLeftovers() throws {
        let sandbox = try MediaStoreSandbox()
        let crashed = try sandbox.makeStore()
        let writer = try crashed.beginWrite(fileExtension: "bin", maxBytes: 100)
        try writer.write([1, 2, 3])
        let path = try #require(writer as? FileMediaWriter).temporaryPath
        try backdate(path, by: .seconds(600))

        let restarted = try sandbox.makeStore()
        #expect(try restarted.sweep(olderThan: .seconds(300)) == 1)
        #expect(sandbox.temporaryFiles().isEmpty)
        // The abandoned writer finds its file gone: its commit fails, it does not store anything.
        #expect(throws: MediaStoreError.self) { try writer.commit() }
        #expect(sandbox.storedFiles().isEmpty)
    }
}
