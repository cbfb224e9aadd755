import Glibc
import MOSystem

extension FileMediaStore {
    /// The mode of every directory the store creates (a stricter umask narrows it).
    static let directoryMode: mode_t = 0o750

    /// Creates the root (and its missing parents) and `root/tmp`, each new directory made durable in its parent,
    /// and checks that the store can write there.
    func createRoot() throws(MediaStoreError) {
        var prefixes: [String] = []
        var prefix = ""
        for component in root.split(separator: "/") {
            prefix += "/" + component
            prefixes.append(prefix)
        }
        for directory in prefixes + [temporaryDirectory] {
            var info = stat()
            if stat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { continue }
            try makeDirectory(directory)
            try syncDirectory(parent(of: directory))
        }
        for directory in [root, temporaryDirectory] where access(directory, W_OK | X_OK) != 0 {
            throw MediaStoreError("access", path: directory, errno: errno)
        }
    }

    /// Creates the shard directories for `address` that are missing, and makes sure their entries are durable:
    /// the first time this process meets a directory, it fsyncs the parent, whoever created the directory.
    func createDirectories(for address: ContentAddress) throws(MediaStoreError) {
        for directory in address.directories where !ledger.isDurable(directory) {
            let path = "\(root)/\(directory)"
            try makeDirectory(path)
            try syncDirectory(parent(of: path))
            ledger.markDurable(directory)
        }
    }

    /// `mkdir(path, 0750)`; a directory that exists already (another writer won the race) is fine.
    private func makeDirectory(_ path: String) throws(MediaStoreError) {
        guard mkdir(path, Self.directoryMode) == 0 else {
            let code = errno
            var info = stat()
            if code == EEXIST, stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { return }
            throw MediaStoreError("mkdir", path: path, errno: code == EEXIST ? ENOTDIR : code)
        }
    }

    /// Fsyncs the directory at `path`, so the entries created or renamed in it survive a crash.
    func syncDirectory(_ path: String) throws(MediaStoreError) {
        let directory = Descriptor(open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC))
        guard directory.isOpen else { throw MediaStoreError("open", path: path, errno: errno) }
        try sync(directory.raw, path: path)
    }

    /// Fsyncs `descriptor` (the file or directory at `path`) through the store's file system, retrying EINTR.
    func sync(_ descriptor: Int32, path: String) throws(MediaStoreError) {
        while fileSystem.fsync(descriptor) != 0 {
            guard errno == EINTR else { throw MediaStoreError("fsync", path: path, errno: errno) }
        }
    }

    private func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }
}
