/// The content type of a media file, read from its first bytes instead of trusting the sender's `contentType`
/// (Instagram sends `""`) or the server's `Content-Type`.
///
/// Stateless and pure: callable from any thread, typically by the media worker once the first
/// `MediaSniffer.prefixLength` bytes (or the whole file, when shorter) are on disk. It returns a MIME type without
/// parameters, from a fixed set, each with an extension in `MediaFileName`; `application/octet-stream` when nothing
/// matches. Checks are cheap signature compares on the prefix; nothing is decoded.
public enum MediaSniffer {
    /// Enough bytes for every check here, including a few ZIP entry names of an OOXML file.
    public static let prefixLength = 4096

    public static let octetStream = "application/octet-stream"

    /// The MIME type of a file that starts with `prefix` (only the first `prefixLength` bytes are looked at).
    public static func mimeType(of prefix: some Collection<UInt8>) -> String {
        let bytes = Array(prefix.prefix(prefixLength))
        return sniff(bytes[...]) ?? octetStream
    }

    static func sniff(_ bytes: ArraySlice<UInt8>) -> String? {
        guard !bytes.isEmpty else { return nil }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if bytes.starts(with: "GIF87a".utf8) || bytes.starts(with: "GIF89a".utf8) { return "image/gif" }
        if bytes.starts(with: "RIFF".utf8), let type = riff(bytes) { return type }
        if has(bytes, "ftyp", at: 4), let type = isoMedia(bytes) { return type }
        if bytes.starts(with: "OggS".utf8) { return ogg(bytes) }
        if bytes.starts(with: "%PDF-".utf8) { return "application/pdf" }
        if bytes.starts(with: "#!AMR-WB\n".utf8) { return "audio/amr-wb" }
        if bytes.starts(with: "#!AMR\n".utf8) { return "audio/amr" }
        if bytes.starts(with: [0x1A, 0x45, 0xDF, 0xA3]) { return matroska(bytes) }
        if bytes.starts(with: "PK".utf8), let type = zip(bytes) { return type }
        if bytes.starts(with: "ID3".utf8), bytes.count >= 4, (2...4).contains(bytes[bytes.startIndex + 3]) {
            return "audio/mpeg"
        }
        if let audio = frameSync(bytes) { return audio }
        return text(bytes)
    }

    /// `true` when `bytes` holds `ascii` at `offset` from its start.
    static func has(_ bytes: ArraySlice<UInt8>, _ ascii: String, at offset: Int) -> Bool {
        let start = bytes.startIndex + offset
        guard bytes.endIndex - start >= ascii.utf8.count, start >= bytes.startIndex else { return false }
        return bytes[start...].starts(with: ascii.utf8)
    }

    /// RIFF container: the form type at offset 8.
    static func riff(_ bytes: ArraySlice<UInt8>) -> String? {
        if has(bytes, "WEBP", at: 8) { return "image/webp" }
        if has(bytes, "WAVE", at: 8) { return "audio/wav" }
        if has(bytes, "AVI ", at: 8) { return "video/x-msvideo" }
        return nil
    }

    /// Ogg: the codec from the first packet of the first page (27-byte header, then the segment table).
    static func ogg(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.count > 27 else { return "application/ogg" }
        let packet = 27 + Int(bytes[bytes.startIndex + 26])
        if has(bytes, "OpusHead", at: packet) { return "audio/ogg" }
        if has(bytes, "\u{01}vorbis", at: packet) { return "audio/ogg" }
        if has(bytes, "Speex   ", at: packet) { return "audio/ogg" }
        if has(bytes, "\u{7F}FLAC", at: packet) { return "audio/ogg" }
        if bytes.count > packet, bytes[bytes.startIndex + packet] == 0x80, has(bytes, "theora", at: packet + 1) {
            return "video/ogg"
        }
        return "application/ogg"
    }

    /// Matroska/WebM (EBML header): WebM when its DocType says so within the first bytes.
    static func matroska(_ bytes: ArraySlice<UInt8>) -> String {
        let head = bytes.prefix(64)
        let webm: [UInt8] = [0x42, 0x82, 0x84] + Array("webm".utf8)   // DocType element, size 4, "webm"
        return head.indices.contains { head[$0...].starts(with: webm) } ? "video/webm" : "video/x-matroska"
    }

    /// MPEG audio frame sync (MP3 and its relatives) or AAC in ADTS, checked on the first header only.
    static func frameSync(_ bytes: ArraySlice<UInt8>) -> String? {
        guard bytes.count >= 4 else { return nil }
        let b0 = bytes[bytes.startIndex], b1 = bytes[bytes.startIndex + 1], b2 = bytes[bytes.startIndex + 2]
        guard b0 == 0xFF, b1 & 0xE0 == 0xE0 else { return nil }
        let version = b1 >> 3 & 0b11, layer = b1 >> 1 & 0b11
        if layer == 0 {
            // ADTS: 12 sync bits, layer 00, sampling frequency index 0…12.
            guard b1 & 0xF6 == 0xF0, b2 >> 2 & 0x0F <= 12 else { return nil }
            return "audio/aac"
        }
        // MPEG audio: version not reserved (01), bitrate index not 1111, sample rate not reserved (11).
        guard version != 0b01, b2 >> 4 != 0x0F, b2 >> 2 & 0b11 != 0b11 else { return nil }
        return "audio/mpeg"
    }
}
