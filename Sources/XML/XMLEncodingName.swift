/// Canonical names for the encodings a document may declare, so an error can name the encoding it refused
/// without echoing the declared spelling (payload text).
///
/// Stateless; call from any thread or task.
enum XMLEncodingName {
    /// The canonical name for an upper-cased declared name, or `nil` when it is not a known encoding.
    static func canonical(_ upperCased: String) -> String? {
        if let alias = aliases[upperCased] { return alias }
        if upperCased.hasPrefix("ISO-8859-"), let part = Int(upperCased.dropFirst(9)), (1...16).contains(part) {
            return "ISO-8859-\(part)"
        }
        if upperCased.hasPrefix("WINDOWS-"), let page = Int(upperCased.dropFirst(8)), (1250...1258).contains(page) {
            return "windows-\(page)"
        }
        return nil
    }

    private static let aliases: [String: String] = [
        "UTF-16": "UTF-16", "UTF-16LE": "UTF-16LE", "UTF-16BE": "UTF-16BE", "UTF16": "UTF-16",
        "UTF-32": "UTF-32", "UTF-32LE": "UTF-32LE", "UTF-32BE": "UTF-32BE", "UTF32": "UTF-32",
        "UCS-2": "UCS-2", "UCS-4": "UCS-4", "ISO-10646-UCS-2": "UCS-2", "ISO-10646-UCS-4": "UCS-4",
        "UTF-7": "UTF-7", "UTF8": "UTF8",
        "LATIN1": "ISO-8859-1", "LATIN-1": "ISO-8859-1", "ISO8859-1": "ISO-8859-1", "ISO_8859-1": "ISO-8859-1",
        "L1": "ISO-8859-1", "CP1252": "windows-1252",
        "SHIFT_JIS": "Shift_JIS", "SJIS": "Shift_JIS", "EUC-JP": "EUC-JP", "ISO-2022-JP": "ISO-2022-JP",
        "EUC-KR": "EUC-KR", "GB2312": "GB2312", "GBK": "GBK", "GB18030": "GB18030", "BIG5": "Big5",
        "KOI8-R": "KOI8-R", "KOI8-U": "KOI8-U", "MACINTOSH": "macintosh", "EBCDIC": "EBCDIC",
    ]
}
