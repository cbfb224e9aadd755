import Foundation
import Glibc
import Testing
@testable import MOMedia

/// Content addresses: the only input a media path is made from, so nothing else can steer a file out of the root.
@Suite("ContentAddress")
struct MediaStoreAddressTests {
    static let hex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

    @Test("extensions of 1 to 8 lowercase letters and digits are accepted",
          arguments: ["jpg", "mp4", "a", "12345678", "3gp"])
    func validExtension(fileExtension: String) throws {
        let address = try ContentAddress(sha256Hex: Self.hex, fileExtension: fileExtension)
        #expect(address.relativePath == "9f/86/\(Self.hex).\(fileExtension)")
    }

    @Test("anything else as an extension is refused, before a temporary file is made",
          arguments: ["", "JPG", "jp g", "123456789", "../x", "a/b", "a.b", ".", "é", "jpg\0", "tar.gz"])
    func invalidExtension(fileExtension: String) throws {
        #expect(throws: MediaStoreError.invalidExtension(fileExtension)) {
            try ContentAddress(sha256Hex: Self.hex, fileExtension: fileExtension)
        }
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore()
        #expect(throws: MediaStoreError.invalidExtension(fileExtension)) {
            try store.beginWrite(fileExtension: fileExtension, maxBytes: 10)
        }
        #expect(sandbox.temporaryFiles().isEmpty)
    }

    @Test("a digest must be 64 lowercase hexadecimal digits",
          arguments: ["", String(hex.prefix(63)), hex + "0", hex.uppercased(), "../" + hex.dropFirst(3),
                      String(hex.dropLast()) + "g"])
    func invalidDigest(text: String) {
        #expect(throws: MediaStoreError.invalidContentAddress(text)) { try ContentAddress(sha256Hex: text) }
    }

    @Test("a relative path written by relativePath reads back as the same address",
          arguments: [nil, "pdf"] as [String?])
    func relativePathRoundTrip(fileExtension: String?) throws {
        let address = try ContentAddress(sha256Hex: Self.hex, fileExtension: fileExtension)
        #expect(try ContentAddress(relativePath: address.relativePath) == address)
    }

    @Test("relative paths that are not ab/cd/<sha256>[.ext] are refused, traversal included",
          arguments: ["../../etc/passwd", "/9f/86/\(hex)", "9f/86/../\(hex)", "9f/86/\(hex)/", "9f/87/\(hex)",
                      "00/86/\(hex)", "9f86/\(hex)", "tmp/9f/86/\(hex)", "9f/86/\(hex).", "9f/86/\(hex).JPG",
                      "9f/86/\(hex).a.b", "9f//86/\(hex)", "9f/86/\(hex.uppercased())", ""])
    func invalidRelativePath(path: String) {
        #expect(throws: MediaStoreError.invalidContentAddress(path)) { try ContentAddress(relativePath: path) }
    }

    @Test("every path a commit returns resolves inside the root")
    func committedPathsStayInsideRoot() throws {
        let sandbox = try MediaStoreSandbox()
        let store = try sandbox.makeStore()
        let resolvedRoot = try #require(resolvedPath(sandbox.root))
        for index in 0..<20 {
            let fileExtension = index.isMultiple(of: 2) ? "jpg" : nil
            let stored = try store.store(Array("item \(index)".utf8), fileExtension: fileExtension)
            let path = store.path(forContentAddress: stored.address)
            let resolved = try #require(resolvedPath(path))
            #expect(resolved.hasPrefix(resolvedRoot + "/"))
            #expect(!stored.relativePath.hasPrefix("/") && !stored.relativePath.split(separator: "/").contains(".."))
            #expect(resolved == "\(resolvedRoot)/\(stored.relativePath)")
        }
    }
}

/// `path` with every symbolic link, `.` and `..` resolved (`realpath(3)`), or nil if it does not exist.
private func resolvedPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
}
