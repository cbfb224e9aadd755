/// Which parser a CM body goes to. The body tells its own form by its first significant byte, not by
/// `Content-Type`, which CM does not always send right: `<` is XML, `{` or `[` is JSON. Pure; shared by the
/// listener and the fuzz targets so both take the same branch for the same bytes.
public enum BodyForm {
    /// The first byte after an optional UTF-8 BOM and whitespace (space, tab, LF, CR); nil for a blank body.
    public static func firstSignificantByte(_ body: [UInt8]) -> UInt8? {
        var index = body.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < body.count, [0x20, 0x09, 0x0A, 0x0D].contains(body[index]) { index += 1 }
        return index < body.count ? body[index] : nil
    }

    /// An XML document (the legacy MO form, XML status reports).
    public static func isXML(_ body: [UInt8]) -> Bool {
        firstSignificantByte(body) == UInt8(ascii: "<")
    }

    /// A JSON object or array.
    public static func isJSON(_ body: [UInt8]) -> Bool {
        let first = firstSignificantByte(body)
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    }
}
