import Foundation
import Glibc
import Testing
@testable import MOMedia
import MOSystem

/// Writing, committing, deduplicating, limits and permissions of a `FileMediaStore`, on real files.
@Suite("FileMediaStore")
struct MediaStoreTests {
    @Test("a committed write holds exactly the bytes, named by their SHA-256 as sha256sum computes it")
    func roundTrip() throws {
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore()
        let bytes = Array("a photo, pretend\n".utf8) + (0...255).map(UInt8.init)
        let writer = try store.beginWrite(fileExtension: "jpg", maxBytes: 1 << 20)
        try writer.write(Array(bytes[..<10]))
        try writer.write(Array(bytes[10...]))
        #expect(writer.byteCount == bytes.count)
        let stored = try writer.commit()

        let path = store.path(forContentAddress: stored.address)
        #expect(stored.byteCount == bytes.count)
        #expect(!stored.alreadyStored)
        #expect(try sha256sum(file: path) == stored.sha256Hex)
        #expect(stored.relativePath == "\(stored.sha256Hex.prefix(2))/\(stored.sha256Hex.dropFirst(2).prefix(2))/"
            + "\(stored.sha256Hex).jpg")
        #expect(path == "\(sandbox.root)/\(stored.relativePath)")
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == bytes)
        #expect(try store.exists(stored.address))
        #expect(sandbox.temporaryFiles().isEmpty)
        #expect(sandbox.storedFiles() == [stored.relativePath])
    }

    @Test("without an extension the file is named by its SHA-256 alone; empty content can be stored")
    func noExtensionAndEmpty() throws {
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore()
        let stored = try store.beginWrite(fileExtension: nil, maxBytes: 0).commit()
        // SHA-256 of nothing.
        #expect(stored.sha256Hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(stored.relativePath == "e3/b0/\(stored.sha256Hex)")
        #expect(stored.byteCount == 0)
    }

    @Test("identical content is stored once: the second commit keeps the first file and drops its own")
    func deduplicates() throws {
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore()
        let bytes = Array(repeating: UInt8(7), count: 10_000)
        let first = try store.store(bytes, fileExtension: "png")
        let inode = try sandbox.inode(of: store.path(forContentAddress: first.address))
        let second = try store.store(bytes, fileExtension: "png")

        #expect(second.address == first.address)
        #expect(second.alreadyStored && !first.alreadyStored)
        #expect(try sandbox.inode(of: store.path(forContentAddress: second.address)) == inode)
        #expect(sandbox.storedFiles() == [first.relativePath])
        #expect(sandbox.temporaryFiles().isEmpty)
    }

    @Test("the same bytes under another extension are another file (the extension is part of the address)")
    func extensionIsPartOfTheAddress() throws {
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore()
        let jpg = try store.store(Array("same".utf8), fileExtension: "jpg")
        let bin = try store.store(Array("same".utf8), fileExtension: "bin")
        #expect(jpg.sha256Hex == bin.sha256Hex)
        #expect(sandbox.storedFiles() == [bin.relativePath, jpg.relativePath].sorted())
    }

    @Test("a damaged file of the wrong size at the address is replaced, not taken for the content")
    func replacesDamagedFile() throws {
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore()
        let bytes = Array("the real content".utf8)
        let stored = try store.store(bytes, fileExtension: "txt")
        let path = store.path(forContentAddress: stored.address)
        try Data("the real".utf8).write(to: URL(fileURLWithPath: path))

        let again = try store.store(bytes, fileExtension: "txt")
        #expect(!again.alreadyStored)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == bytes)
    }

    @Test("exactly maxBytes is accepted")
    func exactlyMaxBytes() throws {
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore()
        let writer = try store.beginWrite(fileExtension: "bin", maxBytes: 100)
        try writer.write(Array(repeating: 1, count: 60))
        try writer.write(Array(repeating: 2, count: 40))
        #expect(try writer.commit().byteCount == 100)
    }

    @Test("one byte past maxBytes is tooLarge at once, the temporary file is gone, and the writer is closed",
          arguments: [[101], [60, 41], [100, 1], [50, 50, 1]])
    func tooLarge(chunks: [Int]) throws {
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore()
        let writer = try store.beginWrite(fileExtension: "bin", maxBytes: 100)
        #expect(sandbox.temporaryFiles().count == 1)
        var thrown: MediaStoreError?
        for count in chunks {
            do {
                try writer.write(Array(repeating: 9, count: count))
            } catch {
                thrown = error
                break
            }
        }
        #expect(thrown == .tooLarge(limit: 100))
        #expect(sandbox.temporaryFiles().isEmpty)
        #expect(sandbox.storedFiles().isEmpty)
        #expect(throws: MediaStoreError.writerClosed) { try writer.write([1]) }
        #expect(throws: MediaStoreError.writerClosed) { try writer.commit() }
    }

    @Test("abort removes the temporary file, and the writer is closed afterwards")
    func abortLeavesNothing() throws {
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore()
        let writer = try store.beginWrite(fileExtension: "bin", maxBytes: 1000)
        try writer.write(Array(repeating: 3, count: 500))
        #expect(sandbox.temporaryFiles().count == 1)
        writer.abort()
        writer.abort()
        #expect(sandbox.temporaryFiles().isEmpty)
        #expect(sandbox.storedFiles().isEmpty)
        #expect(throws: MediaStoreError.writerClosed) { try writer.commit() }
    }

    @Test("a writer released without commit removes its temporary file and closes its descriptor")
    func releaseLeavesNothing() throws {
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore()
        var path = ""
        do {
            let writer = try store.beginWrite(fileExtension: "bin", maxBytes: 1000)
            try writer.write(Array(repeating: 3, count: 500))
            path = try #require(writer as? FileMediaWriter).temporaryPath
            #expect(try openDescriptorTargets().contains(path))
        }
        #expect(sandbox.temporaryFiles().isEmpty)
        #expect(!(try openDescriptorTargets().contains(path)))
    }

    @Test("a committed writer closes its descriptor and is closed for further writes")
    func commitClosesWriter() throws {
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore()
        let writer = try store.beginWrite(fileExtension: "bin", maxBytes: 1000)
        try writer.write([1, 2, 3])
        let stored = try writer.commit()
        let targets = try openDescriptorTargets()
        #expect(!targets.contains(store.path(forContentAddress: stored.address)))
        #expect(!targets.contains { $0.hasPrefix(sandbox.root + "/tmp/") })
        #expect(throws: MediaStoreError.writerClosed) { try writer.write([4]) }
        #expect(throws: MediaStoreError.writerClosed) { try writer.commit() }
        writer.abort()
        #expect(try store.exists(stored.address))
    }

    @Test("directories are created 0750 and files 0640 (narrowed only by the umask); a write in progress is 0640")
    func permissions() throws {
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore()
        let mask = try processUmask()
        let writer = try store.beginWrite(fileExtension: "gif", maxBytes: 100)
        #expect(try sandbox.mode(of: #require(writer as? FileMediaWriter).temporaryPath) == 0o640 & ~mask)
        try writer.write([1, 2, 3])
        let stored = try writer.commit()

        let directories = [sandbox.root, "\(sandbox.root)/tmp",
                           "\(sandbox.root)/\(stored.sha256Hex.prefix(2))",
                           "\(sandbox.root)/\(stored.address.directory)"]
        for directory in directories {
            #expect(try sandbox.mode(of: directory) == 0o750 & ~mask, "\(directory)")
        }
        #expect(try sandbox.mode(of: store.path(forContentAddress: stored.address)) == 0o640 & ~mask)
    }

    @Test("a 20 MiB download streamed in 64 KiB chunks is stored whole and named by its SHA-256")
    func twentyMebibytes() throws {
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore()
        let total = 20 << 20
        let writer = try store.beginWrite(fileExtension: "mp4", maxBytes: total)
        var random = SystemRandomNumberGenerator()
        var written: [UInt8] = []
        written.reserveCapacity(total)
        for _ in 0..<(total / 65_536) {
            let words = (0..<8192).map { _ in random.next() as UInt64 }
            let chunk = words.withUnsafeBytes { [UInt8]($0) }
            try writer.write(chunk)
            written += chunk
        }
        let stored = try writer.commit()
        let path = store.path(forContentAddress: stored.address)
        #expect(stored.byteCount == total)
        #expect(try sha256sum(file: path) == stored.sha256Hex)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == written)
        #expect(sandbox.temporaryFiles().isEmpty)
    }

    @Test("exists, path and remove work by content address only")
    func lookups() throws {
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore()
        let stored = try store.store(Array("x".utf8), fileExtension: "txt")
        let other = try ContentAddress(sha256Hex: String(repeating: "0", count: 64), fileExtension: "txt")

        #expect(try store.exists(stored.address))
        #expect(!(try store.exists(other)))
        #expect(try store.exists(ContentAddress(relativePath: stored.relativePath)))
        #expect(try store.remove(stored.address))
        #expect(!(try store.exists(stored.address)))
        #expect(!(try store.remove(stored.address)))
        #expect(!(try store.remove(other)))
    }

    @Test("the root and its missing parents are created; a trailing slash is ignored")
    func createsRoot() throws {
        let sandbox = try MediaStoreSandbox()
        let root = "\(sandbox.parent)/a/b/media"
        let store = try FileMediaStore(root: root + "//", digest: { ShellSHA256() })
        #expect(store.root == root)
        #expect(try sandbox.mode(of: "\(sandbox.parent)/a") == 0o750 & ~processUmask())
        #expect(try sandbox.mode(of: "\(root)/tmp") == 0o750 & ~processUmask())
    }

    @Test("a relative, empty or NUL-holding root is refused", arguments: ["media", "", "/", "/tmp/a\0b"])
    func invalidRoot(root: String) {
        #expect(throws: MediaStoreError.invalidRoot(root)) {
            try FileMediaStore(root: root, digest: { ShellSHA256() })
        }
    }

    @Test("a root under a regular file is a clear error naming the path")
    func rootUnderFile() throws {
        let sandbox = try MediaStoreSandbox()
        let file = "\(sandbox.parent)/file"
        try Data().write(to: URL(fileURLWithPath: file))
        #expect(throws: MediaStoreError.systemCall("mkdir", path: file, errno: ENOTDIR)) {
            try FileMediaStore(root: "\(file)/media", digest: { ShellSHA256() })
        }
    }

    @Test("a digest that is not SHA-256 fails the commit and leaves nothing")
    func invalidDigest() throws {
        struct Short: StreamingDigest {
            mutating func update(_ bytes: UnsafeRawBufferPointer) {}
            func finalizeHex() -> String { "../../etc/passwd" }
        }
        let sandbox = try MediaStoreSandbox()
        let store = try FileMediaStore(root: sandbox.root, digest: { Short() })
        let writer = try store.beginWrite(fileExtension: nil, maxBytes: 10)
        try writer.write([1])
        #expect(throws: MediaStoreError.invalidDigest) { try writer.commit() }
        #expect(sandbox.temporaryFiles().isEmpty)
        #expect(sandbox.storedFiles().isEmpty)
    }

    @Test("error descriptions are one line an operator can act on")
    func descriptions() {
        #expect(MediaStoreError.diskFull(path: "/m/tmp/a.part", errno: ENOSPC).description
            == "media store is full at /m/tmp/a.part (No space left on device): free space or raise the quota")
        #expect(MediaStoreError.ioError("fsync", path: "/m/ab/cd").description
            == "media store: fsync of /m/ab/cd failed with an I/O error: check the disk")
        #expect(MediaStoreError.tooLarge(limit: 5).description == "media is larger than the limit of 5 bytes")
        #expect(MediaStoreError.invalidExtension("x\ny").description
            == "media file extension 'x\\ny' is not 1 to 8 of a-z and 0-9")
        #expect(!MediaStoreError.invalidContentAddress(String(repeating: "a", count: 5000)).description
            .contains(String(repeating: "a", count: 41)))
    }
}

