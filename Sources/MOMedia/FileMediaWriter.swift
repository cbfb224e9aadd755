import Glibc
import MOSystem

/// One write into a `FileMediaStore`: a temporary file `root/tmp/<random>.part` (0640) that receives the chunks and
/// the SHA-256 that names them, until `commit()` moves it into place or anything else removes it.
///
/// Owned by the thread that downloads, and used only there. Its file descriptor has one owner (`Descriptor`), closed
/// on every path; the temporary file is removed on abort, on every failure, and in `deinit` if the writer is
/// released before it was committed.
final class FileMediaWriter: MediaWriter {
    /// Where a writer is in its life: `writing → committed`, or `writing → aborted | failed`.
    enum State: Equatable, CustomStringConvertible {
        case writing
        case committed
        case aborted
        case failed

        var description: String {
            switch self {
            case .writing: "writing"
            case .committed: "committed"
            case .aborted: "aborted"
            case .failed: "failed"
            }
        }
    }

    /// The mode of stored files (a stricter umask narrows it).
    static let fileMode: mode_t = 0o640

    private let store: FileMediaStore
    private let fileExtension: String?
    /// The most bytes the file may have.
    let maxBytes: Int
    /// The temporary file's name in `root/tmp`, and its path.
    let temporaryName: String
    let temporaryPath: String
    private var descriptor: Descriptor
    private var digest: any StreamingDigest
    private(set) var byteCount = 0
    private(set) var state = State.writing

    init(store: FileMediaStore, fileExtension: String?, maxBytes: Int) throws(MediaStoreError) {
        self.store = store
        self.fileExtension = fileExtension
        self.maxBytes = max(0, maxBytes)
        var random = SystemRandomNumberGenerator()
        var attempt = 0
        while true {
            // 128 random bits: a clash needs a broken random source; O_EXCL turns even that into a retry.
            let name = Self.hex(random.next()) + Self.hex(random.next()) + ".part"
            let path = "\(store.temporaryDirectory)/\(name)"
            let opened = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, Self.fileMode)
            if opened >= 0 {
                temporaryName = name
                temporaryPath = path
                descriptor = Descriptor(opened)
                break
            }
            let code = errno
            attempt += 1
            guard (code == EEXIST || code == EINTR) && attempt < 8 else {
                throw MediaStoreError("open", path: path, errno: code)
            }
        }
        digest = store.makeDigest()
        store.ledger.beginWriting(temporaryName)
    }

    deinit {
        if state == .writing { discardTemporaryFile() }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(MediaStoreError) {
        guard state == .writing else { throw .writerClosed }
        guard bytes.count <= maxBytes - byteCount else { throw fail(.tooLarge(limit: maxBytes)) }
        var remaining = bytes
        while !remaining.isEmpty {
            let written = store.fileSystem.write(descriptor.raw, remaining)
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                throw fail(MediaStoreError("write", path: temporaryPath, errno: code))
            }
            // write(2) returns 0 for a non-empty regular-file write only if the device gives up without an errno.
            guard written > 0 else { throw fail(.ioError("write", path: temporaryPath)) }
            remaining = UnsafeRawBufferPointer(rebasing: remaining[written...])
        }
        digest.update(bytes)
        byteCount += bytes.count
    }

    func commit() throws(MediaStoreError) -> StoredMedia {
        guard state == .writing else { throw .writerClosed }
        do {
            try store.sync(descriptor.raw, path: temporaryPath)
        } catch {
            throw fail(error)
        }
        descriptor.close()
        let address: ContentAddress
        do {
            address = try ContentAddress(sha256Hex: digest.finalizeHex(), fileExtension: fileExtension)
        } catch {
            throw fail(.invalidDigest)
        }
        let finalPath = store.path(forContentAddress: address)
        let finalDirectory = "\(store.root)/\(address.directory)"
        do {
            try store.createDirectories(for: address)
        } catch {
            throw fail(error)
        }

        var existing = stat()
        if lstat(finalPath, &existing) == 0, existing.st_mode & S_IFMT == S_IFREG, existing.st_size == byteCount {
            // Stored already (its writer fsynced it before the rename). The size check keeps a damaged file from
            // standing in for good content: a file of another size is replaced by the rename below.
            discardTemporaryFile()
            state = .committed
            // The other writer may not have fsynced the directory yet; the caller is told "durable" only after that.
            try store.syncDirectory(finalDirectory)
            return StoredMedia(address: address, byteCount: byteCount, alreadyStored: true)
        }

        // If an identical file lands there first, rename replaces it atomically: one file either way.
        guard rename(temporaryPath, finalPath) == 0 else {
            throw fail(MediaStoreError("rename", path: finalPath, errno: errno))
        }
        store.ledger.endWriting(temporaryName)
        state = .committed
        // The file is complete and fsynced in place now; if the directory fsync fails, the caller retries and the
        // retry finds it stored.
        try store.syncDirectory(finalDirectory)
        return StoredMedia(address: address, byteCount: byteCount, alreadyStored: false)
    }

    func abort() {
        guard state == .writing else { return }
        discardTemporaryFile()
        state = .aborted
    }

    /// `value` as 16 lowercase hexadecimal digits.
    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Closes and removes the temporary file after `error`, finishes the writer, and returns `error` to throw.
    private func fail(_ error: MediaStoreError) -> MediaStoreError {
        discardTemporaryFile()
        state = .failed
        return error
    }

    /// Closes the temporary file if it is open, removes it, and stops protecting it from `sweep`. A failed unlink
    /// is left to `sweep`, which removes the file once it is old.
    private func discardTemporaryFile() {
        descriptor.close()
        unlink(temporaryPath)
        store.ledger.endWriting(temporaryName)
    }
}
