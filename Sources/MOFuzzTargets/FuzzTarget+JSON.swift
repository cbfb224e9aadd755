import JSON

extension FuzzTarget {
    /// `JSONParser`, our strict RFC 8259 parser for every JSON body. What it accepts must survive a round trip
    /// through `JSONWriter`: parse → write → parse gives the same values (spans aside), and writing that again gives
    /// the same bytes. A span always lies inside the input, and `rawText` of the root re-parses to the same value.
    static let json = FuzzTarget("json", "JSONParser: parse → JSONWriter → parse round trip") { input throws(FuzzFailure) in
        let name = "json"
        guard let document = try? JSONParser.parse(input) else { return }
        try checkSpans(document.root, within: input.count, name)

        let written = rewrite(document.root, in: document)
        let reparsed: JSONDocument
        do {
            reparsed = try JSONParser.parse(written)
        } catch {
            throw FuzzFailure(target: name, invariant: "JSONWriter output does not parse: \(error)")
        }
        try require(sameValue(document.root, reparsed.root), name, "parse → write → parse changed a value")
        try require(rewrite(reparsed.root, in: reparsed) == written, name, "writing the re-parsed value is not stable")

        let raw = Array(document.rawText(of: document.root).utf8)
        guard let again = try? JSONParser.parse(raw) else {
            throw FuzzFailure(target: name, invariant: "rawText of the root does not parse")
        }
        try require(sameValue(document.root, again.root), name, "rawText of the root parses to another value")
    }

    /// Compact JSON for `value`, through `JSONWriter`. Numbers are kept as written (the parser never converts them).
    static func rewrite(_ value: JSONValue, in document: JSONDocument) -> [UInt8] {
        var writer = JSONWriter()
        switch value {
        case .object(let members, _):
            writer.object { o in
                for member in members { writeMember(member.key, member.value, document, &o) }
            }
        case .array(let elements, _):
            writer.array { a in
                for element in elements { writeElement(element, document, &a) }
            }
        case .string(let text, _): writer.value(text)
        case .bool(let flag, _): writer.value(flag)
        case .number, .null: writer.unsafeRawJSON(document.rawText(of: value))
        }
        return writer.bytes
    }

    private static func writeMember(_ key: String, _ value: JSONValue, _ document: JSONDocument,
                                    _ o: inout JSONWriter.ObjectWriter) {
        switch value {
        case .object(let members, _):
            o.object(key) { inner in
                for member in members { writeMember(member.key, member.value, document, &inner) }
            }
        case .array(let elements, _):
            o.array(key) { inner in
                for element in elements { writeElement(element, document, &inner) }
            }
        case .string(let text, _): o.field(key, text)
        case .bool(let flag, _): o.field(key, flag)
        case .null: o.nullField(key)
        case .number: o.field(key, unsafeRawJSON: document.rawText(of: value))
        }
    }

    private static func writeElement(_ value: JSONValue, _ document: JSONDocument, _ a: inout JSONWriter.ArrayWriter) {
        switch value {
        case .object(let members, _):
            a.object { inner in
                for member in members { writeMember(member.key, member.value, document, &inner) }
            }
        case .array(let elements, _):
            a.array { inner in
                for element in elements { writeElement(element, document, &inner) }
            }
        case .string(let text, _): a.value(text)
        case .bool(let flag, _): a.value(flag)
        case .null: a.null()
        case .number: a.unsafeRawJSON(document.rawText(of: value))
        }
    }

    /// Structural equality without spans; strings and keys by exact scalars, as JSON compares them.
    static func sameValue(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(x, _), .bool(y, _)): return x == y
        case let (.number(x, _), .number(y, _)): return x.utf8.elementsEqual(y.utf8)
        case let (.string(x, _), .string(y, _)): return x.unicodeScalars.elementsEqual(y.unicodeScalars)
        case let (.array(x, _), .array(y, _)):
            return x.count == y.count && zip(x, y).allSatisfy { sameValue($0, $1) }
        case let (.object(x, _), .object(y, _)):
            return x.count == y.count && zip(x, y).allSatisfy { left, right in
                left.key.unicodeScalars.elementsEqual(right.key.unicodeScalars) && sameValue(left.value, right.value)
            }
        default: return false
        }
    }

    /// Every span is inside the input and nested spans lie inside their parent's.
    private static func checkSpans(_ value: JSONValue, within count: Int, _ name: String) throws(FuzzFailure) {
        let span = value.span
        try require(span.lowerBound >= 0 && span.upperBound <= count && !span.isEmpty, name,
                    "span \(span) outside the input of \(count) bytes")
        switch value {
        case .array(let elements, _):
            for element in elements {
                try require(span.contains(element.span.lowerBound) && element.span.upperBound <= span.upperBound, name,
                            "element span \(element.span) outside its array's \(span)")
                try checkSpans(element, within: count, name)
            }
        case .object(let members, _):
            for member in members {
                try require(span.contains(member.value.span.lowerBound) && member.value.span.upperBound <= span.upperBound,
                            name, "member span \(member.value.span) outside its object's \(span)")
                try checkSpans(member.value, within: count, name)
            }
        default:
            break
        }
    }
}
