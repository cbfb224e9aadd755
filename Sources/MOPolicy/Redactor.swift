/// Redacts personal data in log output unless PII logging is on (config `logging.pii`).
///
/// A pure value type, usable from any thread: built once from config and shared by every logging call site.
public struct Redactor: Sendable {
    /// `true`: phone numbers are logged in full (secrets never are).
    public let pii: Bool

    public init(pii: Bool) {
        self.pii = pii
    }

    /// Phone numbers and other sender/recipient ids. `pii == true`, or 6 characters or fewer (shortcodes): unchanged.
    ///
    /// Otherwise a leading `"+"` or `"00"` is kept, then the next 2 characters, a `"*"` for each middle character,
    /// and the last 3: `"+316012345678"` → `"+31*******678"`, `"00316012345678"` → `"0031*******678"`. At least one
    /// character after the prefix is always masked, so no more than 3 consecutive original characters follow the
    /// prefix: when the rest is only 5 long (`"0012345"`) the head shrinks to 1 (`"001*345"`).
    public func phone(_ value: String) -> String {
        if pii { return value }
        let count = value.count
        guard count > 6 else { return value }
        let prefixLength = value.hasPrefix("+") ? 1 : value.hasPrefix("00") ? 2 : 0
        let rest = value.dropFirst(prefixLength)
        let restLength = count - prefixLength
        let tail = min(3, restLength - 1)
        let head = min(2, restLength - 1 - tail)
        let masked = restLength - head - tail
        return String(value.prefix(prefixLength)) + rest.prefix(head) + String(repeating: "*", count: masked)
            + rest.suffix(tail)
    }

    /// Secrets (tokens): always `"<redacted N chars>"` whatever `pii` says; tokens are never logged.
    public func secret(_ value: String) -> String {
        "<redacted \(value.count) chars>"
    }
}
