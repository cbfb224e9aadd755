/// The name of stored media: the SHA-256 of its bytes and the extension its writer chose. It is the only thing a
/// media path is made from, so a payload can never steer where a file goes.
///
/// Its relative path is `ab/cd/<sha256>[.ext]`, where `ab` and `cd` are the first four hexadecimal digits: two
/// levels of at most 256 directories keep every directory small. Every path it yields is inside the store's root by
/// construction (no `/`, `.` or `..` can come from a validated digest or extension).
///
/// A plain value, usable on any thread.
public struct ContentAddress: Hashable, Sendable, CustomStringConvertible {
    /// The SHA-256 of the content, 64 lowercase hexadecimal digits.
    public let sha256Hex: String
    /// The file extension without the dot (1 to 8 of `a-z` and `0-9`), or `nil`.
    public let fileExtension: String?

    /// The address of content with SHA-256 `sha256Hex` (64 lowercase hexadecimal digits) stored with
    /// `fileExtension`.
    public init(sha256Hex: String, fileExtension: String? = nil) throws(MediaStoreError) {
        guard Self.isSHA256Hex(sha256Hex) else { throw .invalidContentAddress(sha256Hex) }
        try Self.validate(fileExtension: fileExtension)
        self.sha256Hex = sha256Hex
        self.fileExtension = fileExtension
    }

    /// The address a relative path names, as `relativePath` writes it (`ab/cd/<sha256>[.ext]`), for a path read back
    /// from the database. Anything else, a `..` or an absolute path included, is `invalidContentAddress`.
    public init(relativePath: String) throws(MediaStoreError) {
        let parts = relativePath.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .invalidContentAddress(relativePath) }
        let name = parts[2]
        let hex: Substring
        let fileExtension: String?
        if let dot = name.firstIndex(of: ".") {
            hex = name[..<dot]
            fileExtension = String(name[name.index(after: dot)...])
        } else {
            hex = name
            fileExtension = nil
        }
        guard Self.isSHA256Hex(hex), parts[0] == hex.prefix(2), parts[1] == hex.dropFirst(2).prefix(2),
              fileExtension.map(Self.isValidExtension) ?? true
        else { throw .invalidContentAddress(relativePath) }
        self.sha256Hex = String(hex)
        self.fileExtension = fileExtension
    }

    /// The path relative to the store's root: `ab/cd/<sha256>[.ext]`.
    public var relativePath: String { "\(directory)/\(fileName)" }

    public var description: String { relativePath }

    /// The directory holding the file, relative to the root: `ab/cd`.
    var directory: String { "\(sha256Hex.prefix(2))/\(sha256Hex.dropFirst(2).prefix(2))" }

    /// The directories to create, outermost first: `ab`, then `ab/cd`.
    var directories: [String] { [String(sha256Hex.prefix(2)), directory] }

    /// The file's name: `<sha256>[.ext]`.
    var fileName: String { fileExtension.map { "\(sha256Hex).\($0)" } ?? sha256Hex }

    /// Throws `invalidExtension` unless `fileExtension` is `nil` or 1 to 8 of `a-z` and `0-9`.
    static func validate(fileExtension: String?) throws(MediaStoreError) {
        if let fileExtension, !isValidExtension(fileExtension) { throw .invalidExtension(fileExtension) }
    }

    private static func isValidExtension(_ text: some StringProtocol) -> Bool {
        (1...8).contains(text.utf8.count) && text.utf8.allSatisfy { isDigit($0) || (0x61...0x7a).contains($0) }
    }

    private static func isSHA256Hex(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { isDigit($0) || (0x61...0x66).contains($0) }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
}
