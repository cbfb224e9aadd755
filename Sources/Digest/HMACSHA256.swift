/// HMAC with SHA-256 (RFC 2104, test vectors from RFC 4231): signs webhook bodies with a shared secret.
///
/// Stateless and pure: usable from any thread. Compare codes with a constant-time comparison
/// (`MOPolicy.constantTimeEquals`), never with `==`.
public enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key`. A key longer than the 64-byte block is hashed
    /// first; a shorter one is padded with zeros, as RFC 2104 says. Any key length is accepted, including empty.
    public static func authenticationCode(key: some Sequence<UInt8>, message: some Sequence<UInt8>) -> [UInt8] {
        var block = Array(key)
        if block.count > SHA256.blockByteCount {
            block = SHA256.hash(block)
        }
        block += repeatElement(0, count: SHA256.blockByteCount - block.count)

        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(message)
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5c })
        outer.update(inner.finalize())
        return outer.finalize()
    }
}
