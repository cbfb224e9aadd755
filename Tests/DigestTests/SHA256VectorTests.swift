import MOTestFixtures
import Testing
import Digest

/// The FIPS 180-4 example messages (NIST CSRC "Examples with intermediate values") and their digests.
@Suite("SHA-256 against the NIST test vectors")
struct SHA256VectorTests {
    @Test("a NIST example message has its published digest", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func example(message: String, digest: String) {
        #expect(SHA256.hash(ascii(message)).hexString == digest)
    }

    @Test("one million 'a' hashes to the published digest, in one call and fed 1,000 bytes at a time")
    func millionA() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hash(message).hexString == expected)

        var hasher = SHA256()
        let thousand = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000)
        for _ in 0..<1_000 {
            hasher.update(thousand)
        }
        #expect(hasher.finalize().hexString == expected)
    }

    @Test("a digest is 32 bytes whatever the input length", arguments: [0, 1, 55, 56, 63, 64, 65, 1_000])
    func digestLength(length: Int) {
        #expect(SHA256.hash([UInt8](repeating: 7, count: length)).count == SHA256.digestByteCount)
    }

    @Test("the same bytes hash alike as an array, a slice, a raw buffer, a UTF-8 view and a lazy sequence")
    func inputForms() {
        let text = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        let expected = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        let padded = ascii("xx" + text + "yy")
        #expect(SHA256.hash(text.utf8).hexString == expected)
        #expect(SHA256.hash(padded[2..<(padded.count - 2)]).hexString == expected)
        #expect(ascii(text).withUnsafeBytes { SHA256.hash($0) }.hexString == expected)
        #expect(SHA256.hash(ascii(text).lazy.map { $0 }).hexString == expected)
        #expect(SHA256.hash(AnySequence(ascii(text))).hexString == expected)
    }

    @Test("a non-contiguous sequence longer than the copy buffer hashes like the array")
    func longNonContiguousSequence() {
        var random = SplitMix64(seed: 0xD1_6E57)
        let bytes = random.bytes(10_000)
        #expect(SHA256.hash(bytes.lazy.map { $0 }) == SHA256.hash(bytes))
    }

    @Test("an empty update changes nothing")
    func emptyUpdate() {
        var hasher = SHA256()
        hasher.update([UInt8]())
        hasher.update(ascii("abc"))
        hasher.update(UnsafeRawBufferPointer(start: nil, count: 0))
        hasher.update(EmptyCollection<UInt8>())
        #expect(hasher.finalize().hexString == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("finalizing a running hash leaves it usable: the digest of a prefix, then of the whole")
    func finalizeIsNotTheEnd() {
        var hasher = SHA256()
        hasher.update(ascii("ab"))
        let prefix = hasher.finalize()
        hasher.update(ascii("c"))
        #expect(prefix == SHA256.hash(ascii("ab")))
        #expect(hasher.finalize().hexString == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
