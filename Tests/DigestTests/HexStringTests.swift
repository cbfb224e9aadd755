import Testing
import Digest

@Suite("hexString")
struct HexStringTests {
    @Test("bytes become two lowercase digits each, with nothing between", arguments: [
        ([], ""), ([0x00], "00"), ([0x0f], "0f"), ([0xf0], "f0"), ([0xff], "ff"), ([0x0a, 0xbc, 0xde], "0abcde"),
        ([0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef], "0123456789abcdef"),
    ] as [([UInt8], String)])
    func examples(bytes: [UInt8], hex: String) {
        #expect(bytes.hexString == hex)
    }

    @Test("every byte value prints as its zero-padded base-16 form")
    func everyByte() {
        let all = (0...255).map(UInt8.init)
        let expected = all.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        #expect(all.hexString == expected)
        #expect(all.hexString.count == 512)
    }

    @Test("any byte sequence has a hex string, not only arrays")
    func sequences() {
        let bytes: [UInt8] = [0xde, 0xad, 0xbe, 0xef]
        #expect(bytes[1...2].hexString == "adbe")
        #expect(bytes.lazy.map { $0 }.hexString == "deadbeef")
        #expect("AZ".utf8.hexString == "415a")
    }
}
