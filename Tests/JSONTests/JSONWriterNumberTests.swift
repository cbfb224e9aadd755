import JSON
import Testing

@Suite("JSONWriter writes numbers JSON can read back exactly")
struct JSONWriterNumberTests {
    /// The JSON text of `value` written as an array element.
    private func element<Value: JSONWriter.ScalarConvertible>(_ value: Value) -> String {
        var writer = JSONWriter()
        writer.array { $0.value(value) }
        return String(writer.string.dropFirst().dropLast())
    }

    @Test("integers are plain decimal digits", arguments: [
        (Int64(0), "0"), (1, "1"), (-1, "-1"), (9, "9"), (10, "10"), (-10, "-10"), (42, "42"), (100, "100"),
        (1_000_000, "1000000"), (Int64(Int32.max), "2147483647"), (Int64(Int32.min), "-2147483648"),
        (9_007_199_254_740_993, "9007199254740993"), (Int64.max, "9223372036854775807"),
        (Int64.min, "-9223372036854775808"), (Int64.min + 1, "-9223372036854775807"),
    ])
    func integers(value: Int64, json: String) {
        #expect(element(value) == json)
        if let narrow = Int(exactly: value) { #expect(element(narrow) == json) }
        if let narrow = Int32(exactly: value) { #expect(element(narrow) == json) }
    }

    @Test("every integer written reads back as the same integer", arguments: [UInt64(1), 99])
    func randomIntegers(seed: UInt64) throws {
        var random = WriterTestRandom(seed: seed)
        for _ in 0..<5_000 {
            let value = Int64(bitPattern: random.next()) >> Int64.random(in: 0...63, using: &random)
            let json = element(value)
            #expect(json == String(value))
            #expect(try JSONParser.parse(Array(json.utf8)).root == .number(String(value), span: 0..<json.utf8.count))
        }
    }

    @Test("doubles are the shortest text that reads back as the same value", arguments: [
        (0.0, "0.0"), (-0.0, "-0.0"), (1.0, "1.0"), (-1.5, "-1.5"), (0.1, "0.1"), (0.25, "0.25"), (100.0, "100.0"),
        (1e-7, "1e-07"), (1e16, "1e+16"), (1e22, "1e+22"), (123456789012345678.0, "1.2345678901234568e+17"),
        (Double.greatestFiniteMagnitude, "1.7976931348623157e+308"), (Double.leastNonzeroMagnitude, "5e-324"),
        (Double.leastNormalMagnitude, "2.2250738585072014e-308"), (-Double.greatestFiniteMagnitude, "-1.7976931348623157e+308"),
        (Double.pi, "3.141592653589793"),
    ])
    func doubles(value: Double, json: String) throws {
        #expect(element(value) == json)
        #expect(try JSONParser.parse(Array(json.utf8)).root == .number(json, span: 0..<json.utf8.count))
        #expect(Double(json)?.bitPattern == value.bitPattern)
    }

    @Test("NaN and infinities are written as null", arguments: [
        Double.nan, -Double.nan, Double.signalingNaN, Double.infinity, -Double.infinity,
    ])
    func nonFinite(value: Double) {
        #expect(element(value) == "null")
        var writer = JSONWriter()
        writer.object { o in
            o.field("x", value)
            o.field("y", Optional(value), ifNil: .omit)
        }
        #expect(writer.string == #"{"x":null,"y":null}"#)
        var root = JSONWriter()
        root.value(value)
        #expect(root.string == "null")
    }

    @Test("random finite doubles are valid JSON numbers that read back bit for bit", arguments: [UInt64(3), 77])
    func randomDoubles(seed: UInt64) throws {
        var random = WriterTestRandom(seed: seed)
        var checked = 0
        for _ in 0..<10_000 {
            let value = Double(bitPattern: random.next())
            guard value.isFinite else {
                #expect(element(value) == "null")
                continue
            }
            let json = element(value)
            let parsed = try JSONParser.parse(Array(json.utf8)).root
            #expect(parsed == .number(json, span: 0..<json.utf8.count))
            #expect(Double(json)?.bitPattern == value.bitPattern, "\(json)")
            checked += 1
        }
        #expect(checked > 9_000)
    }
}
