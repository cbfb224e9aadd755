import JSON
import MOTestFixtures
import Testing

@Suite("JSONWriter builds compact, deterministic JSON")
struct JSONWriterTests {
    /// The text of a top-level object whose members `body` writes.
    private func object(_ body: (inout JSONWriter.ObjectWriter) -> Void) -> String {
        var writer = JSONWriter()
        writer.object(body)
        return writer.string
    }

    /// The text of a top-level array whose elements `body` writes.
    private func array(_ body: (inout JSONWriter.ArrayWriter) -> Void) -> String {
        var writer = JSONWriter()
        writer.array(body)
        return writer.string
    }

    @Test("an event-shaped document is written compactly, members in the order written")
    func eventDocument() {
        let text = object { o in
            o.field("schema", "mo-receiver.event.v1")
            o.field("id", 42)
            o.field("name", nil as String?)
            o.field("custom", unsafeRawJSON: "{\"a\":1}")
            o.object("from") { $0.field("number", "+31612345678") }
            o.array("groupings") { a in for g in ["x", "y"] { a.value(g) } }
            o.field("ok", true)
            o.field("ratio", 0.25)
        }
        #expect(text == #"{"schema":"mo-receiver.event.v1","id":42,"name":null,"custom":{"a":1},"#
            + #""from":{"number":"+31612345678"},"groupings":["x","y"],"ok":true,"ratio":0.25}"#)
    }

    @Test("keys keep the order written, not sorted")
    func insertionOrder() {
        let text = object { o in
            for key in ["zulu", "alpha", "mike", "Bravo", "_", "1"] { o.field(key, key.count) }
        }
        #expect(text == #"{"zulu":4,"alpha":5,"mike":4,"Bravo":5,"_":1,"1":1}"#)
    }

