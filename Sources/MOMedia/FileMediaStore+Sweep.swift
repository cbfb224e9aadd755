import Glibc

extension FileMediaStore {
    /// Removes `root/tmp/*.part` regular files last modified more than `age` ago that no writer of this store is
    /// writing, and returns how many it removed. Nothing outside `tmp` is looked at. A negative age counts as zero.
    ///
    /// Run it at start-up and now and then with an age well above the longest download; a writer in another
    /// process that stalls for longer than `age` loses its file (its commit then fails and the job retries).
    public func sweep(olderThan age: Duration) throws(MediaStoreError) -> Int {
        let cutoff = Self.realTimeNanoseconds() - max(0, Self.nanoseconds(age))
        guard let listing = opendir(temporaryDirectory) else {
            throw MediaStoreError("opendir", path: temporaryDirectory, errno: errno)
        }
        defer { closedir(listing) }
        var removed = 0
        while let entry = readdir(listing) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasSuffix(".part"), !ledger.isWriting(name) else { continue }
            let path = "\(temporaryDirectory)/\(name)"
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
                  Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec) < cutoff
            else { continue }
            if unlink(path) == 0 {
                removed += 1
            } else if errno != ENOENT {
                throw MediaStoreError("unlink", path: path, errno: errno)
            }
        }
        return removed
    }

    /// The wall-clock time (file times are wall-clock) in nanoseconds since the epoch.
    private static func realTimeNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    /// `duration` in nanoseconds, saturating at about 292 years.
    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        guard seconds < Int64.max / 1_000_000_000 - 1 else { return Int64.max / 2 }
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
