extension JSONWriter {
    /// One JSON scalar as ``JSONWriter`` writes it.
    ///
    /// - `string`: quoted and escaped (see ``JSONWriter``).
    /// - `integer`: decimal digits with a leading `-` when negative. Readers that hold numbers as doubles
    ///   (JavaScript) lose precision beyond ±2^53; write such ids as strings.
    /// - `double`: the shortest text that reads back as the same `Double` (`0.1`, `1.0`, `-0.0`, `1e-07`,
    ///   `1.7976931348623157e+308`); always valid JSON. NaN and ±infinity are written as `null`.
    /// - `bool`: `true` or `false`.
    ///
    /// A pure value usable from any thread.
    public enum Scalar: Sendable, Equatable {
        case string(String)
        case integer(Int64)
        case double(Double)
        case bool(Bool)
    }

    /// A Swift value that ``JSONWriter`` writes as one JSON scalar: `String`, `Substring`, `Bool`, `Int`, `Int32`,
    /// `Int64`, `Double`. Other types conform by saying which ``Scalar`` they are (a UUID as its string, say).
    public protocol ScalarConvertible {
        var jsonScalar: Scalar { get }
    }
}

extension String: JSONWriter.ScalarConvertible {
    public var jsonScalar: JSONWriter.Scalar { .string(self) }
}

extension Substring: JSONWriter.ScalarConvertible {
    public var jsonScalar: JSONWriter.Scalar { .string(String(self)) }
}

extension Bool: JSONWriter.ScalarConvertible {
    public var jsonScalar: JSONWriter.Scalar { .bool(self) }
}

extension Int: JSONWriter.ScalarConvertible {
    public var jsonScalar: JSONWriter.Scalar { .integer(Int64(self)) }
}

extension Int32: JSONWriter.ScalarConvertible {
    public var jsonScalar: JSONWriter.Scalar { .integer(Int64(self)) }
}

extension Int64: JSONWriter.ScalarConvertible {
    public var jsonScalar: JSONWriter.Scalar { .integer(self) }
}

extension Double: JSONWriter.ScalarConvertible {
    public var jsonScalar: JSONWriter.Scalar { .double(self) }
}
