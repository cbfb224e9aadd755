/// A `text[]` parameter, sent as an array literal in text format (`{"a","b",NULL}`): elements are always quoted and
/// escaped, so any string round-trips. Bind it with a `::text[]` cast in the SQL.
public struct PGTextArray: PGBindable, Sendable, Equatable {
    public var elements: [String?]

    public init(_ elements: [String?]) {
        self.elements = elements
    }

    public var pgValue: PGValue { .text(literal) }

    /// The array literal itself, e.g. to pass arrays of arrays as a `text[]` of literals cast per row.
    public var literal: String {
        var literal = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 { literal += "," }
            guard let element else {
                literal += "NULL"
                continue
            }
            literal += "\""
            for scalar in element.unicodeScalars {
                if scalar == "\"" || scalar == "\\" { literal += "\\" }
                literal.unicodeScalars.append(scalar)
            }
            literal += "\""
        }
        literal += "}"
        return literal
    }
}
