/// A running SHA-256 hash, fed with a media file's bytes while they are written, which names the file.
///
/// MOMedia does not depend on the Digest target; the composition adapts `Digest.SHA256` to this protocol:
/// ```swift
/// extension SHA256: StreamingDigest {
///     public func finalizeHex() -> String { finalize().hexString }
/// }
/// let store = try FileMediaStore(root: mediaDirectory, digest: { SHA256() })
/// ```
/// A value owned by one writer on its thread.
public protocol StreamingDigest {
    /// Feeds `bytes`, which are only read during the call.
    mutating func update(_ bytes: UnsafeRawBufferPointer)
    /// The SHA-256 digest of everything fed so far, as 64 lowercase hexadecimal digits (as `sha256sum` prints it).
    /// Anything else makes the commit fail with `MediaStoreError.invalidDigest`.
    func finalizeHex() -> String
}
