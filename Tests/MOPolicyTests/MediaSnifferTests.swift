import MOTestFixtures
import Testing
@testable import MOPolicy

/// Small synthetic prefixes: only the bytes each check looks at, built by hand.
@Suite("Media sniffing from the first bytes")
struct MediaSnifferTests {
    static func bytes(_ parts: [UInt8]...) -> [UInt8] { parts.flatMap { $0 } }
    static func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// An `ftyp` box: size, "ftyp", major brand, minor version 0, compatible brands.
    static func ftyp(_ major: String, _ compatible: [String] = []) -> [UInt8] {
        let size = UInt32(16 + 4 * compatible.count)
        return bytes([UInt8(size >> 24), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)],
                     ascii("ftyp"), ascii(major), [0, 0, 0, 0], compatible.flatMap(ascii))
            + [0, 0, 0, 8] + ascii("free")
    }

    /// The first Ogg page header (27 bytes) with one segment, then the start of the first packet.
    static func ogg(_ packet: [UInt8]) -> [UInt8] {
        bytes(ascii("OggS"), [0, 2], [UInt8](repeating: 0, count: 20), [1, UInt8(packet.count)], packet)
    }

    /// A ZIP local file header (stored, sizes known) followed by its data.
    static func zipEntry(_ name: String, data: [UInt8] = [], flags: UInt16 = 0) -> [UInt8] {
        let size = UInt32(data.count), nameLength = UInt16(name.utf8.count)
        func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
        func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(value >> (8 * $0) & 0xFF) } }
        return bytes([0x50, 0x4B, 0x03, 0x04], le16(20), le16(flags), le16(0), le16(0), le16(0), le32(0),
                     le32(size), le32(size), le16(nameLength), le16(0), ascii(name), data)
    }

    static let table: [(String, [UInt8], String)] = [
        ("JPEG (JFIF)", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + ascii("JFIF"), "image/jpeg"),
        ("JPEG (Exif)", [0xFF, 0xD8, 0xFF, 0xE1], "image/jpeg"),
        ("PNG", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + ascii("IHDR"), "image/png"),
        ("GIF87a", ascii("GIF87a") + [1, 0, 1, 0], "image/gif"),
        ("GIF89a", ascii("GIF89a") + [1, 0, 1, 0], "image/gif"),
        ("WebP", bytes(ascii("RIFF"), [0x24, 0, 0, 0], ascii("WEBPVP8 ")), "image/webp"),
        ("WAV", bytes(ascii("RIFF"), [0x24, 0, 0, 0], ascii("WAVEfmt ")), "audio/wav"),
        ("AVI", bytes(ascii("RIFF"), [0x24, 0, 0, 0], ascii("AVI LIST")), "video/x-msvideo"),
        ("HEIC", ftyp("heic", ["mif1", "heic"]), "image/heic"),
        ("HEIC (heix)", ftyp("heix", ["mif1"]), "image/heic"),
        ("HEIF with a HEIC brand", ftyp("mif1", ["mif1", "heic"]), "image/heic"),
        ("HEIF", ftyp("mif1", ["mif1"]), "image/heif"),
        ("HEIC sequence", ftyp("hevc", ["msf1"]), "image/heic-sequence"),
        ("HEIF sequence", ftyp("msf1", ["msf1", "iso8"]), "image/heif-sequence"),
        ("AVIF", ftyp("avif", ["mif1", "miaf"]), "image/avif"),
        ("AVIF as mif1", ftyp("mif1", ["avif", "miaf"]), "image/avif"),
        ("AVIF sequence", ftyp("avis", ["msf1"]), "image/avif"),
        ("MP4 (isom)", ftyp("isom", ["isom", "iso2", "avc1", "mp41"]), "video/mp4"),
        ("MP4 (mp42)", ftyp("mp42", ["mp42", "isom"]), "video/mp4"),
        ("MP4 with an unknown major brand", ftyp("abcd", ["xxxx", "mp41"]), "video/mp4"),
        ("M4A", ftyp("M4A ", ["M4A ", "mp42", "isom"]), "audio/mp4"),
        ("MOV", ftyp("qt  ", ["qt  "]), "video/quicktime"),
        ("3GP", ftyp("3gp4", ["3gp4", "isom"]), "video/3gpp"),
        ("3GP (3gp5)", ftyp("3gp5", []), "video/3gpp"),
        ("3G2", ftyp("3g2a", ["3g2a"]), "video/3gpp2"),
        ("Ogg Opus", ogg(ascii("OpusHead") + [1, 1]), "audio/ogg"),
        ("Ogg Vorbis", ogg([1] + ascii("vorbis") + [0, 0]), "audio/ogg"),
        ("Ogg Theora", ogg([0x80] + ascii("theora")), "video/ogg"),
        ("Ogg, other codec", ogg(ascii("fishead")), "application/ogg"),
        ("MP3 with ID3v2.3", ascii("ID3") + [3, 0, 0, 0, 0, 0, 0], "audio/mpeg"),
        ("MP3 with ID3v2.4", ascii("ID3") + [4, 0, 0], "audio/mpeg"),
        ("MP3 frame, MPEG-1 layer III 128 kbit/s", [0xFF, 0xFB, 0x90, 0x64], "audio/mpeg"),
        ("MP3 frame, MPEG-2 layer III", [0xFF, 0xF3, 0x44, 0xC4], "audio/mpeg"),
        ("MP3 frame, MPEG-2.5", [0xFF, 0xE3, 0x18, 0xC4], "audio/mpeg"),
        ("AAC ADTS (MPEG-4, no CRC)", [0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC], "audio/aac"),
        ("AAC ADTS (MPEG-2, CRC)", [0xFF, 0xF8, 0x4C, 0x80, 0x02, 0x1F, 0xFC], "audio/aac"),
        ("AMR", ascii("#!AMR\n") + [0x3C], "audio/amr"),
        ("AMR-WB", ascii("#!AMR-WB\n") + [0x04], "audio/amr-wb"),
        ("PDF", ascii("%PDF-1.7\n%\u{E2}\u{E3}"), "application/pdf"),
        ("WebM", [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84] + ascii("webm"), "video/webm"),
        ("Matroska", [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x82, 0x88] + ascii("matroska"), "video/x-matroska"),
        ("ZIP", zipEntry("hello.txt", data: ascii("hi")), "application/zip"),
        ("empty ZIP", [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18), "application/zip"),
        ("DOCX", zipEntry("[Content_Types].xml", data: ascii("<Types/>")) + zipEntry("_rels/.rels", data: ascii("<R/>"))
            + zipEntry("word/document.xml", data: ascii("<w/>")),
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("XLSX", zipEntry("[Content_Types].xml", data: ascii("<Types/>")) + zipEntry("xl/workbook.xml"),
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("PPTX", zipEntry("ppt/presentation.xml"), "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ("OOXML whose parts come after a data descriptor", zipEntry("[Content_Types].xml", flags: 8)
            + zipEntry("word/document.xml"), "application/zip"),
        ("ODT", zipEntry("mimetype", data: ascii("application/vnd.oasis.opendocument.text")),
         "application/vnd.oasis.opendocument.text"),
        ("EPUB", zipEntry("mimetype", data: ascii("application/epub+zip")) + zipEntry("META-INF/container.xml"),
         "application/epub+zip"),
        ("ZIP whose mimetype entry is not a known type", zipEntry("mimetype", data: ascii("text/html")), "application/zip"),
        ("vCard", ascii("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jan\r\nEND:VCARD\r\n"), "text/vcard"),
        ("vCard, lowercase after a BOM and a blank line", [0xEF, 0xBB, 0xBF] + ascii("\r\nbegin:vcard\nversion:4.0\n"),
         "text/vcard"),
        ("plain text", ascii("Hello, world.\nTweede regel.\t€ ✓ 😀\n"), "text/plain"),
        ("plain text with a BOM", [0xEF, 0xBB, 0xBF] + ascii("hoi"), "text/plain"),
        ("text cut inside a multi-byte character", ascii("prijs: ") + [0xE2, 0x82], "text/plain"),
        ("text that starts with PK", ascii("PKI certificates"), "text/plain"),
        ("text that starts with RIFF", ascii("RIFF raff"), "text/plain"),
        ("text with NUL", ascii("abc\u{0}def"), "application/octet-stream"),
        ("text with a binary control byte", ascii("abc\u{1}def"), "application/octet-stream"),
        ("invalid UTF-8 (lone continuation byte)", [0x61, 0x80, 0x62], "application/octet-stream"),
        ("invalid UTF-8 (overlong slash)", [0xC0, 0xAF], "application/octet-stream"),
        ("invalid UTF-8 (overlong 3-byte)", [0xE0, 0x80, 0xAF], "application/octet-stream"),
        ("invalid UTF-8 (surrogate)", [0xED, 0xA0, 0x80], "application/octet-stream"),
        ("invalid UTF-8 (above U+10FFFF)", [0xF4, 0x90, 0x80, 0x80], "application/octet-stream"),
        ("invalid UTF-8 (F5)", [0xF5, 0x80, 0x80, 0x80], "application/octet-stream"),
        ("ELF executable", [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0], "application/octet-stream"),
        ("Windows executable", ascii("MZ") + [0x90, 0x00, 0x03, 0x00], "application/octet-stream"),
        ("RIFF of an unknown form", bytes(ascii("RIFF"), [0x24, 0, 0, 0], ascii("XYZW")), "application/octet-stream"),
        ("ftyp with no known brand", ftyp("abcd", ["efgh"]), "application/octet-stream"),
        ("ID3 with a bad version", ascii("ID3") + [0xFF, 0, 0], "application/octet-stream"),
        ("frame sync with a reserved layer and bad rate", [0xFF, 0xFF, 0xFF, 0xFF], "application/octet-stream"),
        ("a lone 0xFF", [0xFF], "application/octet-stream"),
        ("empty", [], "application/octet-stream"),
    ]

    @Test("the type is read from the first bytes", arguments: table)
    func sniffs(name: String, prefix: [UInt8], mime: String) {
        #expect(MediaSniffer.mimeType(of: prefix) == mime, "\(name)")
    }

    @Test("only the first prefixLength bytes are looked at")
    func prefixOnly() {
        let text = [UInt8](repeating: UInt8(ascii: "a"), count: MediaSniffer.prefixLength) + [0]
        #expect(MediaSniffer.mimeType(of: text) == "text/plain")
        #expect(MediaSniffer.mimeType(of: text[...]) == "text/plain")
    }

    @Test("truncated headers never trap", arguments: Array(0..<40))
    func truncated(length: Int) {
        for (_, prefix, _) in Self.table {
            _ = MediaSniffer.mimeType(of: prefix.prefix(length))
        }
    }

    @Test("random bytes never trap and always give a type with an extension", arguments: [UInt64(0x5EED), 7])
    func randomBytes(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let signatures: [[UInt8]] = [[0x50, 0x4B, 0x03, 0x04], Array("OggS".utf8), [0, 0, 0, 0x20] + Array("ftyp".utf8),
                                     Array("RIFF".utf8), [0xFF, 0xF1], [0x1A, 0x45, 0xDF, 0xA3]]
        for _ in 0..<2_000 {
            let count = Int.random(in: 0...200, using: &random)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            if Bool.random(using: &random) { bytes = signatures.randomElement(using: &random)! + bytes }
            let mime = MediaSniffer.mimeType(of: bytes)
            #expect(MediaFileName.extension(forMIME: mime) != "bin" || mime == "application/octet-stream")
        }
    }
}
