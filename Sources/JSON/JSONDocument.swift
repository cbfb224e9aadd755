/// A parsed JSON document. Values keep the byte range they came from, so a sub-object (e.g. message.custom)
/// can be stored as its exact original text without re-serialising.
///
/// An immutable value made by ``JSONParser/parse(_:limits:)``; safe to share between threads and tasks.
public struct JSONDocument: Sendable {
    /// The input exactly as given to the parser (a leading byte order mark included). Always valid UTF-8.
    public let bytes: [UInt8]

    /// The top-level value. Its span excludes a byte order mark and surrounding whitespace.
    public let root: JSONValue

    init(bytes: [UInt8], root: JSONValue) {
        self.bytes = bytes
        self.root = root
    }

    /// The exact original text of `value` (a slice of `bytes`), e.g. for storing `custom` as-is.
    ///
    /// Strings come back with their quotes and escapes as written. `value` must come from this document;
    /// a span outside `bytes` is clamped rather than trapping.
    public func rawText(of value: JSONValue) -> String {
        let span = value.span.clamped(to: bytes.indices)
        return String(decoding: bytes[span], as: UTF8.self)
    }
}
