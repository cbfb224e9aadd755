/// The comparable form of a phone number or channel id, shared by `to` and `from_prefixes`.
///
/// Stateless: call ``normalize(_:)`` from any thread.
public enum RouteAddress {
    /// Keeps only letters and digits (whitespace, `+`, `-`, `(`, `.`, `:` and every other character go), then drops
    /// one leading `"00"`. So `"+31 6-1234"`, `"0031 61234"` and `"31612 34"` are all `"3161234"`.
    ///
    /// Non-numeric ids (Apple Messages for Business, Instagram) pass through the same way with their letters kept
    /// and their case unchanged: such ids are case-sensitive. There is no national-format conversion: `"0612345678"`
    /// stays as it is and does not equal `"31612345678"`. Letters and digits are Unicode's (`Character.isLetter`,
    /// `Character.isNumber`), compared as written (Arabic-Indic digits are not turned into ASCII digits).
    public static func normalize(_ text: String) -> String {
        // Phone numbers are ASCII: among ASCII characters exactly A-Z, a-z and 0-9 are letters or numbers, so the
        // bytes can be filtered without Unicode property lookups, with the same result.
        if let ascii = text.utf8.withContiguousStorageIfAvailable({ normalizeASCII($0) }) ?? nil {
            return ascii
        }
        var kept = ""
        kept.reserveCapacity(text.utf8.count)
        for character in text where character.isLetter || character.isNumber {
            kept.append(character)
        }
        guard kept.utf8.starts(with: "00".utf8) else { return kept }
        return String(kept.dropFirst(2))
    }

    /// ``normalize(_:)`` for ASCII text; `nil` when `bytes` holds a non-ASCII byte.
    private static func normalizeASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var kept: [UInt8] = []
        kept.reserveCapacity(bytes.count)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "a")...UInt8(ascii: "z"):
                kept.append(byte)
            case 0x80...:
                return nil
            default:
                continue
            }
        }
        let start = kept.starts(with: [UInt8(ascii: "0"), UInt8(ascii: "0")]) ? 2 : 0
        return String(decoding: kept[start...], as: UTF8.self)
    }
}
