/// Builds compact JSON text, deterministically: the event document handed to handlers, CM's send API body.
///
/// A value type owned by whoever builds one document, usually within one function on one task; not shared while
/// it is written. Write exactly one top-level value, then read ``bytes`` or ``string``:
///
/// ```swift
/// var writer = JSONWriter()
/// writer.object { o in
///     o.field("schema", "mo-receiver.event.v1")
///     o.field("id", 42)
///     o.field("name", nil as String?)                 // "name":null
///     o.field("channel", channel, ifNil: .omit)        // left out when channel is nil
///     o.field("custom", unsafeRawJSON: customJSON)    // spliced as is
///     o.object("from") { $0.field("number", "+31612345678") }
///     o.array("groupings") { $0.values(["x", "y"]) }
/// }
/// let body = writer.bytes
/// ```
///
/// The output has no whitespace and keeps members in the order written (duplicate keys are not checked: write
/// each key once). Strings are escaped per RFC 8259: `"` and `\` always; U+0000–U+001F as `\b \f \n \r \t` or
/// `\u00XX` (lowercase hex); U+2028 and U+2029 as `\u2028` and `\u2029`, so the text is also a valid JavaScript
/// literal; every other character, non-ASCII included, is raw UTF-8 (`/` and DEL are not escaped). Numbers are
/// in ``Scalar``; a non-finite `Double` is written as `null`, as JavaScript's `JSON.stringify` does, because JSON
/// cannot express it and a document builder should not trap or throw on a value.
///
/// The nested writers (``ObjectWriter``, ``ArrayWriter``) exist only for the duration of their closure and
/// cannot be copied out of it. A closure may throw; the error is rethrown and the writer's content is then
/// incomplete and must be discarded.
public struct JSONWriter: Sendable {
    /// What to write for a `nil` value: the member with `null` (the default), or no member at all.
    public enum NilPolicy: Sendable {
        case null
        case omit
    }

    /// The UTF-8 JSON text written so far.
    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// The JSON text as a `String`.
    public var string: String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// One JSON string literal: `text` quoted and escaped as every string this writer writes (for text that is
    /// JSON but not a document, such as a structured log line's values).
    public static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 2)
        appendString(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes an object as the top-level value; `body` writes its members.
    public mutating func object<Failure: Error>(
        _ body: (inout ObjectWriter) throws(Failure) -> Void
    ) throws(Failure) {
        startValue()
        try ObjectWriter.write(into: &bytes, body)
    }

    /// Writes an array as the top-level value; `body` writes its elements.
    public mutating func array<Failure: Error>(
        _ body: (inout ArrayWriter) throws(Failure) -> Void
    ) throws(Failure) {
        startValue()
        try ArrayWriter.write(into: &bytes, body)
    }

    /// Writes a scalar as the top-level value; `nil` is `null`.
    public mutating func value<Value: ScalarConvertible>(_ value: Value?) {
        startValue()
        JSONWriter.append(value?.jsonScalar, to: &bytes)
    }

    /// Writes `text` as the top-level value, byte for byte. The caller vouches that it is one valid JSON value
    /// (e.g. a document's ``JSONDocument/rawText(of:)``); nothing checks it.
    public mutating func unsafeRawJSON(_ text: String) {
        startValue()
        bytes.append(contentsOf: text.utf8)
    }

    private func startValue() {
        precondition(bytes.isEmpty, "a JSONWriter holds one top-level value")
    }
}
