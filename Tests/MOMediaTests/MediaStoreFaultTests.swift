import Foundation
import Glibc
import Testing
@testable import MOMedia
import MOTestSupport

/// Disks that fill up, quotas, failing devices: injected through the store's file-system seam, so every failure
/// can be shown to leave no partial file without a real full disk (see `MediaStoreTmpfsTests` for a real one).
@Suite("FileMediaStore failures")
struct MediaStoreFaultTests {
    @Test("a disk that fills after N bytes fails the write as diskFull and leaves no file",
          arguments: [0, 1, 4095, 4096, 8193, 65_537, 199_999])
    func diskFullAtOffset(offset: Int) throws {
        let sandbox = try MediaStoreSandbox()
        let fileSystem = FaultyMediaFileSystem(failWritesAfter: offset, errno: ENOSPC)
        let store = try sandbox.makeStore(fileSystem: fileSystem)
        let writer = try store.beginWrite(fileExtension: "jpg", maxBytes: 1 << 20)
        let temporaryPath = try #require(writer as? FileMediaWriter).temporaryPath

        let error = writeUntilFailure(writer, total: 200_000, chunk: 8192)
        #expect(error == .diskFull(path: temporaryPath, errno: ENOSPC))
        #expect(fileSystem.bytesWritten == offset)
        #expect(writer.byteCount <= offset)
        #expect(sandbox.temporaryFiles().isEmpty)
        #expect(sandbox.storedFiles().isEmpty)
        #expect(!(try openDescriptorTargets().contains(temporaryPath)))
        #expect(throws: MediaStoreError.writerClosed) { try writer.write([1]) }
        #expect(throws: MediaStoreError.writerClosed) { try writer.commit() }
    }

    @Test("write errors are named: quota full is diskFull, EIO is ioError, others keep their errno",
          arguments: [(EDQUOT, MediaStoreError.diskFull(path: "", errno: EDQUOT)),
                      (EIO, .ioError("write", path: "")),
                      (EROFS, .systemCall("write", path: "", errno: EROFS)),
                      (EFBIG, .systemCall("write", path: "", errno: EFBIG))])
    func writeErrorMapping(code: Int32, expected: MediaStoreError) throws {
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore(fileSystem: FaultyMediaFileSystem(failWritesAfter: 1000, errno: code))
        let writer = try store.beginWrite(fileExtension: nil, maxBytes: 1 << 20)
        let temporaryPath = try #require(writer as? FileMediaWriter).temporaryPath
        let error = writeUntilFailure(writer, total: 5000, chunk: 700)
        #expect(error == expected.at(temporaryPath))
        #expect(sandbox.temporaryFiles().isEmpty)
    }