// MARK: - Test support shared by the MediaStore suites

/// A fresh directory for one test (`parent`), with the store's root at `parent/media`; removed with everything in
/// it when the value is released.
final class MediaStoreSandbox {
    let parent: String
    var root: String { "\(parent)/media" }

    init() throws {
        var template = Array("/tmp/media-store-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        parent = String(cString: made)
        chmod(parent, 0o750)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: parent)
    }

    func makeStore(fileSystem: any MediaFileSystem = SystemMediaFileSystem()) throws -> FileMediaStore {
        try FileMediaStore(root: root, digest: { ShellSHA256() }, fileSystem: fileSystem)
    }

    /// The names in `root/tmp`, sorted.
    func temporaryFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(root)/tmp")) ?? []).sorted()
    }

    /// Every file under the root outside `tmp`, as sorted relative paths.
    func storedFiles() -> [String] {
        let entries = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return entries.filter { entry in
            var info = stat()
            return !entry.hasPrefix("tmp/") && lstat("\(root)/\(entry)", &info) == 0 && info.st_mode & S_IFMT != S_IFDIR
        }.sorted()
    }

    func mode(of path: String) throws -> mode_t {
        try status(of: path).st_mode & 0o7777
    }

    func inode(of path: String) throws -> ino_t {
        try status(of: path).st_ino
    }

    private func status(of path: String) throws -> stat {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        return info
    }
}

