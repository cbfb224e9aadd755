import Foundation
import JSON
import MOTestFixtures
import Testing

/// Random documents written by JSONWriter read back as the same values through the project's parser and through
/// Foundation's JSONSerialization.
@Suite("JSONWriter output round-trips through JSONParser and JSONSerialization")
struct JSONWriterRoundTripTests {
    @Test("random documents read back as the values written", arguments: [UInt64(0x5EED), 1, 20_260_101])
    func randomDocuments(seed: UInt64) throws {
        var random = WriterTestRandom(seed: seed)
        var written = 0
        for _ in 0..<400 {
            let document = random.document(depth: 0)
            var writer = JSONWriter()
            document.write(to: &writer)
            let bytes = writer.bytes

            let parsed = try JSONParser.parse(bytes).root
            if let difference = document.difference(from: parsed) {
                Issue.record("JSONParser: \(difference) in \(writer.string)")
            }

            let object = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            if let difference = document.difference(fromFoundation: object) {
                Issue.record("JSONSerialization: \(difference) in \(writer.string)")
            }
            written += bytes.count
        }
        #expect(written > 10_000)
    }

    @Test("the same values always give the same bytes, and splicing that text reproduces it")
    func rewriteIsStable() throws {
        var random = WriterTestRandom(seed: 42)
        for _ in 0..<200 {
            let document = random.document(depth: 0)
            var first = JSONWriter()
            document.write(to: &first)
            var second = JSONWriter()
            document.write(to: &second)
            #expect(first.bytes == second.bytes)
            // Splicing the whole first text as raw JSON reproduces it byte for byte.
            var spliced = JSONWriter()
            spliced.unsafeRawJSON(first.string)
            #expect(spliced.bytes == first.bytes)
        }
    }
}

/// A JSON document as the tests model it, written through ``JSONWriter`` and compared with what parsers read.
indirect enum WriterTestDocument {
    case null
    case bool(Bool)
    case integer(Int64)
    /// Non-finite values are written as `null`.
    case double(Double)
    case string(String)
    case array([WriterTestDocument])
    /// Keys are unique even under canonical equivalence, so Foundation's dictionaries keep them all.
    case object([(key: String, value: WriterTestDocument)])

    func write(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.value(nil as String?)
        case .bool(let value): writer.value(value)
        case .integer(let value): writer.value(value)
        case .double(let value): writer.value(value)
        case .string(let value): writer.value(value)
        case .array(let elements): writer.array { a in for element in elements { element.write(to: &a) } }
        case .object(let members): writer.object { o in for member in members { member.value.write(to: &o, key: member.key) } }
        }
    }

    func write(to array: inout JSONWriter.ArrayWriter) {
        switch self {
        case .null: array.null()
        case .bool(let value): array.value(value)
        case .integer(let value): array.value(value)
        case .double(let value): array.value(value)
        case .string(let value): array.value(value)
        case .array(let elements): array.array { a in for element in elements { element.write(to: &a) } }
        case .object(let members): array.object { o in for member in members { member.value.write(to: &o, key: member.key) } }
        }
    }

    func write(to object: inout JSONWriter.ObjectWriter, key: String) {
        switch self {
        case .null: object.nullField(key)
        case .bool(let value): object.field(key, value)
        case .integer(let value): object.field(key, value)
        case .double(let value): object.field(key, value)
        case .string(let value): object.field(key, value)
        case .array(let elements): object.array(key) { a in for element in elements { element.write(to: &a) } }
        case .object(let members): object.object(key) { o in for member in members { member.value.write(to: &o, key: member.key) } }
        }
    }

    /// `nil` when `value` (from JSONParser) holds exactly this document; otherwise what differs.
    func difference(from value: JSONValue) -> String? {
        switch (self, value) {
        case (.null, .null), (.double(_), .null):
            if case .double(let number) = self, number.isFinite { return "finite \(number) read as null" }
            return nil
        case (.bool(let expected), .bool(let actual, _)):
            return expected == actual ? nil : "bool \(expected) read as \(actual)"
        case (.integer(let expected), .number(let literal, _)):
            return literal == String(expected) ? nil : "integer \(expected) read as \(literal)"
        case (.double(let expected), .number(let literal, _)):
            return Double(literal)?.bitPattern == expected.bitPattern ? nil : "double \(expected) read as \(literal)"
        case (.string(let expected), .string(let actual, _)):
            return expected.unicodeScalars.elementsEqual(actual.unicodeScalars) ? nil : "string \(expected.debugDescription) read as \(actual.debugDescription)"
        case (.array(let expected), .array(let actual, _)):
            guard expected.count == actual.count else { return "array of \(expected.count) read with \(actual.count)" }
            for (element, value) in zip(expected, actual) {
                if let difference = element.difference(from: value) { return difference }
            }
            return nil
        case (.object(let expected), .object(let actual, _)):
            guard expected.count == actual.count else { return "object of \(expected.count) read with \(actual.count)" }
            for (member, read) in zip(expected, actual) {
                guard member.key.unicodeScalars.elementsEqual(read.key.unicodeScalars) else {
                    return "key \(member.key.debugDescription) read as \(read.key.debugDescription)"
                }
                if let difference = member.value.difference(from: read.value) { return difference }
            }
            return nil
        default:
            return "\(self) read as \(value.typeName)"
        }
    }

    /// `nil` when `value` (from JSONSerialization) holds this document; otherwise what differs. Foundation keeps
    /// no member order, so objects compare as dictionaries.
    func difference(fromFoundation value: Any) -> String? {
        switch self {
        case .null:
            return value is NSNull ? nil : "null read as \(value)"
        case .bool(let expected):
            guard let number = value as? NSNumber, String(cString: number.objCType) == "c" else {
                return "bool read as \(value)"
            }
            return number.boolValue == expected ? nil : "bool \(expected) read as \(number)"
        case .integer(let expected):
            return (value as? NSNumber)?.int64Value == expected ? nil : "integer \(expected) read as \(value)"
        case .double(let expected):
            guard expected.isFinite else { return value is NSNull ? nil : "non-finite read as \(value)" }
            // Foundation on Linux reads many numbers as NSDecimalNumber, whose doubleValue is not correctly
            // rounded; its decimal text is exact, so that is what is compared.
            let read = (value as? NSDecimalNumber).flatMap { Double($0.stringValue) } ?? (value as? NSNumber)?.doubleValue
            return read?.bitPattern == expected.bitPattern ? nil : "double \(expected) read as \(value)"
        case .string(let expected):
            guard let actual = value as? String else { return "string read as \(value)" }
            return expected.unicodeScalars.elementsEqual(actual.unicodeScalars) ? nil
                : "string \(expected.debugDescription) read as \(actual.debugDescription)"
        case .array(let expected):
            guard let actual = value as? [Any], actual.count == expected.count else { return "array read as \(value)" }
            for (element, read) in zip(expected, actual) {
                if let difference = element.difference(fromFoundation: read) { return difference }
            }
            return nil
        case .object(let expected):
            guard let actual = value as? [String: Any], actual.count == expected.count else {
                return "object read as \(value)"
            }
            for member in expected {
                guard let read = actual[member.key] else { return "key \(member.key.debugDescription) missing" }
                if let difference = member.value.difference(fromFoundation: read) { return difference }
            }
            return nil
        }
    }
}

