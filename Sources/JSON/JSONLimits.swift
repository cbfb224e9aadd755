/// Limits applied while parsing untrusted JSON.
///
/// A plain value type: build one wherever it is needed and pass it to ``JSONParser/parse(_:limits:)``;
/// safe to share between threads and tasks.
public struct JSONLimits: Sendable {
    /// The deepest nesting of arrays and objects accepted. A scalar root has depth 0, `[]` and `{}` depth 1,
    /// `[[1]]` depth 2. The parser recurses once per level, so keep this modest.
    public var maxDepth: Int = 64

    /// The longest string (object keys included) accepted, counted in UTF-8 bytes after unescaping.
    public var maxStringBytes: Int = 1 << 20

    /// The defaults: depth 64, strings up to 1 MiB.
    public init() {}
}
