import Glibc

/// One open file descriptor and the duty to close it: closed exactly once, by `close()` or when the owner goes
/// out of scope, on every path including thrown errors.
///
/// Owned by one caller (a `ProcessRunner.run` call, a media writer) and used only on its thread.
public struct Descriptor: ~Copyable {
    /// The descriptor number, or -1 once closed.
    public private(set) var raw: Int32

    public init(_ raw: Int32) {
        self.raw = raw
    }

    public var isOpen: Bool { raw >= 0 }

    /// Closes the descriptor if it is still open. (On Linux `close` frees the number even when it reports EINTR,
    /// so it is never retried.)
    public mutating func close() {
        guard raw >= 0 else { return }
        _ = Glibc.close(raw)
        raw = -1
    }

    /// Sets O_NONBLOCK on the open file description (for a pipe end, only this end).
    func makeNonBlocking() throws(ProcessError.Reason) {
        let flags = fcntl(raw, F_GETFL)
        guard flags >= 0, fcntl(raw, F_SETFL, flags | O_NONBLOCK) == 0 else {
            throw .systemCall("fcntl(O_NONBLOCK)", errno: errno)
        }
    }

    deinit {
        if raw >= 0 { _ = Glibc.close(raw) }
    }
}

/// A pipe whose two ends are close-on-exec from the moment they exist (`pipe2(O_CLOEXEC)`), so a program that
/// another thread starts at the same time never inherits them. The child gets its end through a `dup2` file action,
/// which clears close-on-exec on the copy only.
///
/// Owned by one `ProcessRunner.run` call and used only on its thread.
struct ChildPipe: ~Copyable {
    var readEnd: Descriptor
    var writeEnd: Descriptor

    init() throws(ProcessError.Reason) {
        guard let pipe2 = GlibcExtensions.pipe2 else { throw .systemCall("pipe2", errno: ENOSYS) }
        var ends: (Int32, Int32) = (-1, -1)
        let result = withUnsafeMutableBytes(of: &ends) { pipe2($0.baseAddress!.assumingMemoryBound(to: Int32.self), O_CLOEXEC) }
        guard result == 0 else { throw .systemCall("pipe2", errno: errno) }
        var readEnd = Descriptor(ends.0)
        var writeEnd = Descriptor(ends.1)
        try readEnd.moveAboveStandardStreams()
        try writeEnd.moveAboveStandardStreams()
        self.readEnd = readEnd
        self.writeEnd = writeEnd
    }
}

extension Descriptor {
    /// Renumbers a descriptor that landed on 0, 1 or 2 (possible only when the daemon's own standard streams are
    /// closed) to 3 or above, keeping close-on-exec, so the child's `dup2` onto 0, 1 and 2 cannot overwrite
    /// another of its pipe ends.
    mutating func moveAboveStandardStreams() throws(ProcessError.Reason) {
        guard raw >= 0, raw <= 2 else { return }
        let moved = fcntl(raw, F_DUPFD_CLOEXEC, 3)
        guard moved >= 0 else { throw .systemCall("fcntl(F_DUPFD_CLOEXEC)", errno: errno) }
        close()
        raw = moved
    }
}
