/// A `bytea[]` parameter, sent in PostgreSQL's binary array format so bodies travel as they are (no hex or escape
/// encoding, no copy beyond the parameter buffer). Bind it with a `::bytea[]` cast in the SQL.
public struct PGByteaArray: PGBindable, Sendable {
    public var elements: [[UInt8]?]

    public init(_ elements: [[UInt8]?]) {
        self.elements = elements
    }

    /// Layout (array_recv): ndim, has-nulls flag, element type OID, then per dimension its size and lower bound,
    /// then per element a length (-1 for NULL) and the bytes. All integers are 32-bit big-endian.
    public var pgValue: PGValue {
        let byteaOID: Int32 = 17
        var out: [UInt8] = []
        out.reserveCapacity(20 + elements.reduce(0) { $0 + 4 + ($1?.count ?? 0) })
        func append(_ value: Int32) {
            withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
        }
        append(elements.isEmpty ? 0 : 1)
        append(elements.contains { $0 == nil } ? 1 : 0)
        append(byteaOID)
        if !elements.isEmpty {
            append(Int32(elements.count))
            append(1)
        }
        for element in elements {
            guard let element else {
                append(-1)
                continue
            }
            append(Int32(element.count))
            out.append(contentsOf: element)
        }
        return .bytes(out)
    }
}
