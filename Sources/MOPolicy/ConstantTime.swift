/// Compares two byte sequences in time that depends only on their lengths: every byte pair up to the shorter
/// length is compared, with no early exit, so the position of the first difference does not show in the timing.
/// The lengths themselves are not secret-safe (a different length returns `false` after the same loop).
///
/// Pure: usable from any thread. Used for the secret path token.
public func constantTimeEquals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
    var difference: UInt8 = 0
    for (x, y) in zip(a, b) {
        difference |= x ^ y
    }
    let sameLength = a.count == b.count
    return sameLength && difference == 0
}
