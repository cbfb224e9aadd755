extension JSONValue {
    /// Structural equality, spans included. Strings and keys compare by exact Unicode scalars
    /// (JSON's notion of equal text), not by Swift's canonical equivalence; member order matters.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case let (.null(a), .null(b)):
            return a == b
        case let (.bool(x, a), .bool(y, b)):
            return x == y && a == b
        case let (.number(x, a), .number(y, b)):
            return a == b && x.utf8.elementsEqual(y.utf8)
        case let (.string(x, a), .string(y, b)):
            return a == b && x.utf8.elementsEqual(y.utf8)
        case let (.array(x, a), .array(y, b)):
            return a == b && x == y
        case let (.object(x, a), .object(y, b)):
            return a == b && x.count == y.count && zip(x, y).allSatisfy { left, right in
                left.key.utf8.elementsEqual(right.key.utf8) && left.value == right.value
            }
        default:
            return false
        }
    }
}
