import XML

extension XMLTreeElement {
    /// The only direct child called `name` (ASCII case-insensitive), or `nil` when there is none.
    /// Two or more are ambiguous and rejected as `.invalidValue(field: path, …)`.
    func onlyChild(named name: String, path: String, in subject: PayloadError.Subject) throws(PayloadError) -> XMLTreeElement? {
        let matches = children(named: name)
        guard matches.count <= 1 else { throw PayloadError(subject, .invalidValue(field: path, reason: "appears more than once")) }
        return matches.first
    }

    /// The text of the only child called `name` with surrounding blanks trimmed; "" for an empty element,
    /// `nil` when there is none.
    func trimmedText(ofChild name: String, path: String, in subject: PayloadError.Subject) throws(PayloadError) -> String? {
        try onlyChild(named: name, path: path, in: subject)?.text.trimmingBlanks()
    }

    /// The value of the attribute called `name` (ASCII case-insensitive) with surrounding blanks trimmed, or `nil`.
    /// The same name in two spellings (`SENT` and `sent`) is ambiguous and rejected.
    func trimmedAttribute(named name: String, path: String, in subject: PayloadError.Subject) throws(PayloadError) -> String? {
        let matches = attributes(named: name)
        guard matches.count <= 1 else { throw PayloadError(subject, .invalidValue(field: path, reason: "appears more than once")) }
        return matches.first?.value.trimmingBlanks()
    }
}
