import CCrypto

/// A running SHA-256 hash (FIPS 180-4), computed by libcrypto: feed bytes with `update` in as many pieces as
/// convenient, then read the 32-byte digest with `finalize()`. The digest depends only on the bytes, never on how
/// they were split.
///
/// A value type owned by whoever hashes: a copy is an independent hash of the same prefix (the libcrypto context is
/// copied before either side writes to it again), so a digest can be taken part-way and the hash go on. Usable from
/// any thread, one owner at a time.
public struct SHA256: Sendable {
    /// The length of a digest in bytes.
    public static let digestByteCount = 32
    /// The length of the blocks SHA-256 works on, in bytes (HMAC pads keys to this).
    public static let blockByteCount = 64

    private var context: DigestContext

    /// A hash of nothing yet.
    public init() {
        context = DigestContext()
    }

    /// Feeds the bytes in `bytes`. The memory is only read during the call.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        if !isKnownUniquelyReferenced(&context) { context = context.copy() }
        context.update(base, count: bytes.count)
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

    /// The 32-byte digest of everything fed so far. The running hash is left as it was, so it can go on.
    public func finalize() -> [UInt8] {
        context.copy().finish()
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

/// The owner of one libcrypto `EVP_MD_CTX` set up for SHA-256: made in `init`, freed in `deinit`. Used by one
/// ``SHA256`` value at a time (it copies the context before writing to a shared one), so never from two threads
/// at once.
final class DigestContext: @unchecked Sendable {
    private let handle: OpaquePointer

    init() {
        guard let handle = EVP_MD_CTX_new() else { fatalError("libcrypto could not allocate a digest context") }
        self.handle = handle
        guard EVP_DigestInit_ex(handle, EVP_sha256(), nil) == 1 else {
            fatalError("libcrypto refused to set up SHA-256")
        }
    }

    private init(copying other: DigestContext) {
        guard let handle = EVP_MD_CTX_new(), EVP_MD_CTX_copy_ex(handle, other.handle) == 1 else {
            fatalError("libcrypto could not copy a digest context")
        }
        self.handle = handle
    }

    deinit {
        EVP_MD_CTX_free(handle)
    }

    func copy() -> DigestContext {
        DigestContext(copying: self)
    }

    func update(_ bytes: UnsafeRawPointer, count: Int) {
        guard EVP_DigestUpdate(handle, bytes, count) == 1 else { fatalError("libcrypto refused SHA-256 input") }
    }

    /// Finishes this context (it cannot be fed again) and returns the digest.
    func finish() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: SHA256.digestByteCount) { digest, initialized in
            var length: UInt32 = 0
            guard EVP_DigestFinal_ex(handle, digest.baseAddress, &length) == 1,
                  Int(length) == SHA256.digestByteCount else {
                fatalError("libcrypto could not finish SHA-256")
            }
            initialized = Int(length)
        }
    }
}
