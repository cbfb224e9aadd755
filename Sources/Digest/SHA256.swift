/// A running SHA-256 hash (FIPS 180-4): feed bytes with `update` in as many pieces as convenient, then read the
/// 32-byte digest with `finalize()`. The digest depends only on the bytes, never on how they were split.
///
/// A value type owned by whoever hashes; it holds no references, so a copy is an independent hash of the same
/// prefix (copy it to take a digest part-way and keep going). Usable from any thread, one owner at a time.
/// Whole 64-byte blocks are compressed straight from the caller's memory; only a partial block is buffered.
public struct SHA256: Sendable {
    /// The length of a digest in bytes.
    public static let digestByteCount = 32
    /// The length of the blocks the compression function works on, in bytes (HMAC pads keys to this).
    public static let blockByteCount = 64

    /// The eight 32-bit words of the intermediate hash value H(i).
    var state: State
    /// Bytes of an incomplete block, waiting for the rest; the first `bufferedCount` bytes are valid.
    private var buffer: BlockBuffer
    /// How many bytes of `buffer` are in use: always less than 64 between calls.
    private var bufferedCount: Int
    /// All bytes fed so far, modulo 2^64 (the message length is encoded in bits, modulo 2^64, as FIPS 180-4 does
    /// for messages shorter than 2^64 bits).
    private var totalByteCount: UInt64

    /// A hash of nothing yet.
    public init() {
        state = .initial
        buffer = BlockBuffer()
        bufferedCount = 0
        totalByteCount = 0
    }

    /// Feeds the bytes in `bytes`. The memory is only read during the call.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var next = bytes.baseAddress, bytes.count > 0 else { return }
        var remaining = bytes.count
        totalByteCount &+= UInt64(remaining)

        if bufferedCount > 0 {
            let taken = min(Self.blockByteCount - bufferedCount, remaining)
            buffer.store(from: next, count: taken, at: bufferedCount)
            bufferedCount += taken
            next += taken
            remaining -= taken
            guard bufferedCount == Self.blockByteCount else { return }
            buffer.withBytes { SHA256.compress(&state, blocks: $0, count: 1) }
            bufferedCount = 0
        }

        let wholeBlocks = remaining / Self.blockByteCount
        if wholeBlocks > 0 {
            SHA256.compress(&state, blocks: next, count: wholeBlocks)
            next += wholeBlocks * Self.blockByteCount
            remaining -= wholeBlocks * Self.blockByteCount
        }
        if remaining > 0 {
            buffer.store(from: next, count: remaining, at: 0)
            bufferedCount = remaining
        }
    }

    /// Feeds a sequence of bytes. Arrays, slices, `String.UTF8View` and other contiguous collections are hashed
    /// in place; any other sequence is copied through a stack buffer a few kilobytes at a time.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let wasContiguous: Void? = bytes.withContiguousStorageIfAvailable { contiguous in
            update(UnsafeRawBufferPointer(contiguous))
        }
        guard wasContiguous == nil else { return }
        withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 1) { chunk in
            var iterator = bytes.makeIterator()
            var filled = 0
            while let byte = iterator.next() {
                chunk[filled] = byte
                filled += 1
                if filled == chunk.count {
                    update(UnsafeRawBufferPointer(chunk))
                    filled = 0
                }
            }
            update(UnsafeRawBufferPointer(rebasing: chunk[..<filled]))
        }
    }

    /// The 32-byte digest of everything fed so far. Called on a `var` that is used again later, it works on a
    /// copy, so the running hash can go on.
    public consuming func finalize() -> [UInt8] {
        let bitLength = totalByteCount &* 8
        // 0x80, then zeros up to 56 bytes into a block, then the bit length big-endian: one or two blocks.
        let paddingCount = bufferedCount < 56 ? 56 - bufferedCount : 120 - bufferedCount
        withUnsafeTemporaryAllocation(byteCount: 72, alignment: 8) { tail in
            tail.initializeMemory(as: UInt8.self, repeating: 0)
            tail[0] = 0x80
            tail.storeBytes(of: bitLength.bigEndian, toByteOffset: paddingCount, as: UInt64.self)
            update(UnsafeRawBufferPointer(rebasing: tail[..<(paddingCount + 8)]))
        }
        let words = state
        return [UInt8](unsafeUninitializedCapacity: Self.digestByteCount) { digest, initialized in
            let raw = UnsafeMutableRawBufferPointer(digest)
            for (index, word) in words.words.enumerated() {
                raw.storeBytes(of: word.bigEndian, toByteOffset: index * 4, as: UInt32.self)
            }
            initialized = Self.digestByteCount
        }
    }

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }
}

extension SHA256 {
    /// The intermediate hash value: eight words, H0 first.
    struct State: Sendable, Equatable {
        var h0, h1, h2, h3, h4, h5, h6, h7: UInt32

        /// H(0): the first 32 bits of the fractional parts of the square roots of the first eight primes.
        static let initial = State(
            h0: 0x6a09_e667, h1: 0xbb67_ae85, h2: 0x3c6e_f372, h3: 0xa54f_f53a,
            h4: 0x510e_527f, h5: 0x9b05_688c, h6: 0x1f83_d9ab, h7: 0x5be0_cd19)

        var words: [UInt32] { [h0, h1, h2, h3, h4, h5, h6, h7] }
    }

    /// 64 bytes of inline storage for a partial block, so buffering never allocates.
    struct BlockBuffer: Sendable {
        private var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)

        /// Copies `count` bytes from `source` to `offset`; `offset + count` must not exceed 64.
        mutating func store(from source: UnsafeRawPointer, count: Int, at offset: Int) {
            withUnsafeMutableBytes(of: &storage) { bytes in
                (bytes.baseAddress! + offset).copyMemory(from: source, byteCount: count)
            }
        }

        /// Calls `body` with the start of the 64 bytes.
        func withBytes<Result>(_ body: (UnsafeRawPointer) -> Result) -> Result {
            withUnsafeBytes(of: storage) { body($0.baseAddress!) }
        }
    }
}
