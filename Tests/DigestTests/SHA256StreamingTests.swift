import MOTestFixtures
import Testing
import Digest

/// The digest depends on the bytes only, never on how they were cut into `update` calls.
@Suite("SHA-256 streaming")
struct SHA256StreamingTests {
    /// 300 bytes of every value, so a split can land anywhere in the first, second and fifth block.
    static let message: [UInt8] = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }

    @Test("one split anywhere near a block boundary gives the one-shot digest",
          arguments: [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 191, 192, 193, 299, 300])
    func oneSplit(at split: Int) {
        var hasher = SHA256()
        hasher.update(Self.message[..<split])
        hasher.update(Self.message[split...])
        #expect(hasher.finalize() == SHA256.hash(Self.message))
    }

    @Test("feeding one byte at a time gives the one-shot digest", arguments: [0, 1, 55, 56, 63, 64, 65, 300])
    func byteAtATime(length: Int) {
        var hasher = SHA256()
        for byte in Self.message.prefix(length) {
            hasher.update(CollectionOfOne(byte))
        }
        #expect(hasher.finalize() == SHA256.hash(Self.message.prefix(length)))
    }

    @Test("message lengths around the padding boundary pad correctly",
          arguments: [55, 56, 57, 63, 64, 65, 119, 120, 121])
    func paddingBoundary(length: Int) {
        // Fed as one raw buffer and as an array: the two code paths must agree on every padding case.
        let prefix = Array(Self.message.prefix(length))
        let viaBuffer = prefix.withUnsafeBytes { SHA256.hash($0) }
        #expect(viaBuffer == SHA256.hash(prefix))
        #expect(viaBuffer == SHA256.hash(prefix.lazy.map { $0 }))
    }

    @Test("500 random messages cut at random points give their one-shot digests", arguments: [UInt64(0x5EED), 42])
    func randomSplits(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<500 {
            let message = random.bytes(Int.random(in: 0...700, using: &random))
            let expected = SHA256.hash(message)
            var hasher = SHA256()
            var offset = 0
            while offset < message.count {
                // Mostly small pieces, sometimes empty ones, sometimes more than a block.
                let piece = min(message.count - offset, Int.random(in: 0...140, using: &random))
                let chunk = message[offset..<(offset + piece)]
                switch Int.random(in: 0..<3, using: &random) {
                case 0: hasher.update(chunk)
                case 1: Array(chunk).withUnsafeBytes { hasher.update($0) }
                default: hasher.update(chunk.lazy.map { $0 })
                }
                offset += piece
            }
            let digest = hasher.finalize()
            if digest != expected {
                Issue.record("length \(message.count): \(digest.hexString) != \(expected.hexString)")
            }
        }
    }

    @Test("a copy of a running hash continues independently of the original")
    func copiesAreIndependent() {
        var original = SHA256()
        original.update(Self.message[..<100])
        var copy = original
        copy.update(Self.message[100...])
        original.update(ascii("something else"))
        #expect(copy.finalize() == SHA256.hash(Self.message))
        #expect(original.finalize() == SHA256.hash(Array(Self.message[..<100]) + ascii("something else")))
    }
}
