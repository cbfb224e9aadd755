/// What a status report says about an outbound message, normalised from CM's code.
///
/// Today's scheme (seed 001): 0 accepted, 1 rejected, 2 delivered, 3 failed, 4 read. Anything else is `unknown`
/// and the raw code is kept beside it. A pure value; safe to share between threads and tasks.
public enum DeliveryStatus: String, Sendable, CaseIterable {
    case accepted, rejected, delivered, failed, read, unknown

    /// Maps a code as sent (text from XML, JSON string or number, query parameter). Leading and trailing
    /// blanks are ignored; the legacy mapping is documented in `docs/decisions.md`.
    public init(code raw: String?) {
        switch raw?.trimmingBlanks() {
        case "0": self = .accepted
        case "1": self = .rejected
        case "2": self = .delivered
        case "3": self = .failed
        case "4": self = .read
        default: self = .unknown
        }
    }
}
