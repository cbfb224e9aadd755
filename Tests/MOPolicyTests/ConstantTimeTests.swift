import Testing
@testable import MOPolicy

@Suite("constantTimeEquals")
struct ConstantTimeTests {
    @Test("equal and unequal byte sequences", arguments: [
        ("token", "token", true), ("", "", true), ("token", "tokem", false), ("token", "Token", false),
        ("token", "toke", false), ("toke", "token", false), ("", "x", false), ("x", "", false),
        ("abc\u{0}", "abc", false), ("\u{FF}", "\u{FE}", false),
    ])
    func strings(a: String, b: String, equal: Bool) {
        #expect(constantTimeEquals(a.utf8, b.utf8) == equal)
        #expect(constantTimeEquals(Array(a.utf8), Array(b.utf8)) == equal)
    }

    @Test("different collection types compare by content")
    func mixedCollections() {
        let bytes: [UInt8] = [1, 2, 3, 4]
        #expect(constantTimeEquals(bytes, bytes[...]))
        #expect(constantTimeEquals(bytes[1...], [2, 3, 4] as [UInt8]))
        #expect(!constantTimeEquals(bytes[1...], bytes[..<3]))
        #expect(constantTimeEquals("\u{1}\u{2}\u{3}\u{4}".utf8, bytes))
    }

    @Test("a difference at any position is found", arguments: 0..<32)
    func everyPosition(position: Int) {
        let a = [UInt8](repeating: 0x41, count: 32)
        var b = a
        b[position] ^= 0x01
        #expect(!constantTimeEquals(a, b))
    }
}
