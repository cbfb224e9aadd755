import CCrypto

/// HMAC with SHA-256 (RFC 2104), computed by libcrypto's one-shot `HMAC`: signs webhook bodies with a shared
/// secret. The RFC 4231 vectors are its conformance tests (DigestTests).
///
/// Stateless: usable from any thread. Compare codes with a constant-time comparison
/// (`MOPolicy.constantTimeEquals`), never with `==`.
public enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key`. Any key length is accepted, including empty (a key
    /// longer than the 64-byte block is hashed first, as RFC 2104 says).
    public static func authenticationCode(key: some Sequence<UInt8>, message: some Sequence<UInt8>) -> [UInt8] {
        // An empty array may have no storage address; libcrypto wants a pointer even for zero bytes, so each
        // buffer holds at least one byte and its length is passed apart.
        let key = Array(key), message = Array(message)
        let keyStorage = key.isEmpty ? [0] : key, messageStorage = message.isEmpty ? [0] : message
        return keyStorage.withUnsafeBufferPointer { keyBytes in
            messageStorage.withUnsafeBufferPointer { messageBytes in
                [UInt8](unsafeUninitializedCapacity: SHA256.digestByteCount) { code, initialized in
                    var length: UInt32 = 0
                    guard HMAC(EVP_sha256(), keyBytes.baseAddress, Int32(key.count), messageBytes.baseAddress,
                               message.count, code.baseAddress, &length) != nil,
                          Int(length) == SHA256.digestByteCount else {
                        fatalError("libcrypto could not compute HMAC-SHA256")
                    }
                    initialized = Int(length)
                }
            }
        }
    }
}
