import JSON
import XML

/// CM's test call, and any other request that carries no content. Seed 001: "When configuring the webhook URL,
/// you must ensure this URL returns HTTP status code 200(OK) on the test call we make. If our call to the webhook
/// fails, we will not use the provided URL." The test call's content is not documented, so every request without
/// content is one: the daemon answers it 200 `probe` and keeps it, instead of quarantining it.
///
/// Pure; safe from any thread. The listener asks only about a body its decoders refused, so the check costs
/// nothing on the path of a real message.
public enum WebhookProbe {
    /// Whether `body` (for a GET: the query string) carries no content:
    /// - nothing, or only blanks (space, tab, CR, LF) after an optional UTF-8 byte order mark;
    /// - JSON `{}`, `[]` or `null` (blanks allowed around and inside);
    /// - an XML document whose root element has no `MSG` child (`<MESSAGES/>`, `<MESSAGES></MESSAGES>`).
    ///
    /// A body that is not well-formed is never a probe: it goes to quarantine with its reason.
    public static func isProbe(_ body: [UInt8]) -> Bool {
        guard let first = BodyForm.firstSignificantByte(body) else { return true }
        switch first {
        case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "n"):
            guard let document = try? JSONParser.parse(body) else { return false }
            switch document.root {
            case .null: return true
            case .object(let members, _): return members.isEmpty
            case .array(let items, _): return items.isEmpty
            default: return false
            }
        case UInt8(ascii: "<"):
            guard let root = try? XMLTreeParser.parse(body) else { return false }
            return root.firstChild(named: "MSG") == nil
        default:
            return false
        }
    }
}
