import JSON

/// Typed access to the members of one parsed ``JSONDocument`` for one decoder. Every accessor names the
/// field path and the decoder's ``PayloadError/Subject`` in what it throws, never the value.
///
/// Shared by the MO, event and status report decoders so they treat absent, null and wrongly typed
/// fields alike: null is absent everywhere; strings come back with U+0000 replaced by U+FFFD.
/// A short-lived value made inside one decoder call; safe to share between threads and tasks.
struct JSONFieldReader: Sendable {
    let subject: PayloadError.Subject
    let document: JSONDocument

    /// `problem` for this reader's subject.
    func failure(_ problem: PayloadError.Problem) -> PayloadError {
        PayloadError(subject, problem)
    }

    /// An object, or `nil` when absent or null.
    func object(_ value: JSONValue?, at field: String) throws(PayloadError) -> JSONValue? {
        switch value {
        case nil, .null?: return nil
        case .object?: return value
        case let other?: throw failure(.wrongType(field: field, expected: "object", found: other.typeName))
        }
    }

    /// A string with NUL replaced, or `nil` when absent or null.
    func string(_ value: JSONValue?, at field: String) throws(PayloadError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text, _)?: return text.replacingNUL
        case let other?: throw failure(.wrongType(field: field, expected: "string", found: other.typeName))
        }
    }

    /// A string with NUL replaced, or a number as its literal text (`2` → "2", `1e999999` as written);
    /// `nil` when absent or null.
    func stringOrNumber(_ value: JSONValue?, at field: String) throws(PayloadError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text, _)?: return text.replacingNUL
        case .number(let literal, _)?: return literal
        case let other?:
            throw failure(.wrongType(field: field, expected: "string or number", found: other.typeName))
        }
    }

    /// The exact raw JSON text of any non-null value; `nil` when absent or null.
    func rawText(_ value: JSONValue?) -> String? {
        guard let value, !value.isNull else { return nil }
        return document.rawText(of: value)
    }

    /// A string as is (NUL replaced); any other non-null value as its raw JSON text; `nil` when absent or null.
    func stringOrRawText(_ value: JSONValue?) -> String? {
        if case .string(let text, _)? = value { return text.replacingNUL }
        return rawText(value).map(\.replacingNUL)
    }

    /// Every entry a string (null → ""); absent or null → none. Any length is accepted.
    func groupings(_ value: JSONValue?, at field: String) throws(PayloadError) -> [String] {
        switch value {
        case nil, .null?:
            return []
        case .array(let entries, _)?:
            var groupings: [String] = []
            groupings.reserveCapacity(entries.count)
            for (position, entry) in entries.enumerated() {
                groupings.append(try string(entry, at: "\(field)[\(position)]") ?? "")
            }
            return groupings
        case let other?:
            throw failure(.wrongType(field: field, expected: "array", found: other.typeName))
        }
    }

    /// The member of `object` named `key` ignoring ASCII letter case (`code`, `Code`, `CODE`); `nil` when
    /// absent or when `object` is not an object. Two members whose names differ only in letter case are
    /// ambiguous and refused as `.invalidValue(field:reason:)` (the parser already rejects exact duplicates).
    func member(_ object: JSONValue?, ignoringCase key: String, at field: String) throws(PayloadError) -> JSONValue? {
        guard case .object(let members, _)? = object else { return nil }
        var found: JSONValue?
        for member in members where member.key.equalsIgnoringASCIICase(key) {
            guard found == nil else {
                throw failure(.invalidValue(field: field, reason: "given more than once in different letter case"))
            }
            found = member.value
        }
        return found
    }
}
