#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc

/// Reads a secret (a signing key, CM's product token) from a file that only its owner may read. Surrounding
/// whitespace and a trailing newline are dropped. The secret never appears in an error.
enum SecretFile {
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    static func read(_ path: String) throws(Problem) -> [UInt8] {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw Problem(description: "cannot read '\(path)': \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw Problem(description: "'\(path)' is readable by group or others (mode \(String(info.st_mode & 0o777, radix: 8))); run: chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem(description: "cannot read '\(path)'")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingWhitespaceAndNewlines()
        guard !text.isEmpty else { throw Problem(description: "'\(path)' is empty") }
        return Array(text.utf8)
    }
}
