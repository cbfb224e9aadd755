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
