import Foundation
import Glibc
import Testing
@testable import MOMedia

/// A real full disk: the store's root on a 1 MiB tmpfs. Needs the right to mount (root with CAP_SYS_ADMIN, as in
/// the development container); where that is missing, the test is skipped with the reason recorded.
@Suite("FileMediaStore on a real 1 MiB tmpfs")
struct MediaStoreTmpfsTests {
    /// Whether a tmpfs can be mounted here, found by mounting one, and why not.
    static let mountProbe: (possible: Bool, reason: String) = {
        guard geteuid() == 0 else { return (false, "not running as root: cannot mount a tmpfs") }
        guard let sandbox = try? MediaStoreSandbox() else { return (false, "cannot make a directory in /tmp") }
        guard mount("tmpfs", sandbox.parent, "tmpfs", 0, "size=64k") == 0 else {
            return (false, "mount -t tmpfs failed: \(String(cString: strerror(errno))) (no CAP_SYS_ADMIN?)")
        }
        umount2(sandbox.parent, Int32(MNT_DETACH))
        return (true, "")
    }()

    @Test("a download larger than the disk fails as diskFull, leaves no file and frees the space",
          .enabled(if: mountProbe.possible, Comment(rawValue: mountProbe.reason)))
    func realDiskFull() throws {
        let sandbox = try MediaStoreSandbox()
        let mountPoint = "\(sandbox.parent)/disk"
        #expect(mkdir(mountPoint, 0o750) == 0)
        try #require(mount("tmpfs", mountPoint, "tmpfs", 0, "size=1m,mode=0750") == 0,
                     "mount: \(String(cString: strerror(errno)))")
        defer {
            umount2(mountPoint, Int32(MNT_DETACH))
            withExtendedLifetime(sandbox) {}
        }
        let store = try FileMediaStore(root: mountPoint, digest: { ShellSHA256() })
        let freeBefore = try freeBytes(mountPoint)

        let writer = try store.beginWrite(fileExtension: "mp4", maxBytes: 4 << 20)
        let temporaryPath = try #require(writer as? FileMediaWriter).temporaryPath
        var failure: MediaStoreError?
        for _ in 0..<64 {
            do {
                try writer.write(Array(repeating: 0xab, count: 65_536))
            } catch {
                failure = error
                break
            }
        }
        #expect(failure == .diskFull(path: temporaryPath, errno: ENOSPC))
        #expect(writer.byteCount <= 1 << 20)
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(mountPoint)/tmp").isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: mountPoint) == ["tmp"])
        // Released once the last descriptor closes: a fork elsewhere in the test process (before its exec closes
        // the close-on-exec descriptors) can hold a copy for a moment, so wait up to 2 s, never accept less.
        var freeAfter = try freeBytes(mountPoint)
        for _ in 0..<40 where freeAfter != freeBefore {
            usleep(50_000)
            freeAfter = try freeBytes(mountPoint)
        }
        #expect(freeAfter == freeBefore, "the partial file's blocks are released")

        // The disk is usable again at once.
        let stored = try store.store(Array(repeating: 0xcd, count: 200_000), fileExtension: "jpg")
        #expect(try sha256sum(file: store.path(forContentAddress: stored.address)) == stored.sha256Hex)
    }

    private func freeBytes(_ path: String) throws -> UInt64 {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize)
    }
}