/// Seeded random values for the JSONWriter tests, reproducible per seed: the shared SplitMix64 generator.
typealias WriterTestRandom = SplitMix64

extension SplitMix64 {
    /// A scalar from a mix weighted toward what needs escaping or is multi-byte.
    mutating func scalar() -> Unicode.Scalar {
        let value: UInt32
        switch Int.random(in: 0..<10, using: &self) {
        case 0, 1, 2: value = UInt32.random(in: 0x20...0x7E, using: &self)                  // printable ASCII
        case 3: value = UInt32.random(in: 0x00...0x1F, using: &self)                        // control characters
        case 4: value = [0x22, 0x5C, 0x2F, 0x7F][Int.random(in: 0..<4, using: &self)]       // " \ / DEL
        case 5: value = UInt32.random(in: 0x2020...0x202F, using: &self)                    // around U+2028/9
        case 6: value = UInt32.random(in: 0x80...0x7FF, using: &self)                       // two-byte UTF-8
        case 7: value = UInt32.random(in: 0x800...0xD7FF, using: &self)                     // three-byte UTF-8
        case 8: value = UInt32.random(in: 0xE000...0xFFFF, using: &self)                    // after the surrogates
        default: value = UInt32.random(in: 0x10000...0x10FFFF, using: &self)                // astral (emoji, …)
        }
        return Unicode.Scalar(value) ?? "?"
    }

    /// A string of up to `maxLength` random scalars. A leading U+FEFF is avoided: Foundation on Linux drops a raw
    /// byte order mark at the start of a JSON string (JSONParser keeps it; JSONWriterEscapingTests checks that).
    mutating func string(maxLength: Int) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0...maxLength, using: &self) {
            let next = scalar()
            if text.isEmpty && next == "\u{FEFF}" { continue }
            text.unicodeScalars.append(next)
        }
        return text
    }

    /// A random document, nested at most four levels below `depth`.
    mutating func document(depth: Int) -> WriterTestDocument {
        let containers = depth < 4
        switch Int.random(in: 0..<(containers ? 9 : 6), using: &self) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &self))
        case 2: return .integer(Int64(bitPattern: next()) >> Int64.random(in: 0...63, using: &self))
        case 3:
            let double = Bool.random(using: &self)
                ? Double(bitPattern: next())
                : Double(Int.random(in: -1_000...1_000, using: &self)) / 8
            return .double(double)
        case 4, 5: return .string(string(maxLength: 12))
        case 6: return .array((0..<Int.random(in: 0...5, using: &self)).map { _ in document(depth: depth + 1) })
        default:
            var members: [(key: String, value: WriterTestDocument)] = []
            for _ in 0..<Int.random(in: 0...5, using: &self) {
                let key = string(maxLength: 6)
                guard !members.contains(where: { $0.key == key }) else { continue }
                members.append((key, document(depth: depth + 1)))
            }
            return .object(members)
        }
    }
}
