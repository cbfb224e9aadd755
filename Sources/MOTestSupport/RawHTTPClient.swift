import Foundation
import Glibc

/// A response as the test client read it.
public struct HTTPReply: Sendable {
    public let status: Int
    /// Header names lowercased.
    public let headers: [String: String]
    public let body: String
}

/// An HTTP/1.1 client over a plain socket, so tests control every byte (chunked bodies, lying lengths, odd headers).
/// Each call opens one connection to 127.0.0.1 and closes it.
public enum RawHTTPClient {
    /// POSTs `body` with Content-Length and the given extra headers.
    public static func post(port: UInt16, path: String, body: [UInt8], headers: [(String, String)] = [],
                            contentType: String? = "application/json") throws -> HTTPReply {
        var head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
        if let contentType { head += "Content-Type: \(contentType)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        return try send(port: port, bytes: Array((head + "\r\n").utf8) + body)
    }

    public static func get(port: UInt16, path: String, headers: [(String, String)] = []) throws -> HTTPReply {
        var head = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        return try send(port: port, bytes: Array((head + "\r\n").utf8))
    }

    /// POSTs `body` with chunked transfer encoding, in chunks of `chunkSize`.
    public static func postChunked(port: UInt16, path: String, body: [UInt8], chunkSize: Int = 16_384,
                                   headers: [(String, String)] = []) throws -> HTTPReply {
        var bytes = Array("POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n".utf8)
        for (name, value) in headers { bytes += Array("\(name): \(value)\r\n".utf8) }
        bytes += Array("\r\n".utf8)
        var offset = 0
        while offset < body.count {
            let end = min(offset + chunkSize, body.count)
            bytes += Array("\(String(end - offset, radix: 16))\r\n".utf8) + body[offset..<end] + Array("\r\n".utf8)
            offset = end
        }
        bytes += Array("0\r\n\r\n".utf8)
        return try send(port: port, bytes: bytes)
    }

    /// Writes raw bytes, then reads the response until the server closes or the declared length is in.
    /// A write the server cut short (it answered early and closed) is not an error: the response is still read.
    public static func send(port: UInt16, bytes: [UInt8], timeout: Double = 10) throws -> HTTPReply {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestSupportError("connect to 127.0.0.1:\(port) failed: errno \(errno)") }
        var offset = 0
        bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let written = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if written <= 0 { break }
                offset += written
            }
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
            if let reply = parse(received), reply.complete { return reply.reply }
        }
        guard let reply = parse(received) else {
            throw TestSupportError("no HTTP response (read \(received.count) bytes)")
        }
        return reply.reply
    }

    private static func parse(_ bytes: [UInt8]) -> (reply: HTTPReply, complete: Bool)? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = bytes.indices.dropLast(3).first(where: { Array(bytes[$0..<$0 + 4]) == separator }) else { return nil }
        let head = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        guard let statusLine = head.first else { return nil }
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let body = Array(bytes[(end + 4)...])
        let complete = headers["content-length"].flatMap(Int.init).map { body.count >= $0 } ?? false
        return (HTTPReply(status: status, headers: headers, body: String(decoding: body, as: UTF8.self)), complete)
    }
}
