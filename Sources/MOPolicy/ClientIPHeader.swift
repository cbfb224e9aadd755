/// Which forwarding header carries the client address (config `trust.client_ip_header`; the raw values are the
/// config spellings). Exactly one is read; XFF and `Forwarded` are never merged, because their orders cannot be
/// reconciled.
///
/// A pure value type usable from any thread.
public enum ClientIPHeader: String, Sendable, CaseIterable {
    /// Headers are ignored; the client is the TCP peer.
    case none
    /// `X-Forwarded-For`: a comma list of bare addresses.
    case xForwardedFor = "x-forwarded-for"
    /// `Forwarded` (RFC 7239).
    case forwarded

    /// The HTTP header name to read (`"X-Forwarded-For"` / `"Forwarded"`); nil for `.none`.
    public var headerName: String? {
        switch self {
        case .none: nil
        case .xForwardedFor: "X-Forwarded-For"
        case .forwarded: "Forwarded"
        }
    }
}
