import Testing
@testable import MOPolicy

@Suite("Media file names: content-addressed, never from the payload")
struct MediaFileNameTests {
    @Test("a MIME type maps to its extension, ignoring case, parameters and spaces", arguments: [
        ("image/jpeg", "jpg"), ("image/jpg", "jpg"), ("IMAGE/JPEG", "jpg"), ("image/pjpeg", "jpg"),
        ("image/png", "png"), ("image/gif", "gif"), ("image/webp", "webp"), ("image/heic", "heic"),
        ("image/heif", "heif"), ("image/avif", "avif"), ("video/mp4", "mp4"), ("video/quicktime", "mov"),
        ("video/3gpp", "3gp"), ("audio/ogg", "ogg"), ("audio/ogg; codecs=opus", "ogg"), (" Audio/OGG ;codecs=opus", "ogg"),
        ("audio/mpeg", "mp3"), ("audio/aac", "aac"), ("audio/mp4", "m4a"), ("audio/amr", "amr"), ("audio/wav", "wav"),
        ("audio/x-wav", "wav"), ("application/pdf", "pdf"), ("application/zip", "zip"),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        ("text/vcard", "vcf"), ("text/x-vcard", "vcf"), ("text/plain; charset=utf-8", "txt"),
        ("application/octet-stream", "bin"), ("application/x-msdownload", "bin"), ("text/html", "bin"),
        ("image/svg+xml", "bin"), ("", "bin"), ("image/jpeg/../../x", "bin"), ("../../etc/passwd", "bin"),
    ])
    func extensionForMIME(mime: String, ext: String) {
        #expect(MediaFileName.extension(forMIME: mime) == ext)
    }

    @Test("every extension in the map is short lowercase alphanumerics")
    func extensionsAreSafe() {
        for (mime, ext) in MediaFileName.extensions {
            let safe = (2...5).contains(ext.count) && ext.utf8.allSatisfy { ASCII.isDigit($0) || (0x61...0x7A).contains($0) }
            #expect(safe, "\(mime) → \(ext)")
        }
    }

    @Test("the path is two levels of two hex digits, then the digest and the extension")
    func contentAddressed() throws {
        let digest = String(repeating: "a1b2c3d4", count: 8)
        #expect(try MediaFileName.contentAddressedPath(sha256Hex: digest, mime: "image/jpeg") == "a1/b2/\(digest).jpg")
        #expect(try MediaFileName.contentAddressedPath(sha256Hex: digest.uppercased(), mime: "audio/ogg; codecs=opus")
            == "a1/b2/\(digest).ogg")
        #expect(try MediaFileName.contentAddressedPath(sha256Hex: digest, mime: "text/html") == "a1/b2/\(digest).bin")
    }

    @Test("a digest that is not 64 hex digits is refused", arguments: [
        "", "abc", String(repeating: "a", count: 63), String(repeating: "a", count: 65),
        String(repeating: "g", count: 64), "../" + String(repeating: "a", count: 61),
        "/" + String(repeating: "a", count: 63), String(repeating: "a", count: 62) + "/.",
        String(repeating: "a", count: 63) + "\u{0}", String(repeating: "ａ", count: 64),
    ])
    func invalidDigest(digest: String) {
        #expect(throws: MediaFileNameError.invalidDigest(length: digest.utf8.count)) {
            try MediaFileName.contentAddressedPath(sha256Hex: digest, mime: "image/png")
        }
    }

    @Test("a relative path is safe only if it stays below its directory", arguments: [
        ("ab/cd/abcd.jpg", true), ("a", true), ("a/b.c/d", true), ("..a/b", true), ("a../b", true),
        ("", false), ("/ab/cd/x.jpg", false), ("../x", false), ("ab/../../x", false), ("ab/..", false), ("..", false),
        ("./x", false), ("ab/./x", false), ("ab//x", false), ("ab/", false), ("ab\\..\\x", false), ("a\u{0}b", false),
        ("a b", false), ("a\nb", false), ("ab/cé", false), ("ab/c\u{202E}gpj.exe", false),
    ])
    func safePath(path: String, safe: Bool) {
        #expect(MediaFileName.isSafeRelativePath(path) == safe)
    }

    @Test("the error says what is wrong without quoting the digest")
    func errorDescription() {
        #expect(MediaFileNameError.invalidDigest(length: 3).description == "media digest is not 64 hex digits (it has 3 bytes)")
    }
}
