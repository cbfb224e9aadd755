import Foundation
import Glibc
import Synchronization
import MOReceiver
import MOTestSupport
import Testing

// Shared by the hostile-input tests (reliability-security.md §5, one test per checklist row; docs/hostile-input.md).
// Every test asserts the exact status, what was (or was not) stored, and a generous time bound: the bounds catch
// a hang or a blow-up (entity expansion, a body read to its end, a connection never closed), not a slow machine.

/// Time bounds, kept generous for a loaded 2-core CI box.
enum Bound {
    /// A request that needs no database work beyond one small transaction.
    static let answer: Duration = .seconds(5)

    /// For hostile bodies whose danger is CPU or memory (entity expansion, deep nesting): at most 1 s more than
    /// four times what a benign request took on the same daemon just before. A billion-laughs expansion or a
    /// recursive descent 100 000 levels deep would exceed that by orders of magnitude.
    static func relative(to baseline: Duration) -> Duration {
        .seconds(1) + baseline * 4
    }
}

/// Runs `body` and returns its result with the time it took.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Duration) {
    let started = ContinuousClock.now
    let result = try body()
    return (result, ContinuousClock.now - started)
}

/// Runs `body` on `count` threads of its own, released together, and returns the results in index order.
/// Threads, not tasks: the calls block on sockets, and on a 2-core machine blocking calls in tasks would take turns
/// on the cooperative pool instead of arriving at once.
func concurrently<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
    let results = Mutex<[Int: T]>([:])
    let start = DispatchSemaphore(value: 0)
    let done = DispatchGroup()
    for index in 0..<count {
        done.enter()
        Thread.detachNewThread {
            start.wait()
            let result = body(index)
            results.withLock { $0[index] = result }
            done.leave()
        }
    }
    for _ in 0..<count { start.signal() }
    done.wait()
    return results.withLock { dictionary in (0..<count).map { dictionary[$0]! } }
}

extension ReceiverHarness {
    /// Rows in every table an accepted request writes to; all zero means nothing was stored.
    func storedRows() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in ["webhook_requests", "inbound_messages", "status_reports", "events", "media_items", "jobs"] {
            counts[table] = try count(table)
        }
        return counts
    }

    var nothingStored: Bool {
        ((try? storedRows()) ?? ["error": 1]).values.allSatisfy { $0 == 0 }
    }

    /// The one webhook_requests row: outcome, reason, raw body, seen_count.
    func onlyRequest() throws -> (outcome: String?, reason: String?, body: [UInt8]?, seen: Int?) {
        let row = try query("SELECT outcome, reason, body, seen_count FROM webhook_requests")
        #expect(row.rowCount == 1)
        return (row.string(0, 0), row.string(0, 1), row.bytes(0, 2), row.int(0, 3))
    }

    /// Posts a benign, unique MO and returns how long it took (the baseline for `Bound.relative`).
    func baseline() throws -> Duration {
        let body = Array(#"{"from":{"number":"+31600000000"},"message":{"text":"baseline \#(UUID().uuidString)"},"channel":"SMS"}"#.utf8)
        let (reply, elapsed) = try timed { try post(body: body) }
        #expect(reply.status == 200)
        return elapsed
    }

    /// Still serving: a benign, unique MO is stored.
    func stillServes() throws -> Bool {
        let body = Array(#"{"from":{"number":"+31600000000"},"message":{"text":"alive \#(UUID().uuidString)"},"channel":"SMS"}"#.utf8)
        return try post(body: body).status == 200
    }
}

/// A minimal valid MO whose text is `text` (JSON-escaped here).
func moBody(text: String, from: String = "+31600000001", name: String? = nil) -> [UInt8] {
    let nameField = name.map { #","name":\#(jsonQuoted($0))"# } ?? ""
    return Array(#"{"from":{"number":\#(jsonQuoted(from))\#(nameField)},"to":{"number":"3669"},"message":{"text":\#(jsonQuoted(text))},"channel":"SMS"}"#.utf8)
}

/// `text` as a JSON string literal (quotes, backslashes and control characters escaped; everything else raw UTF-8).
func jsonQuoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

/// One client connection under the test's full control: write some bytes, pause, read what comes back, and see when
/// the server closes. For slow clients, bodies that are never finished, and answers sent before the body.
final class RawConnection {
    let fd: Int32

    /// Connects to 127.0.0.1, or to ::1 with `ipv6`.
    init(port: UInt16, ipv6: Bool = false) throws {
        fd = socket(ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket() failed: errno \(errno)") }
        let connected: Int32
        if ipv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            address.sin6_addr = in6addr_loopback
            connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard connected == 0 else {
            close(fd)
            throw TestSupportError("connect to loopback port \(port) failed: errno \(errno)")
        }
    }

    deinit { close(fd) }

    /// Writes as much of `bytes` as the server takes; returns how many were written (fewer when it closed).
    @discardableResult
    func write(_ bytes: [UInt8], timeout: Double = 10) -> Int {
        var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var offset = 0
        bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let written = Glibc.send(fd, raw.baseAddress! + offset, min(raw.count - offset, 65_536), Int32(MSG_NOSIGNAL))
                if written <= 0 { break }
                offset += written
            }
        }
        return offset
    }

    func write(_ text: String) { write(Array(text.utf8)) }

    /// Reads until the server closes the connection (or `timeout`); returns the bytes and whether it closed.
    func readToClose(timeout: Duration) -> (bytes: [UInt8], closed: Bool) {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while ContinuousClock.now < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let left = deadline - ContinuousClock.now
            let milliseconds = max(1, Int32(left / .milliseconds(1)))
            guard poll(&poller, 1, min(milliseconds, 200)) > 0 else { continue }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { return (received, true) }  // EOF or reset: closed either way
            received += buffer[0..<count]
        }
        return (received, false)
    }

    /// The status code of the first response in `bytes`, if one arrived.
    static func status(of bytes: [UInt8]) -> Int? {
        let text = String(decoding: bytes.prefix(64), as: UTF8.self)
        guard text.hasPrefix("HTTP/1.") else { return nil }
        let parts = text.split(separator: " ")
        return parts.count >= 2 ? Int(parts[1]) : nil
    }
}
