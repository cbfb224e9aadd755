import MOTestFixtures
import Testing
@testable import MOPolicy

private func isAlphanumeric(_ text: String) -> Bool {
    text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }
}

@Suite("OutboundReference makes references CM accepts")
struct OutboundReferenceTests {
    @Test("a reference is 22 ASCII letters and digits, valid for CM")
    func shape() {
        for _ in 0..<100 {
            let reference = OutboundReference.make()
            #expect(reference.utf8.count == 22)
            #expect(isAlphanumeric(reference))
            #expect(OutboundReference.isValid(reference))
        }
    }

    @Test("a prefix of up to 10 letters and digits comes first; the longest fills CM's 32", arguments: [
        "", "a", "mr", "AR1", "0123456789",
    ])
    func prefixes(prefix: String) throws {
        let reference = try OutboundReference.make(prefix: prefix)
        #expect(reference.hasPrefix(prefix))
        #expect(reference.utf8.count == prefix.utf8.count + 22)
        #expect(reference.utf8.count <= 32)
        #expect(OutboundReference.isValid(reference))
    }

    @Test("bad prefixes are refused", arguments: [
        ("mo-r", OutboundReferenceError.prefixNotAlphanumeric), ("a b", .prefixNotAlphanumeric),
        ("é", .prefixNotAlphanumeric), ("_", .prefixNotAlphanumeric), ("01234567890", .prefixTooLong(11)),
    ])
    func badPrefixes(prefix: String, error: OutboundReferenceError) {
        #expect(throws: error) { try OutboundReference.make(prefix: prefix) }
        #expect(throws: error) { try OutboundReference.validatePrefix(prefix) }
    }

    @Test("10,000 references are all different")
    func unique() {
        var seen = Set<String>()
        for _ in 0..<10_000 { seen.insert(OutboundReference.make()) }
        #expect(seen.count == 10_000)
    }

    @Test("all 62 characters are used, about evenly")
    func distribution() throws {
        var generator = SplitMix64(seed: 42)
        var counts: [UInt8: Int] = [:]
        for _ in 0..<10_000 {
            for byte in try OutboundReference.make(using: &generator).utf8 { counts[byte, default: 0] += 1 }
        }
        #expect(counts.count == 62)
        let expected = 10_000 * 22 / 62
        #expect(counts.values.allSatisfy { abs($0 - expected) < expected / 5 })
    }

    @Test("a seeded generator gives the same reference")
    func seeded() throws {
        var first = SplitMix64(seed: 7)
        var second = SplitMix64(seed: 7)
        #expect(try OutboundReference.make(prefix: "x", using: &first) == OutboundReference.make(prefix: "x", using: &second))
    }

    @Test("validation is CM's rule: 1 to 32 ASCII letters and digits", arguments: [
        ("a", nil), ("0", nil), (String(repeating: "Z", count: 32), nil), ("my_reference_123", .notAlphanumeric),
        ("", .empty), (String(repeating: "a", count: 33), .tooLong(33)), ("ref 1", .notAlphanumeric),
        ("réf", .notAlphanumeric), ("ref\n", .notAlphanumeric), ("１２３", .notAlphanumeric),
    ] as [(String, OutboundReferenceError?)])
    func validation(reference: String, error: OutboundReferenceError?) {
        if let error {
            #expect(throws: error) { try OutboundReference.validate(reference) }
            #expect(!OutboundReference.isValid(reference))
        } else {
            #expect(OutboundReference.isValid(reference))
        }
    }

    @Test("error descriptions never quote the reference")
    func descriptions() {
        #expect(OutboundReferenceError.tooLong(40).description == "the reference has 40 characters, more than CM's 32")
        #expect(OutboundReferenceError.empty.description == "the reference is empty (CM takes 1 to 32 letters and digits)")
        #expect(OutboundReferenceError.prefixTooLong(12).description == "the reference prefix has 12 characters, more than 10")
    }
}
