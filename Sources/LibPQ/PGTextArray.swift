/// A `text[]` parameter, sent as an array literal in text format (`{"a","b",NULL}`): elements are always quoted and
/// escaped, so any string round-trips. Bind it with a `::text[]` cast in the SQL.
public struct PGTextArray: PGBindable, Sendable, Equatable {
    public var elements: [String?]

    public init(_ elements: [String?]) {
        self.elements = elements
    }

    public var pgValue: PGValue { .text(literal) }

    /// The array literal itself, e.g. to pass arrays of arrays as a `text[]` of literals cast per row. Built as
    /// UTF-8 bytes (the escaped characters are ASCII, so escaping byte by byte is exact); appending to a String a
    /// scalar at a time showed in profiles of the ingest writer, which builds dozens of these per batch.
    public var literal: String {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(elements.reduce(2) { $0 + ($1?.utf8.count ?? 4) + 3 })
        bytes.append(UInt8(ascii: "{"))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            guard let element else {
                bytes.append(contentsOf: "NULL".utf8)
                continue
            }
            bytes.append(quote)
            for byte in element.utf8 {
                if byte == quote || byte == backslash { bytes.append(backslash) }
                bytes.append(byte)
            }
            bytes.append(quote)
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}
