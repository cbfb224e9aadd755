import TextBytes

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
