/// One fuzz target: a name, and a function that feeds arbitrary bytes to one of our decoders or policies and
/// checks what came out.
///
/// Shared by the libFuzzer driver (the separate package in `Fuzz/`, see docs/fuzzing.md) and the corpus replay
/// tests (`Tests/MOFuzzTargetsTests`), so an input that once crashed or broke an invariant is replayed through
/// exactly the same code by every `swift test`. A pure value: no I/O, no shared state, callable from any thread.
///
/// A target reports a broken invariant by throwing ``FuzzFailure``; the driver turns that into a crash so
/// libFuzzer saves the input, the tests into a test issue. A trap inside the code under test (an index out of
/// range, an overflow) is a crash in both.
public struct FuzzTarget: Sendable {
    /// The folder name under `Fuzz/corpus/` and the first argument of the driver (`mo-fuzz json …`).
    public let name: String
    /// One line for `mo-fuzz --list` and docs/fuzzing.md.
    public let summary: String
    private let body: @Sendable ([UInt8]) throws(FuzzFailure) -> Void

    init(_ name: String, _ summary: String, _ body: @escaping @Sendable ([UInt8]) throws(FuzzFailure) -> Void) {
        self.name = name
        self.summary = summary
        self.body = body
    }

    /// Feeds `input` to the code under test; throws when an invariant does not hold.
    public func run(_ input: [UInt8]) throws(FuzzFailure) {
        try body(input)
    }

    /// Every target, in the order `scripts/fuzz.sh` runs them.
    public static let all: [FuzzTarget] = [
        json, xml, mo, status, event, clientIP, cidr, mediaURL, replyTemplate,
    ]

    /// The target called `name`, or nil.
    public static func named(_ name: String) -> FuzzTarget? {
        all.first { $0.name == name }
    }
}

/// An invariant that did not hold for one input: which target, and what was expected, in one line. Values from the
/// input appear only escaped (`\u{…}`), so the message is safe to print.
public struct FuzzFailure: Error, Sendable, CustomStringConvertible {
    public let target: String
    public let invariant: String

    public var description: String { "\(target): \(invariant)" }
}

/// Throws a ``FuzzFailure`` naming `invariant` unless `condition` holds.
func require(_ condition: Bool, _ target: String, _ invariant: @autoclosure () -> String) throws(FuzzFailure) {
    if !condition { throw FuzzFailure(target: target, invariant: invariant()) }
}

/// `text` with every non-printable-ASCII scalar escaped, for failure messages.
func shown(_ text: some StringProtocol) -> String {
    String(text).unicodeScalars.map { scalar in
        (0x20...0x7E).contains(scalar.value) ? String(scalar) : "\\u{\(String(scalar.value, radix: 16))}"
    }.joined()
}

/// The input as text: invalid UTF-8 becomes U+FFFD, as `String(decoding:as:)` does for header values.
func text(_ input: [UInt8]) -> String {
    String(decoding: input, as: UTF8.self)
}

/// The input split at LF into at most `limit` pieces (the last keeps any further line breaks): for targets that
/// take several strings (a peer address and header lines; a template and a message).
func lines(_ input: [UInt8], limit: Int = .max) -> [String] {
    input.split(separator: 0x0A, maxSplits: limit - 1, omittingEmptySubsequences: false).map { text(Array($0)) }
}

/// True when `text` is one line a log or an HTTP reason can carry: no C0 control character, no DEL, no line or
/// paragraph separator.
func isOneLine(_ text: String) -> Bool {
    !text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || $0.value == 0x2028 || $0.value == 0x2029 }
}
