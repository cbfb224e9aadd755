import Glibc

/// The two system calls through which `FileMediaStore` puts bytes on disk and makes them durable: a seam, so tests
/// can make a disk fill up after N bytes (or fail with any other errno) and see which files and directories were
/// fsynced, without a real full disk. Both follow the C convention: a negative result with `errno` set on failure.
///
/// Production uses `SystemMediaFileSystem`. Implementations are shared by all writers of a store: any thread.
protocol MediaFileSystem: Sendable {
    /// `write(2)`: how many bytes of `bytes` were written (possibly fewer than all), or -1 with `errno` set.
    func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int
    /// `fsync(2)` of a file or a directory: 0, or -1 with `errno` set.
    func fsync(_ descriptor: Int32) -> Int32
}

/// The real system calls.
struct SystemMediaFileSystem: MediaFileSystem {
    func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
        Glibc.write(descriptor, bytes.baseAddress, bytes.count)
    }

    func fsync(_ descriptor: Int32) -> Int32 {
        Glibc.fsync(descriptor)
    }
}
