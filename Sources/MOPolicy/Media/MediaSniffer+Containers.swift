// The container formats whose type is inside the first box or entry: ISO base media (ftyp brands), ZIP (entry
// names), and text (UTF-8 validity, vCard).

extension MediaSniffer {
    /// ISO base media file (MP4, MOV, 3GP, HEIF, AVIF): the major brand of the `ftyp` box, else the first
    /// compatible brand that names a type.
    static func isoMedia(_ bytes: ArraySlice<UInt8>) -> String? {
        guard let major = fourCC(bytes, at: 8) else { return nil }
        let boxSize = Int(bytes.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        let compatibleEnd = min(bytes.count, max(16, boxSize))
        let compatible = stride(from: 16, to: compatibleEnd - 3, by: 4).compactMap { fourCC(bytes, at: $0) }

        switch major {
        case "mif1":
            if compatible.contains("avif") { return "image/avif" }
            if compatible.contains(where: { brandType($0) == "image/heic" }) { return "image/heic" }
            return "image/heif"
        case "msf1":
            if compatible.contains("avis") { return "image/avif" }
            if compatible.contains(where: { brandType($0) == "image/heic-sequence" }) { return "image/heic-sequence" }
            return "image/heif-sequence"
        default:
            if let type = brandType(major) { return type }
            return compatible.lazy.compactMap(brandType).first
        }
    }

    /// The type a single brand stands for, or `nil` for brands that say nothing on their own.
    static func brandType(_ brand: String) -> String? {
        switch brand {
        case "heic", "heix", "heim", "heis": return "image/heic"
        case "hevc", "hevx", "hevm", "hevs": return "image/heic-sequence"
        case "avif", "avis": return "image/avif"
        case "qt  ": return "video/quicktime"
        case "M4A ", "M4B ", "M4P ", "F4A ", "F4B ": return "audio/mp4"
        case "isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8", "iso9", "mp41", "mp42", "mp71",
             "avc1", "dash", "mmp4", "MSNV", "M4V ", "M4VH", "M4VP", "f4v ", "F4V ", "F4P ", "XAVC", "NDAS":
            return "video/mp4"
        default:
            if brand.hasPrefix("3g2") { return "video/3gpp2" }
            if brand.hasPrefix("3gp") || brand.hasPrefix("3gs") || brand.hasPrefix("3ge") || brand.hasPrefix("3gg")
                || brand.hasPrefix("3gr") {
                return "video/3gpp"
            }
            return nil
        }
    }

    /// Four printable ASCII bytes at `offset` as a string.
    static func fourCC(_ bytes: ArraySlice<UInt8>, at offset: Int) -> String? {
        let start = bytes.startIndex + offset
        guard offset >= 0, bytes.endIndex - start >= 4 else { return nil }
        let code = bytes[start..<(start + 4)]
        guard code.allSatisfy({ (0x20...0x7E).contains($0) }) else { return nil }
        return String(decoding: code, as: UTF8.self)
    }

    /// ZIP: OOXML (`word/`, `xl/`, `ppt/` entries), ODF and EPUB (a stored `mimetype` first entry), else
    /// `application/zip`. Walks the local file headers inside the prefix; stops at one whose sizes follow the data.
    static func zip(_ bytes: ArraySlice<UInt8>) -> String? {
        let local: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
        if bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) || bytes.starts(with: [0x50, 0x4B, 0x07, 0x08]) {
            return "application/zip"
        }
        guard bytes.starts(with: local) else { return nil }
        var offset = 0
        for entry in 0..<16 {
            let start = bytes.startIndex + offset
            guard bytes.endIndex - start >= 30, bytes[start...].starts(with: local) else { break }
            let flags = littleEndian(bytes, start + 6, 2), method = littleEndian(bytes, start + 8, 2)
            let size = littleEndian(bytes, start + 18, 4)
            let nameLength = littleEndian(bytes, start + 26, 2), extraLength = littleEndian(bytes, start + 28, 2)
            let nameStart = start + 30
            guard bytes.endIndex - nameStart >= nameLength else { break }
            let name = bytes[nameStart..<(nameStart + nameLength)]
            if name.starts(with: "word/".utf8) { return "application/vnd.openxmlformats-officedocument.wordprocessingml.document" }
            if name.starts(with: "xl/".utf8) { return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }
            if name.starts(with: "ppt/".utf8) { return "application/vnd.openxmlformats-officedocument.presentationml.presentation" }
            let dataStart = nameStart + nameLength + extraLength
            if entry == 0, name.elementsEqual("mimetype".utf8), method == 0, (1...80).contains(size),
               bytes.endIndex - dataStart >= size {
                let declared = String(decoding: bytes[dataStart..<(dataStart + size)], as: UTF8.self)
                if zipMIMETypes.contains(declared) { return declared }
            }
            guard flags & 0x08 == 0 else { break }   // sizes are in a data descriptor after the data
            offset = dataStart + size - bytes.startIndex
        }
        return "application/zip"
    }

    /// The `mimetype` entries recognized (ODF text, spreadsheet, presentation; EPUB).
    static let zipMIMETypes: Set<String> = [
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
        "application/epub+zip",
    ]

    static func littleEndian(_ bytes: ArraySlice<UInt8>, _ start: Int, _ count: Int) -> Int {
        bytes[start..<(start + count)].reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    /// Valid UTF-8 (an optional BOM; a sequence cut off by the end of the prefix is fine) without NUL or other
    /// binary control bytes: `text/vcard` when it starts with `BEGIN:VCARD`, else `text/plain`.
    static func text(_ bytes: ArraySlice<UInt8>) -> String? {
        var body = bytes
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard isText(body) else { return nil }
        let start = body.drop { $0 == ASCII.space || $0 == ASCII.tab || $0 == 0x0A || $0 == 0x0D }
        let vcard = "begin:vcard"
        if start.count >= vcard.utf8.count,
           ASCII.equalsIgnoringCase(Substring(decoding: start.prefix(vcard.utf8.count), as: UTF8.self).utf8, "begin:vcard") {
            return "text/vcard"
        }
        return "text/plain"
    }

    /// UTF-8 as RFC 3629 defines it (no overlong forms, surrogates or values above U+10FFFF), and no C0 control
    /// other than tab, line feed, form feed, carriage return and escape.
    static func isText(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let lead = bytes[index]
            if lead < 0x80 {
                switch lead {
                case 0x00...0x08, 0x0B, 0x0E...0x1A, 0x1C...0x1F: return false
                default: index += 1; continue
                }
            }
            let length: Int
            var second: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; second = 0xA0...0xBF
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; second = 0x80...0x9F
            case 0xF0: length = 4; second = 0x90...0xBF
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; second = 0x80...0x8F
            default: return false
            }
            for offset in 1..<length {
                guard index + offset < bytes.endIndex else { return true }   // cut off by the end of the prefix
                let continuation = bytes[index + offset]
                guard (offset == 1 ? second : 0x80...0xBF).contains(continuation) else { return false }
            }
            index += length
        }
        return true
    }
}
