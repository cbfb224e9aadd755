import Glibc

/// Media files in a local directory (the daemon's `StateDirectory`), named by content:
/// ```
/// root/tmp/<random>.part            a write in progress (0640)
/// root/ab/cd/<sha256>[.ext]         stored content (0640), directories 0750
/// ```
/// A write goes to a new temporary file (`O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC`), and `commit()` fsyncs it, renames
/// it into place, and fsyncs the directory, so a file is visible under its final name only when it is complete and
/// durable. Identical content is stored once: two writers racing to the same name both succeed, and `rename`
/// leaves one file. Modes are requested as 0750 and 0640; a stricter umask narrows them further.
///
/// One store per root, shared by all media worker threads (`Sendable`); each writer is owned by the thread that
/// downloads. Every call blocks on file-system I/O: call from worker threads, not from Swift concurrency tasks.
public final class FileMediaStore: MediaStorage {
    /// The absolute path of the store's directory, without a trailing `/`.
    public let root: String
    /// `root/tmp`, where writes in progress live.
    let temporaryDirectory: String
    let fileSystem: any MediaFileSystem
    let makeDigest: @Sendable () -> any StreamingDigest
    let ledger = MediaStoreLedger()

    /// A store in `root` (an absolute path), creating it and any missing parents (0750) if needed.
    ///
    /// - Parameter digest: makes the SHA-256 hash for one write (see `StreamingDigest`).
    public convenience init(root: String, digest: @escaping @Sendable () -> any StreamingDigest)
        throws(MediaStoreError)
    {
        try self.init(root: root, digest: digest, fileSystem: SystemMediaFileSystem())
    }

    /// A store whose writes go through `fileSystem` (tests inject failures and watch fsyncs there).
    init(root: String, digest: @escaping @Sendable () -> any StreamingDigest, fileSystem: any MediaFileSystem)
        throws(MediaStoreError)
    {
        var trimmed = root
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard trimmed.hasPrefix("/"), trimmed != "/", !trimmed.utf8.contains(0) else { throw .invalidRoot(root) }
        self.root = trimmed
        temporaryDirectory = trimmed + "/tmp"
        makeDigest = digest
        self.fileSystem = fileSystem
        try createRoot()
    }

    public func beginWrite(fileExtension: String?, maxBytes: Int) throws(MediaStoreError) -> any MediaWriter {
        try ContentAddress.validate(fileExtension: fileExtension)
        return try FileMediaWriter(store: self, fileExtension: fileExtension, maxBytes: maxBytes)
    }

    public func path(forContentAddress address: ContentAddress) -> String {
        "\(root)/\(address.relativePath)"
    }

    public func exists(_ address: ContentAddress) throws(MediaStoreError) -> Bool {
        let path = path(forContentAddress: address)
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return false }
            throw MediaStoreError("stat", path: path, errno: errno)
        }
        return info.st_mode & S_IFMT == S_IFREG
    }

    @discardableResult
    public func remove(_ address: ContentAddress) throws(MediaStoreError) -> Bool {
        let path = path(forContentAddress: address)
        guard unlink(path) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return false }
            throw MediaStoreError("unlink", path: path, errno: errno)
        }
        // Not fsynced: after a crash the file may come back, an orphan that costs space but misleads no one.
        return true
    }
}
