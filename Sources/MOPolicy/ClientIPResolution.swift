/// The outcome of client-address resolution.
///
/// A pure value type usable from any thread.
public enum ClientIPResolution: Equatable, Sendable {
    /// The address to check against the allowlist.
    case resolved(IPAddress)
    /// Fail closed: the request must be denied. A one-line reason that names the header and the entry, e.g.
    /// `"X-Forwarded-For entry 3 is not an IP address"`; it never quotes header text.
    case malformed(String)
}