/// SHA-256 by `sha256sum`: keeps the bytes and hands them to the tool at the end (MOMedia's tests do not use the
/// Digest target, and an independent implementation is a better check anyway).
struct ShellSHA256: StreamingDigest {
    private var bytes: [UInt8] = []

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        self.bytes.append(contentsOf: bytes)
    }

    func finalizeHex() -> String {
        let result = try? ProcessRunner.run(ProcessRequest(executable: "/usr/bin/sha256sum", stdin: bytes,
                                                           timeout: .seconds(60)))
        return String(String(decoding: result?.stdout ?? [], as: UTF8.self).prefix(64))
    }
}

/// The SHA-256 of the file at `path`, by `sha256sum`.
func sha256sum(file path: String) throws -> String {
    let result = try ProcessRunner.run(ProcessRequest(executable: "/usr/bin/sha256sum", arguments: [path],
                                                      timeout: .seconds(60)))
    return String(String(decoding: result.stdout, as: UTF8.self).prefix(64))
}

/// This process's umask, read without changing it (`umask(2)` can only set it, and tests run in parallel).
func processUmask() throws -> mode_t {
    let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
    let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("Umask:") })
    return try #require(mode_t(line.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8))
}

/// What every open descriptor of this process points at.
func openDescriptorTargets() throws -> [String] {
    let directory = "/proc/self/fd"
    return try FileManager.default.contentsOfDirectory(atPath: directory).compactMap { entry in
        try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\(entry)")
    }
}

/// Sets the modification time of `path` to `age` ago.
func backdate(_ path: String, by age: Duration) throws {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    let then = timespec(tv_sec: now.tv_sec - Int(age.components.seconds), tv_nsec: now.tv_nsec)
    let times = [then, then]
    guard utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW) == 0 else {
        throw POSIXError(.init(rawValue: errno) ?? .EIO)
    }
}

extension MediaStorage {
    /// Stores `bytes` in one write.
    func store(_ bytes: [UInt8], fileExtension: String?) throws -> StoredMedia {
        let writer = try beginWrite(fileExtension: fileExtension, maxBytes: bytes.count)
        try writer.write(bytes)
        return try writer.commit()
    }
}
