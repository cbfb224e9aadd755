/// Why a send got no HTTP response at all, in the few kinds that decide what to do next. The caller maps its HTTP
/// client's error to one (with libcurl: timeout → `.timeout`; resolve, connect, interrupted → `.network`; TLS →
/// `.tls`; anything else → `.other`), so this module needs no HTTP client. A pure value usable from any thread.
public enum CMSendTransportFailure: String, Sendable, Equatable, CaseIterable {
    /// No complete answer within the timeout (connect or total). CM may have accepted the message anyway.
    case timeout
    /// The name did not resolve, the connection was refused or broke before the answer.
    case network
    /// The TLS handshake or the certificate check failed.
    case tls
    /// Anything else that stopped the request (refused by our own client, a response too large or not HTTP).
    case other
}
