/// References for the messages we send: CM echoes a message's `reference` in the send response and in its status
/// reports, which is how both find their way back to our outbound row.
///
/// CM takes 1 to 32 ASCII letters and digits (seed 001, XML and GET parameter tables: "1 - 32 alphanumeric
/// characters"). A reference is an optional prefix (at most 10 letters and digits, say a handler's short tag) and
/// 22 random characters from the 62 letters and digits: 22 × log2(62) ≈ 131 bits from the system's random source,
/// so references never repeat in practice, across daemons and restarts alike, with no counter to persist. Case
/// matters to us; should anything between CM and us fold case, about 113 bits remain.
///
/// Stateless: call from any thread.
public enum OutboundReference {
    /// CM's limit.
    public static let maxLength = 32
    /// Random characters in every reference.
    public static let randomLength = 22
    /// Room left for a prefix.
    public static let maxPrefixLength = maxLength - randomLength

    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// A new reference: 22 random letters and digits.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// A new reference: `prefix` then 22 random letters and digits. Throws when `prefix` is longer than 10 or has
    /// anything but ASCII letters and digits (check it once with ``validatePrefix(_:)`` when the config is read).
    public static func make(prefix: String) throws(OutboundReferenceError) -> String {
        var generator = SystemRandomNumberGenerator()
        return try make(prefix: prefix, using: &generator)
    }

    /// ``make(prefix:)`` with the given source of randomness (tests pass a seeded one).
    public static func make<Generator: RandomNumberGenerator>(prefix: String = "", using generator: inout Generator)
        throws(OutboundReferenceError) -> String {
        try validatePrefix(prefix)
        return prefix + random(using: &generator)
    }

    /// Accepts 0 to 10 ASCII letters and digits.
    public static func validatePrefix(_ prefix: String) throws(OutboundReferenceError) {
        guard prefix.utf8.allSatisfy(isAlphanumeric) else { throw .prefixNotAlphanumeric }
        guard prefix.utf8.count <= maxPrefixLength else { throw .prefixTooLong(prefix.utf8.count) }
    }

    /// Whether CM accepts `reference`: 1 to 32 ASCII letters and digits. Any such text is valid, ours or not.
    public static func isValid(_ reference: String) -> Bool {
        (try? validate(reference)) != nil
    }

    /// Throws the rule `reference` breaks (never quoting it).
    public static func validate(_ reference: String) throws(OutboundReferenceError) {
        guard !reference.isEmpty else { throw .empty }
        guard reference.utf8.allSatisfy(isAlphanumeric) else { throw .notAlphanumeric }
        guard reference.utf8.count <= maxLength else { throw .tooLong(reference.utf8.count) }
    }

    private static func random<Generator: RandomNumberGenerator>(using generator: inout Generator) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(randomLength)
        for _ in 0..<randomLength {
            bytes.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "a")...UInt8(ascii: "z"):
            true
        default:
            false
        }
    }
}

/// Why a reference or prefix is not one CM accepts. One line, never quoting the value; a pure value usable from
/// any thread.
public enum OutboundReferenceError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case notAlphanumeric
    /// Its length in characters, over 32.
    case tooLong(Int)
    case prefixNotAlphanumeric
    /// Its length, over 10.
    case prefixTooLong(Int)

    public var description: String {
        switch self {
        case .empty:
            "the reference is empty (CM takes 1 to \(OutboundReference.maxLength) letters and digits)"
        case .notAlphanumeric:
            "the reference has characters other than ASCII letters and digits"
        case .tooLong(let length):
            "the reference has \(length) characters, more than CM's \(OutboundReference.maxLength)"
        case .prefixNotAlphanumeric:
            "the reference prefix has characters other than ASCII letters and digits"
        case .prefixTooLong(let length):
            "the reference prefix has \(length) characters, more than \(OutboundReference.maxPrefixLength)"
        }
    }
}
