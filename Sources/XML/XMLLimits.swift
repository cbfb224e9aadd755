/// Limits applied while parsing untrusted XML; each is checked the moment it is crossed, so a hostile
/// document fails fast with memory bounded by the limits and the input's length.
///
/// A plain value type: build one wherever it is needed and pass it to ``XMLTreeParser/parse(_:limits:)``;
/// safe to share between threads and tasks.
public struct XMLLimits: Sendable, Equatable {
    /// The deepest element nesting accepted. The root element has depth 1, `<a><b/></a>` depth 2.
    /// Parsing is iterative (depth costs heap, not stack), but a finished tree is freed recursively,
    /// so keep this modest (thousands, not millions).
    public var maxDepth: Int = 32

    /// The most elements accepted in one document, the root included.
    public var maxElements: Int = 10_000

    /// The most attributes accepted on one element.
    public var maxAttributes: Int = 64

    /// The defaults: depth 32, 10 000 elements, 64 attributes per element.
    public init() {}

    /// Custom limits, e.g. tighter ones for a test.
    public init(maxDepth: Int = 32, maxElements: Int = 10_000, maxAttributes: Int = 64) {
        self.maxDepth = maxDepth
        self.maxElements = maxElements
        self.maxAttributes = maxAttributes
    }
}