    @Test("empty objects and arrays are {} and [], at the top and nested")
    func emptyContainers() {
        #expect(object { _ in } == "{}")
        #expect(array { _ in } == "[]")
        #expect(object { o in
            o.object("a") { _ in }
            o.array("b") { _ in }
        } == #"{"a":{},"b":[]}"#)
        #expect(array { a in
            a.array { _ in }
            a.object { _ in }
            a.array { $0.array { _ in } }
        } == "[[],{},[[]]]")
    }

    @Test("nil is null by default and left out with ifNil: .omit", arguments: [
        (Optional<String>.none, JSONWriter.NilPolicy.null, #"{"a":1,"x":null,"z":2}"#),
        (nil, .omit, #"{"a":1,"z":2}"#),
        ("v", .null, #"{"a":1,"x":"v","z":2}"#),
        ("v", .omit, #"{"a":1,"x":"v","z":2}"#),
    ])
    func nilPolicy(value: String?, policy: JSONWriter.NilPolicy, expected: String) {
        #expect(object { o in
            o.field("a", 1)
            o.field("x", value, ifNil: policy)
            o.field("z", 2)
        } == expected)
    }

    @Test("omitted members leave no stray commas, first, last or everywhere")
    func omittedMembersAndCommas() {
        let none: Int? = nil
        #expect(object { o in
            o.field("a", none, ifNil: .omit)
            o.field("b", 1)
        } == #"{"b":1}"#)
        #expect(object { o in
            o.field("b", 1)
            o.field("a", none, ifNil: .omit)
        } == #"{"b":1}"#)
        #expect(object { o in
            o.field("a", none, ifNil: .omit)
            o.field("c", unsafeRawJSON: nil, ifNil: .omit)
        } == "{}")
    }

    @Test("null can be written as a member, an element or through an optional of any scalar type")
    func nulls() {
        #expect(object { o in
            o.nullField("a")
            o.field("b", nil as Int?)
            o.field("c", nil as Double?)
            o.field("d", nil as Bool?)
            o.field("e", unsafeRawJSON: nil)
        } == #"{"a":null,"b":null,"c":null,"d":null,"e":null}"#)
        #expect(array { a in
            a.null()
            a.value(nil as String?)
            a.value(nil as Int64?)
        } == "[null,null,null]")
    }

    @Test("raw JSON is spliced byte for byte as a member, an element or the whole document")
    func rawSplice() {
        let custom = "{ \"keep\" : [1, 2.50, \"\\u00e9\"] }"
        #expect(object { o in
            o.field("custom", unsafeRawJSON: custom)
            o.field("n", 1)
        } == "{\"custom\":\(custom),\"n\":1}")
        #expect(array { a in
            a.unsafeRawJSON("1e999")
            a.unsafeRawJSON("\"x\"")
            a.unsafeRawJSON(custom)
        } == "[1e999,\"x\",\(custom)]")
        var writer = JSONWriter()
        writer.unsafeRawJSON(custom)
        #expect(writer.string == custom)
    }

    @Test("raw JSON taken from a parsed document writes back its exact text")
    func rawSpliceFromDocument() throws {
        let input = #"{"custom":{"b" : 2, "a":"\u00e9\/"},"x":1}"#
        let document = try JSONParser.parse(utf8(input))
        let custom = try #require(document.root["custom"])
        let text = object { $0.field("custom", unsafeRawJSON: document.rawText(of: custom)) }
        #expect(text == #"{"custom":{"b" : 2, "a":"\u00e9\/"}}"#)
        #expect(try JSONParser.parse(utf8(text)).root["custom"]?["a"]?.stringValue == "é/")
    }

    @Test("objects and arrays nest through closures")
    func nesting() {
        let text = object { o in
            o.object("message") { m in
                m.field("text", "hi")
                m.array("media") { media in
                    media.object { $0.field("url", "https://x") }
                    media.object { $0.field("url", "https://y") }
                }
            }
            o.array("matrix") { rows in
                rows.array { $0.values([1, 2]) }
                rows.array { $0.values([3]) }
            }
        }
        #expect(text == #"{"message":{"text":"hi","media":[{"url":"https://x"},{"url":"https://y"}]},"#
            + #""matrix":[[1,2],[3]]}"#)
    }

    @Test("a thousand levels of nesting are written and parse back", arguments: [1, 2, 64, 1_000])
    func deepNesting(depth: Int) throws {
        func nest(_ a: inout JSONWriter.ArrayWriter, _ level: Int) {
            if level == depth {
                a.value("bottom")
            } else {
                a.object { o in o.array("a") { nest(&$0, level + 1) } }
            }
        }
        var writer = JSONWriter()
        writer.array { nest(&$0, 1) }
        let expected = String(repeating: #"[{"a":"#, count: depth - 1) + #"["bottom"]"#
            + String(repeating: "}]", count: depth - 1)
        let written = writer.string
        let same = written == expected   // a Bool, so a failure does not print kilobytes of brackets
        #expect(same, "wrote \(written.utf8.count) bytes starting \(written.prefix(40))")
        var limits = JSONLimits()
        limits.maxDepth = 2 * depth
        var value = try JSONParser.parse(writer.bytes, limits: limits).root
        for _ in 1..<depth {
            guard case .array(let elements, _) = value, let inner = elements.first?["a"] else {
                Issue.record("unexpected shape \(value.typeName)")
                return
            }
            value = inner
        }
        guard case .array(let bottom, _) = value else {
            Issue.record("unexpected bottom \(value.typeName)")
            return
        }
        #expect(bottom.first?.stringValue == "bottom")
    }

    @Test("a scalar can be the whole document", arguments: [
        (JSONWriter.Scalar.string("x"), #""x""#), (.integer(-7), "-7"), (.double(2.5), "2.5"), (.bool(false), "false"),
    ])
    func scalarRoot(scalar: JSONWriter.Scalar, expected: String) {
        var writer = JSONWriter()
        writer.value(ScalarBox(scalar))
        #expect(writer.string == expected)
    }

    @Test("a nil top-level value is null")
    func nullRoot() {
        var writer = JSONWriter()
        writer.value(nil as Bool?)
        #expect(writer.string == "null")
    }

    @Test("bytes and string hold the same UTF-8 text")
    func bytesAndString() {
        var writer = JSONWriter()
        writer.object { $0.field("t", "é🙂\n") }
        #expect(writer.bytes == Array(writer.string.utf8))
        #expect(writer.bytes == Array("{\"t\":\"é🙂\\n\"}".utf8))
    }

    @Test("a new writer is empty")
    func emptyWriter() {
        #expect(JSONWriter().bytes.isEmpty)
        #expect(JSONWriter().string.isEmpty)
    }

    @Test("every built-in scalar type is written as its JSON scalar")
    func builtInScalars() {
        let text = object { o in
            o.field("string", "s")
            o.field("substring", "xsubx".dropFirst().dropLast())
            o.field("bool", false)
            o.field("int", Int.min)
            o.field("int32", Int32.min)
            o.field("int64", Int64.max)
            o.field("double", -1.5)
        }
        #expect(text == #"{"string":"s","substring":"sub","bool":false,"int":-9223372036854775808,"#
            + #""int32":-2147483648,"int64":9223372036854775807,"double":-1.5}"#)
    }

    @Test("other types conform by naming their scalar")
    func customConformance() {
        #expect(object { o in
            o.field("id", OrderID(raw: 7))
            o.field("missing", nil as OrderID?)
        } == #"{"id":"order-7","missing":null}"#)
        #expect(array { $0.values([OrderID(raw: 1), OrderID(raw: 2)]) } == #"["order-1","order-2"]"#)
    }

    @Test("an error thrown in a closure is rethrown with its type")
    func throwingClosure() {
        var writer = JSONWriter()
        #expect(throws: BuildFailure.tooMany) {
            try writer.object { (o: inout JSONWriter.ObjectWriter) throws(BuildFailure) in
                o.field("a", 1)
                try o.array("b") { (a: inout JSONWriter.ArrayWriter) throws(BuildFailure) in
                    a.value(1)
                    throw BuildFailure.tooMany
                }
            }
        }
    }

    @Test("a writer can be built on one task and its text read on another")
    func sendable() async {
        var writer = JSONWriter()
        writer.object { $0.field("n", 1) }
        let finished = writer
        let text = await Task.detached { finished.string }.value
        #expect(text == #"{"n":1}"#)
    }
}

/// A scalar given directly, for the top-level value tests.
private struct ScalarBox: JSONWriter.ScalarConvertible {
    let jsonScalar: JSONWriter.Scalar
    init(_ scalar: JSONWriter.Scalar) { jsonScalar = scalar }
}

/// A domain type written as a string.
private struct OrderID: JSONWriter.ScalarConvertible {
    let raw: Int
    var jsonScalar: JSONWriter.Scalar { .string("order-\(raw)") }
}

private enum BuildFailure: Error, Equatable {
    case tooMany
}
