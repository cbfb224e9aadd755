/// A bound parameter value. Text goes in text format; bytes in binary format with an explicit length (for `bytea`).
public enum PGValue: Sendable, Equatable {
    case null
    case text(String)
    case bytes([UInt8])
}

/// A Swift value that can be bound as a statement parameter. (Its metatype is sendable, so the parameter lists of
/// statement types, shared by every thread, can convert values of any bindable type.)
public protocol PGBindable: SendableMetatype {
    var pgValue: PGValue { get }
}

extension String: PGBindable { public var pgValue: PGValue { .text(self) } }
extension Substring: PGBindable { public var pgValue: PGValue { .text(String(self)) } }
extension Int: PGBindable { public var pgValue: PGValue { .text(String(self)) } }
extension Int64: PGBindable { public var pgValue: PGValue { .text(String(self)) } }
extension Int32: PGBindable { public var pgValue: PGValue { .text(String(self)) } }
extension Bool: PGBindable { public var pgValue: PGValue { .text(self ? "t" : "f") } }
extension Array: PGBindable where Element == UInt8 { public var pgValue: PGValue { .bytes(self) } }
extension PGValue: PGBindable { public var pgValue: PGValue { self } }
extension Optional: PGBindable where Wrapped: PGBindable {
    public var pgValue: PGValue { self?.pgValue ?? .null }
}
