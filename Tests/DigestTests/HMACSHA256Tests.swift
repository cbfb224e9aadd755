import MOTestFixtures
import Testing
import Digest

/// RFC 4231 §4 test cases 1 to 7, and the key-length rules of RFC 2104.
@Suite("HMAC-SHA256")
struct HMACSHA256Tests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let key: [UInt8]
        let data: [UInt8]
        /// The expected code; test case 5 publishes only its first 16 bytes.
        let code: String
        var testDescription: String { name }
    }

    static let rfc4231Vectors: [Vector] = [
        Vector(name: "test case 1: 20-byte key", key: .init(repeating: 0x0b, count: 20), data: ascii("Hi There"),
               code: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        Vector(name: "test case 2: key shorter than the code", key: ascii("Jefe"),
               data: ascii("what do ya want for nothing?"),
               code: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        Vector(name: "test case 3: 50 bytes of 0xdd", key: .init(repeating: 0xaa, count: 20),
               data: .init(repeating: 0xdd, count: 50),
               code: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        Vector(name: "test case 4: 25-byte counting key", key: Array(1...25), data: .init(repeating: 0xcd, count: 50),
               code: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        Vector(name: "test case 5: truncated to 128 bits", key: .init(repeating: 0x0c, count: 20),
               data: ascii("Test With Truncation"), code: "a3b6167473100ee06e0c796c2955552b"),
        Vector(name: "test case 6: 131-byte key, hashed first", key: .init(repeating: 0xaa, count: 131),
               data: ascii("Test Using Larger Than Block-Size Key - Hash Key First"),
               code: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        Vector(name: "test case 7: key and data longer than a block", key: .init(repeating: 0xaa, count: 131),
               data: ascii("This is a test using a larger than block-size key and a larger than block-size data. "
                   + "The key needs to be hashed before being used by the HMAC algorithm."),
               code: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    @Test("an RFC 4231 test case gives its published code", arguments: rfc4231Vectors)
    func rfc4231(vector: Vector) {
        let code = HMACSHA256.authenticationCode(key: vector.key, message: vector.data)
        #expect(code.count == 32)
        #expect(code.hexString.hasPrefix(vector.code))
        #expect(vector.code.count == 64 || vector.code.count == 32)
    }

    @Test("a key longer than the 64-byte block acts as its SHA-256 digest", arguments: [65, 100, 131, 1_000])
    func longKeyIsHashed(length: Int) {
        var random = SplitMix64(seed: UInt64(length))
        let key = random.bytes(length)
        let message = random.bytes(80)
        #expect(HMACSHA256.authenticationCode(key: key, message: message)
            == HMACSHA256.authenticationCode(key: SHA256.hash(key), message: message))
    }

    @Test("a key of exactly 64 bytes is used as it is, not hashed")
    func blockSizedKeyIsNotHashed() {
        let key = [UInt8](repeating: 0x5a, count: 64)
        let message = ascii("body")
        #expect(HMACSHA256.authenticationCode(key: key, message: message)
            != HMACSHA256.authenticationCode(key: SHA256.hash(key), message: message))
    }

    @Test("a short key acts as if padded with zero bytes to the block size", arguments: [0, 1, 20, 63])
    func shortKeyIsZeroPadded(length: Int) {
        let key = [UInt8](repeating: 0x42, count: length)
        let padded = key + [UInt8](repeating: 0, count: 64 - length)
        #expect(HMACSHA256.authenticationCode(key: key, message: ascii("m"))
            == HMACSHA256.authenticationCode(key: padded, message: ascii("m")))
    }

    @Test("an empty key and an empty message give the known code")
    func emptyKeyAndMessage() {
        #expect(HMACSHA256.authenticationCode(key: [UInt8](), message: [UInt8]()).hexString
            == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test("a string's UTF-8 view can be the key and the message")
    func utf8Views() {
        #expect(HMACSHA256.authenticationCode(key: "Jefe".utf8, message: "what do ya want for nothing?".utf8).hexString
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("changing one bit of the key or the message changes the code")
    func oneBitChanges() {
        let key = ascii("webhook secret")
        let message = ascii("{\"reference\":\"abc\"}")
        let code = HMACSHA256.authenticationCode(key: key, message: message)
        for index in key.indices {
            var flipped = key
            flipped[index] ^= 0x01
            #expect(HMACSHA256.authenticationCode(key: flipped, message: message) != code)
        }
        for index in message.indices {
            var flipped = message
            flipped[index] ^= 0x80
            #expect(HMACSHA256.authenticationCode(key: key, message: flipped) != code)
        }
    }
}
