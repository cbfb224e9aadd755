import Foundation
import Testing

/// The bytes of `Tests/Fixtures/mo/<name>`, found relative to this source file (Sources/MOTestFixtures).
/// Records a test issue (and returns no bytes) when the file is missing.
public func fixture(_ name: String) -> [UInt8] {
    fixture(name, in: "mo")
}

/// The bytes of `Tests/Fixtures/<folder>/<name>` (folder "mo", "events", "status"), found relative to
/// this source file. Records a test issue (and returns no bytes) when the file is missing.
public func fixture(_ name: String, in folder: String) -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Tests/Fixtures/\(folder)/\(name)")
    guard let data = FileManager.default.contents(atPath: url.path) else {
        Issue.record("missing fixture \(url.path)")
        return []
    }
    return [UInt8](data)
}

/// The text of a one-line fixture such as `status/query-*.txt`, without its trailing line break.
public func fixtureLine(_ name: String, in folder: String) -> String {
    var bytes = fixture(name, in: folder)
    while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") {
        bytes.removeLast()
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// The UTF-8 bytes of `text`.
public func utf8(_ text: String) -> [UInt8] {
    Array(text.utf8)
}

/// The UTF-8 bytes of the fragments in order, with raw bytes (e.g. invalid UTF-8) spliced in.
public func bytes(_ parts: JSONBytesPart...) -> [UInt8] {
    parts.flatMap { part -> [UInt8] in
        switch part {
        case .text(let text): Array(text.utf8)
        case .raw(let raw): raw
        }
    }
}

/// A piece of test input: text or raw bytes (for JSON and XML alike).
public enum JSONBytesPart: ExpressibleByStringLiteral {
    case text(String)
    case raw([UInt8])

    public init(stringLiteral value: String) {
        self = .text(value)
    }
}
