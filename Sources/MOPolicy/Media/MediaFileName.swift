/// Names of stored media files: content-addressed paths such as `ab/cd/abcd…(64 hex).jpg` under the media
/// directory.
///
/// Stateless and pure: callable from any thread. A file name is never taken from the payload (`title`, the URL
/// path): only the SHA-256 of the content and an extension from a fixed MIME map go into a path, so a hostile
/// title such as `../../etc/cron.d/x` stays data in the database (reliability-security.md §2.2 "Filenames").
/// Content addressing also makes a re-download of the same bytes land on the same path.
public enum MediaFileName {
    /// The extension (without the dot) for a MIME type, `bin` for anything unknown. Case, parameters and
    /// surrounding spaces are ignored (`"Audio/OGG; codecs=opus"` is `ogg`); common aliases map like the standard
    /// name (`image/jpg` and `image/pjpeg` are `jpg`).
    public static func `extension`(forMIME mime: String) -> String {
        extensions[essence(of: mime)] ?? "bin"
    }

    /// `ab/cd/<sha256Hex>.<ext>`: two directory levels from the first four hex digits, then the whole digest.
    /// `sha256Hex` must be 64 hex digits (either case; the path uses lowercase). The result always passes
    /// `isSafeRelativePath`.
    public static func contentAddressedPath(sha256Hex: String, mime: String) throws(MediaFileNameError) -> String {
        let digest = sha256Hex.lowercased()
        guard digest.utf8.count == 64, digest.utf8.allSatisfy({ ASCII.hexValue($0) != nil }) else {
            throw .invalidDigest(length: sha256Hex.utf8.count)
        }
        let path = "\(digest.prefix(2))/\(digest.dropFirst(2).prefix(2))/\(digest).\(`extension`(forMIME: mime))"
        guard isSafeRelativePath(path) else { throw .unsafePath }   // unreachable with the checks above
        return path
    }

    /// `true` for a non-empty relative path that stays below the directory it is joined to: no leading `/`, no
    /// empty, `.` or `..` segment, no backslash, and only printable ASCII (no NUL, control or non-ASCII bytes).
    public static func isSafeRelativePath(_ path: String) -> Bool {
        let bytes = path.utf8
        guard !bytes.isEmpty, bytes.allSatisfy({ (0x21...0x7E).contains($0) && $0 != ASCII.backslash }) else {
            return false
        }
        return bytes.split(separator: ASCII.slash, omittingEmptySubsequences: false).allSatisfy { segment in
            !segment.isEmpty && !segment.elementsEqual(".".utf8) && !segment.elementsEqual("..".utf8)
        }
    }

    /// `type/subtype` lowercased, without parameters or surrounding spaces.
    static func essence(of mime: String) -> String {
        let head = mime.utf8.prefix { $0 != ASCII.semicolon }
        return String(decoding: ASCII.trimmingOWS(Substring(decoding: head, as: UTF8.self).utf8).map(MediaHostName.lowercase),
                      as: UTF8.self)
    }

    /// Every type `MediaSniffer` returns, and the aliases senders use for them.
    static let extensions: [String: String] = [
        "image/jpeg": "jpg", "image/jpg": "jpg", "image/pjpeg": "jpg",
        "image/png": "png",
        "image/gif": "gif",
        "image/webp": "webp",
        "image/heic": "heic", "image/heic-sequence": "heics",
        "image/heif": "heif", "image/heif-sequence": "heifs",
        "image/avif": "avif",
        "video/mp4": "mp4", "video/x-m4v": "m4v",
        "video/quicktime": "mov",
        "video/3gpp": "3gp", "audio/3gpp": "3gp",
        "video/3gpp2": "3g2", "audio/3gpp2": "3g2",
        "video/webm": "webm", "audio/webm": "webm",
        "video/x-matroska": "mkv",
        "video/x-msvideo": "avi",
        "video/ogg": "ogv",
        "audio/ogg": "ogg", "audio/opus": "opus", "application/ogg": "ogx",
        "audio/mpeg": "mp3", "audio/mp3": "mp3",
        "audio/aac": "aac", "audio/x-aac": "aac",
        "audio/mp4": "m4a", "audio/x-m4a": "m4a", "audio/m4a": "m4a",
        "audio/amr": "amr", "audio/amr-wb": "awb",
        "audio/wav": "wav", "audio/wave": "wav", "audio/x-wav": "wav", "audio/vnd.wave": "wav",
        "application/pdf": "pdf",
        "application/zip": "zip",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
        "application/vnd.oasis.opendocument.text": "odt",
        "application/vnd.oasis.opendocument.spreadsheet": "ods",
        "application/vnd.oasis.opendocument.presentation": "odp",
        "application/epub+zip": "epub",
        "text/vcard": "vcf", "text/x-vcard": "vcf",
        "text/plain": "txt",
        "application/octet-stream": "bin",
    ]
}

/// Why a content-addressed path could not be made. A pure value usable from any thread.
public enum MediaFileNameError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The digest is not 64 hex digits; `length` is its length in bytes.
    case invalidDigest(length: Int)
    /// The path failed `isSafeRelativePath` (a defensive check that cannot fail for a valid digest).
    case unsafePath

    public var description: String {
        switch self {
        case .invalidDigest(let length):
            "media digest is not 64 hex digits (it has \(length) bytes)"
        case .unsafePath:
            "media path would not stay inside the media directory"
        }
    }
}