    @Test("an interrupted write (EINTR) is retried and loses nothing")
    func interruptedWrite() throws {
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore(fileSystem: FaultyMediaFileSystem(interruptEveryOtherWrite: true))
        let bytes = (0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let stored = try store.store(bytes, fileExtension: "bin")
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: store.path(forContentAddress: stored.address))))
            == bytes)
    }

    @Test("a failed fsync of the written file fails the commit and leaves no file",
          arguments: [(ENOSPC, MediaStoreError.diskFull(path: "", errno: ENOSPC)),
                      (EDQUOT, .diskFull(path: "", errno: EDQUOT)),
                      (EIO, .ioError("fsync", path: ""))])
    func fileFsyncFails(code: Int32, expected: MediaStoreError) throws {
        let sandbox = try MediaStoreSandbox()
        let fileSystem = FaultyMediaFileSystem(failFsync: { $0.hasSuffix(".part") ? code : nil })
        let store = try sandbox.makeStore(fileSystem: fileSystem)
        let writer = try store.beginWrite(fileExtension: "pdf", maxBytes: 1 << 20)
        let temporaryPath = try #require(writer as? FileMediaWriter).temporaryPath
        try writer.write(Array(repeating: 5, count: 30_000))
        #expect(throws: expected.at(temporaryPath)) { try writer.commit() }
        #expect(sandbox.temporaryFiles().isEmpty)
        #expect(sandbox.storedFiles().isEmpty)
        #expect(throws: MediaStoreError.writerClosed) { try writer.commit() }
    }

    @Test("a failed fsync of the directory fails the commit, but the file in place is complete and a retry finds it")
    func directoryFsyncFails() throws {
        let sandbox = try MediaStoreSandbox()
        let failing = Locked(false)
        let root = sandbox.root
        // Only the target directory, root/ab/cd: the file is renamed into place by then.
        let fileSystem = FaultyMediaFileSystem(failFsync: { path in
            let relative = path.hasPrefix(root + "/") ? path.dropFirst(root.count + 1) : ""
            return failing.value && !relative.hasPrefix("tmp/") && relative.split(separator: "/").count == 2 ? EIO : nil
        })
        let store = try sandbox.makeStore(fileSystem: fileSystem)
        let bytes = Array(repeating: UInt8(6), count: 12_345)
        failing.update { $0 = true }
        let writer = try store.beginWrite(fileExtension: "png", maxBytes: 1 << 20)
        try writer.write(bytes)
        #expect(throws: MediaStoreError.self) { try writer.commit() }
        #expect(sandbox.temporaryFiles().isEmpty)
        let stored = try #require(sandbox.storedFiles().first)
        #expect(try sha256sum(file: "\(sandbox.root)/\(stored)") == String(stored.split(separator: "/")[2].prefix(64)))

        failing.update { $0 = false }
        let retry = try store.store(bytes, fileExtension: "png")
        #expect(retry.alreadyStored)
        #expect(sandbox.storedFiles() == [retry.relativePath])
    }

    @Test("commit fsyncs the file before it is renamed, then the directories it created, then the target directory")
    func fsyncOrder() throws {
        let sandbox = try MediaStoreSandbox()
        let fileSystem = FaultyMediaFileSystem()
        let store = try sandbox.makeStore(fileSystem: fileSystem)
        #expect(fileSystem.fsyncedPaths == [sandbox.parent, sandbox.root],
                "creating the root makes media/ and media/tmp/ durable in their parents")

        fileSystem.clearLog()
        let writer = try store.beginWrite(fileExtension: "jpg", maxBytes: 100)
        let temporaryPath = try #require(writer as? FileMediaWriter).temporaryPath
        try writer.write([1, 2, 3])
        let stored = try writer.commit()
        let shard = "\(sandbox.root)/\(stored.sha256Hex.prefix(2))"
        let directory = "\(sandbox.root)/\(stored.address.directory)"
        #expect(fileSystem.fsyncedPaths == [temporaryPath, sandbox.root, shard, directory])

        fileSystem.clearLog()
        let again = try store.beginWrite(fileExtension: "jpg", maxBytes: 100)
        let againPath = try #require(again as? FileMediaWriter).temporaryPath
        try again.write([1, 2, 3])
        #expect(try again.commit().alreadyStored)
        #expect(fileSystem.fsyncedPaths == [againPath, directory],
                "known directories are not fsynced again; the target directory always is")
    }

    @Test("a shard directory that cannot be created fails the commit and leaves no file")
    func directoryCreationFails() throws {
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore()
        let bytes = Array("content".utf8)
        let address = try ContentAddress(sha256Hex: ShellSHA256.hex(of: bytes), fileExtension: "txt")
        // A regular file where the shard directory must go: mkdir fails as a clear error.
        try Data().write(to: URL(fileURLWithPath: "\(sandbox.root)/\(address.sha256Hex.prefix(2))"))
        let writer = try store.beginWrite(fileExtension: "txt", maxBytes: 100)
        try writer.write(bytes)
        #expect(throws: MediaStoreError.systemCall("mkdir", path: "\(sandbox.root)/\(address.sha256Hex.prefix(2))",
                                                   errno: ENOTDIR)) { try writer.commit() }
        #expect(sandbox.temporaryFiles().isEmpty)
    }
}

