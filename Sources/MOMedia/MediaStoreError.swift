import Glibc
import MOSystem

/// Why media could not be stored, looked up or removed. Whatever failed, no partial file is left under a final name
/// and a failed write's temporary file is gone.
///
/// A plain value thrown to the caller's thread. `description` is one line an operator can act on; the paths in it
/// are the store's own (its root, `tmp/`, content addresses), never anything from a payload.
public enum MediaStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The store's root is not an absolute path, or holds a NUL byte.
    case invalidRoot(String)
    /// The file extension is not 1 to 8 of `a-z` and `0-9`.
    case invalidExtension(String)
    /// A content address or relative path is not `ab/cd/<sha256>[.ext]`.
    case invalidContentAddress(String)
    /// The digest did not give 64 lowercase hexadecimal digits: it is not SHA-256 as `StreamingDigest` requires.
    case invalidDigest
    /// The media has more than `limit` bytes.
    case tooLarge(limit: Int)
    /// The file system or the user's quota is full (ENOSPC, EDQUOT) at `path`.
    case diskFull(path: String, errno: Int32)
    /// The device reported an I/O error (EIO) for `operation` at `path`: the disk may be failing.
    case ioError(String, path: String)
    /// Another system call failure: `operation` at `path` failed with `errno` (EACCES, EROFS, …).
    case systemCall(String, path: String, errno: Int32)
    /// The writer was already committed, aborted, or failed.
    case writerClosed

    /// The error for `operation` on `path` failing with `code`: full disks and I/O errors by name, the rest as
    /// they are.
    init(_ operation: String, path: String, errno code: Int32) {
        switch code {
        case ENOSPC, EDQUOT: self = .diskFull(path: path, errno: code)
        case EIO: self = .ioError(operation, path: path)
        default: self = .systemCall(operation, path: path, errno: code)
        }
    }

    public var description: String {
        switch self {
        case .invalidRoot(let root):
            "media store root '\(shortened(root))' must be an absolute path"
        case .invalidExtension(let text):
            "media file extension '\(shortened(text))' is not 1 to 8 of a-z and 0-9"
        case .invalidContentAddress(let text):
            "'\(shortened(text))' is not a media content address (ab/cd/<sha256>[.ext])"
        case .invalidDigest:
            "the media digest did not give 64 lowercase hexadecimal digits (it must be SHA-256)"
        case .tooLarge(let limit):
            "media is larger than the limit of \(limit) bytes"
        case .diskFull(let path, let code):
            "media store is full at \(escaped(path)) (\(errorText(code))): free space or raise the quota"
        case .ioError(let operation, let path):
            "media store: \(operation) of \(escaped(path)) failed with an I/O error: check the disk"
        case .systemCall(let operation, let path, let code):
            "media store: \(operation) of \(escaped(path)) failed: \(errorText(code))"
        case .writerClosed:
            "this media write was already committed, aborted, or failed"
        }
    }
}

/// At most 40 characters of `text`, escaped, so a bad value from a caller cannot flood a log line.
private func shortened(_ text: String) -> String {
    text.count > 40 ? escaped(String(text.prefix(40))) + "…" : escaped(text)
}
