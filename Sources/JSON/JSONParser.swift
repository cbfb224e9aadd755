/// The strict JSON parser for untrusted webhook bodies.
///
/// Stateless: call ``parse(_:limits:)`` from any thread or task.
public enum JSONParser {
    /// Strict RFC 8259 parser over raw bytes. A leading UTF-8 BOM (EF BB BF) is skipped. Rejects (throws JSONError with the byte offset):
    /// invalid UTF-8 anywhere (overlongs, surrogates encoded in UTF-8, > U+10FFFF, truncated), raw control characters (< 0x20) inside strings,
    /// bad escapes, lone or mis-paired surrogate escapes (\uD800 alone, \uDC00 alone, \uD800\u0041), trailing content after the value
    /// (whitespace allowed), depth > limits.maxDepth, a string longer than limits.maxStringBytes, DUPLICATE KEYS within one object,
    /// leading zeros / "+1" / ".5" / "1." / NaN / Infinity, empty input. "\u0000" escapes are VALID (they decode to U+0000).
    ///
    /// Errors are reported at the first offending byte in document order. Keys are duplicates when their
    /// unescaped Unicode scalars are identical (`"a"` and `"\u0061"` are the same key; `"é"` and `"e\u0301"` are not).
    public static func parse(_ bytes: [UInt8], limits: JSONLimits = JSONLimits()) throws(JSONError) -> JSONDocument {
        var scanner = JSONScanner(bytes: bytes, limits: limits)
        let root = try scanner.parseDocument()
        return JSONDocument(bytes: bytes, root: root)
    }

    /// ``parse(_:limits:)`` for a reader with an error type of its own: a syntax error is thrown as `wrap(error)`.
    public static func parse<Failure: Error>(_ bytes: [UInt8], limits: JSONLimits = JSONLimits(),
                                             orThrow wrap: (JSONError) -> Failure) throws(Failure) -> JSONDocument {
        do {
            return try parse(bytes, limits: limits)
        } catch {
            throw wrap(error)
        }
    }
}
