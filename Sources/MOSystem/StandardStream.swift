import Glibc

/// Standard output or standard error, written without buffering (each call is one or more `write(2)`s), as
/// Foundation's `FileHandle.standardError.write` wrote: for diagnostics, progress lines and raw bytes that must
/// not wait in a buffer. Any thread; concurrent writes of one call are not interleaved only up to `PIPE_BUF`.
public enum StandardStream: Int32, Sendable {
    case output = 1
    case error = 2

    /// Writes all of `bytes`, continuing after a short write or an interrupted one. Gives up silently when the
    /// descriptor refuses (a closed pipe, a full disk): a diagnostic must never become the failure.
    public func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(rawValue, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// Writes `text` as UTF-8.
    public func write(_ text: String) {
        write(Array(text.utf8))
    }
}
