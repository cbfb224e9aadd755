/// The bytes stored by one `MediaWriter.commit()`.
///
/// A plain value, usable on any thread.
public struct StoredMedia: Equatable, Sendable {
    /// Where the bytes are.
    public let address: ContentAddress
    /// How many bytes there are.
    public let byteCount: Int
    /// Whether the same content was stored already, so this write added nothing.
    public let alreadyStored: Bool

    /// The path relative to the store's root, for the database: `ab/cd/<sha256>[.ext]`.
    public var relativePath: String { address.relativePath }
    /// The SHA-256 of the bytes, 64 lowercase hexadecimal digits.
    public var sha256Hex: String { address.sha256Hex }
}
