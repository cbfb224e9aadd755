import TextBytes

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

extension XMLTreeElement {
    /// Whether this element is called `name`, ignoring the case of ASCII letters only
    /// (`msg` matches `MSG`; non-ASCII characters must match exactly).
    public func isNamed(_ name: String) -> Bool {
        ASCII.equalIgnoringCase(self.name.utf8, name.utf8)
    }

    /// The direct children called `name` (ASCII case-insensitive), in document order.
    public func children(named name: String) -> [XMLTreeElement] {
        children.filter { $0.isNamed(name) }
    }

    /// The first direct child called `name` (ASCII case-insensitive), or `nil`.
    public func firstChild(named name: String) -> XMLTreeElement? {
        children.first { $0.isNamed(name) }
    }

    /// The attributes called `name` (ASCII case-insensitive): at most one unless the document
    /// spells the name in two cases (`SENT` and `sent` are different attributes to XML).
    public func attributes(named name: String) -> [Attribute] {
        attributes.filter { ASCII.equalIgnoringCase($0.name.utf8, name.utf8) }
    }

    /// The value of the first attribute called `name` (ASCII case-insensitive), or `nil`.
    public func attribute(named name: String) -> String? {
        attributes.first { ASCII.equalIgnoringCase($0.name.utf8, name.utf8) }?.value
    }
}

extension XMLTreeElement: Equatable {
    /// Structural equality. Names, values and text compare by exact Unicode scalars (as XML compares names),
    /// not by Swift's canonical equivalence; attribute and child order matter.
    public static func == (lhs: XMLTreeElement, rhs: XMLTreeElement) -> Bool {
        lhs.name.utf8.elementsEqual(rhs.name.utf8)
            && lhs.text.utf8.elementsEqual(rhs.text.utf8)
            && lhs.attributes == rhs.attributes
            && lhs.children == rhs.children
    }
}

extension XMLTreeElement.Attribute: Equatable {
    /// Exact Unicode scalars of name and value.
    public static func == (lhs: XMLTreeElement.Attribute, rhs: XMLTreeElement.Attribute) -> Bool {
        lhs.name.utf8.elementsEqual(rhs.name.utf8) && lhs.value.utf8.elementsEqual(rhs.value.utf8)
    }
}
