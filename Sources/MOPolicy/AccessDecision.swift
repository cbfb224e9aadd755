/// Whether a request may pass the trust boundary.
///
/// A pure value type usable from any thread. A deny becomes 403 with an empty body; `reason` is one line for the
/// (rate-limited) log and never quotes header text.
public enum AccessDecision: Equatable, Sendable {
    case allow(client: IPAddress)
    /// `client` is nil when the forwarding header was malformed and no client could be named.
    /// `reason`, e.g. `"source 6.6.6.6 is not in trust.allowed_sources"` or
    /// `"X-Forwarded-For is malformed: entry 2 is not an IP address"`.
    case deny(client: IPAddress?, reason: String)
}
