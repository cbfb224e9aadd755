/// What one send attempt came to, and so what the sender does next. Built by the classifying initializers in
/// `CMSendOutcome+Classification.swift` from the HTTP status (or a ``CMSendTransportFailure``) and the parsed
/// ``CMSendResponse``.
///
/// Reasons are one line, built from CM's error-code table (``CMSendErrorCode``) and HTTP statuses only: they never
/// quote CM's `details` or `messageDetails` (which can echo the recipient's number) or the body. A pure value;
/// safe to share between threads and tasks.
public enum CMSendOutcome: Sendable, Equatable, CustomStringConvertible {
    /// CM accepted our message for delivery (delivery itself is reported later, by status reports). `parts` is the
    /// sum of `parts` over our entries (`nil` when CM gave none); `details` is CM's top-level `details`.
    case accepted(parts: Int?, details: String?)
    /// Nothing useful happened; the same request may succeed later (network, timeout, HTTP 5xx, codes 500/999).
    /// After a timeout CM may have accepted the message, so a retry can duplicate it.
    case retry(reason: String)
    /// The request cannot succeed as it is. `code` is CM's error code when there was one. `loud`: every later send
    /// fails the same way until the operator acts (token, balance, endpoint, sender, TLS), so say it at error level.
    case permanentFailure(reason: String, code: Int?, loud: Bool)
    /// CM refused this message to this recipient (invalid number or body, spam or blacklist filter). Final for
    /// this message; other sends are unaffected.
    case rejected(reason: String, code: Int?)

    /// Whether the operator must act (only permanent failures can be loud).
    public var isLoud: Bool {
        if case .permanentFailure(_, _, let loud) = self { return loud }
        return false
    }

    /// The CM error code behind a failure or rejection.
    public var code: Int? {
        switch self {
        case .accepted, .retry: nil
        case .permanentFailure(_, let code, _), .rejected(_, let code): code
        }
    }

    /// The reason, `nil` when accepted.
    public var reason: String? {
        switch self {
        case .accepted: nil
        case .retry(let reason), .permanentFailure(let reason, _, _), .rejected(let reason, _): reason
        }
    }

    /// One line: "accepted (1 part)", "retry: …", "failed: …", "rejected: …".
    public var description: String {
        switch self {
        case .accepted(let parts, _):
            guard let parts else { return "accepted" }
            return "accepted (\(parts) \(parts == 1 ? "part" : "parts"))"
        case .retry(let reason):
            return "retry: \(reason)"
        case .permanentFailure(let reason, _, let loud):
            return loud ? "failed (operator action needed): \(reason)" : "failed: \(reason)"
        case .rejected(let reason, _):
            return "rejected: \(reason)"
        }
    }
}
