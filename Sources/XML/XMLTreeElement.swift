/// One element of a parsed XML document: its name, attributes in document order, child elements and own text.
///
/// An immutable value made by ``XMLTreeParser/parse(_:limits:)`` (or by hand in tests); safe to share between
/// threads and tasks. Names are kept exactly as written, prefix included (`xi:include`): there is no namespace
/// processing. Strings never contain U+0000, because XML 1.0 allows it neither raw nor as a reference.
///
/// Named `XMLTreeElement` rather than `XMLElement` so it never collides with Foundation's class of that name.
public struct XMLTreeElement: Sendable {
    /// One `name="value"` pair. The value has its references resolved and, as XML requires for attributes
    /// without a DTD, each literal tab, CR, LF or CR LF turned into one space (`&#10;` stays a line feed).
    public struct Attribute: Sendable {
        public let name: String
        public let value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public let name: String
    /// In document order; names are unique (the parser rejects duplicates, comparing case-sensitively).
    public let attributes: [Attribute]
    /// Child elements in document order.
    public let children: [XMLTreeElement]
    /// This element's own character data — text, CDATA sections and resolved references directly between its
    /// tags, not its children's — concatenated in document order, line ends normalised to LF. Whitespace between
    /// child elements is part of it; "" for an empty element.
    public let text: String

    public init(name: String, attributes: [Attribute] = [], children: [XMLTreeElement] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }
}