/// Writes `total` bytes in `chunk`-sized pieces until a write fails; returns the failure.
private func writeUntilFailure(_ writer: any MediaWriter, total: Int, chunk: Int) -> MediaStoreError? {
    var sent = 0
    while sent < total {
        let count = min(chunk, total - sent)
        do {
            try writer.write(Array(repeating: UInt8(truncatingIfNeeded: sent), count: count))
        } catch {
            return error
        }
        sent += count
    }
    return nil
}

extension MediaStoreError {
    /// The same error at `path` (the tests know the path only once the writer exists).
    fileprivate func at(_ path: String) -> MediaStoreError {
        switch self {
        case .diskFull(_, let code): .diskFull(path: path, errno: code)
        case .ioError(let operation, _): .ioError(operation, path: path)
        case .systemCall(let operation, _, let code): .systemCall(operation, path: path, errno: code)
        default: self
        }
    }
}

extension ShellSHA256 {
    /// The SHA-256 of `bytes`, in hexadecimal.
    static func hex(of bytes: [UInt8]) -> String {
        var digest = ShellSHA256()
        bytes.withUnsafeBytes { digest.update($0) }
        return digest.finalizeHex()
    }
}

/// The real system calls, with failures on demand and a log of what was fsynced:
/// - writes fail with `errno` once `failWritesAfter` bytes have been written in all (a write that crosses the
///   line is cut short first, as a filling disk does);
/// - `failFsync(path)` returns the errno for an fsync of `path`, or nil to let it through;
/// - `interruptEveryOtherWrite` fails every second write with EINTR before it writes anything.
///
/// Shared by all writers of one store; any thread.
final class FaultyMediaFileSystem: MediaFileSystem {
    private struct Log {
        var bytesWritten = 0
        var writeCalls = 0
        var fsyncedPaths: [String] = []
    }

    private let writeFailure: (afterBytes: Int, errno: Int32)?
    private let failFsync: @Sendable (String) -> Int32?
    private let interruptEveryOtherWrite: Bool
    private let log = Locked(Log())

    init(failWritesAfter: Int? = nil, errno code: Int32 = ENOSPC, interruptEveryOtherWrite: Bool = false,
         failFsync: @escaping @Sendable (String) -> Int32? = { _ in nil }) {
        writeFailure = failWritesAfter.map { ($0, code) }
        self.interruptEveryOtherWrite = interruptEveryOtherWrite
        self.failFsync = failFsync
    }

    var bytesWritten: Int { log.value.bytesWritten }
    /// Every fsynced file or directory, by the path its descriptor had at the time, in order.
    var fsyncedPaths: [String] { log.value.fsyncedPaths }

    func clearLog() {
        log.update { $0.fsyncedPaths = [] }
    }

    func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
        var count = bytes.count
        var interrupt = false
        log.update { log in
            log.writeCalls += 1
            interrupt = interruptEveryOtherWrite && log.writeCalls.isMultiple(of: 2)
            if let writeFailure { count = min(count, writeFailure.afterBytes - log.bytesWritten) }
        }
        if interrupt {
            errno = EINTR
            return -1
        }
        if let writeFailure, count <= 0 {
            errno = writeFailure.errno
            return -1
        }
        let written = Glibc.write(descriptor, bytes.baseAddress, count)
        if written > 0 { log.update { $0.bytesWritten += written } }
        return written
    }

    func fsync(_ descriptor: Int32) -> Int32 {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(descriptor)")) ?? "?"
        log.update { $0.fsyncedPaths.append(path) }
        if let code = failFsync(path) {
            errno = code
            return -1
        }
        return Glibc.fsync(descriptor)
    }
}
