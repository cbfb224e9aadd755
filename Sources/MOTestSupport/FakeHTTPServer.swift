import Glibc
import Synchronization

/// A request as the fake server read it off the wire. Value type, usable from any thread.
public struct FakeRequest: Sendable {
    public let method: String
    /// The request target as sent ("/path?query").
    public let target: String
    /// The target up to "?", not percent-decoded.
    public let path: String
    /// The raw text after "?", nil when the target had none.
    public let query: String?
    /// "HTTP/1.1" or "HTTP/1.0".
    public let version: String
    /// Every header line in the order received, names as sent.
    public let headers: [(name: String, value: String)]
    /// The body, de-chunked when it came chunked.
    public let body: [UInt8]
    public let receivedAt: ContinuousClock.Instant
    /// The accepted connection that carried it, numbered from 1 in accept order.
    public let connection: Int
    /// Its position on that connection, from 1 (2 and more mean the client reused the connection).
    public let sequenceOnConnection: Int

    /// The first value of a header, case-insensitive on the name.
    public func value(of name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Every value of a header, case-insensitive on the name, in the order received.
    public func values(of name: String) -> [String] {
        headers.compactMap { $0.name.lowercased() == name.lowercased() ? $0.value : nil }
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// What the fake server does with a request: steps run in order on the connection's thread. When the steps end
/// without `.close`, the connection stays open for the next request (unless the request asked to close it).
/// Value type, usable from any thread.
public struct FakeResponse: Sendable {
    public enum Step: Sendable, Equatable {
        /// Write these bytes exactly.
        case send([UInt8])
        /// Pause; cut short when the server stops.
        case sleep(milliseconds: Int)
        /// Close the connection (FIN after everything sent).
        case close
        /// Keep the connection open, silent, until the server stops.
        case holdUntilStopped
    }

    public var steps: [Step]

    public init(_ steps: [Step]) {
        self.steps = steps
    }

    /// A complete response with a Content-Length for `body`.
    public static func status(_ code: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) -> FakeResponse {
        FakeResponse([.send(head(code, headers + [("Content-Length", "\(body.count)")]) + body)])
    }

    /// A complete response with a Content-Length for the UTF-8 of `body`.
    public static func status(_ code: Int, headers: [(name: String, value: String)] = [], body: String) -> FakeResponse {
        status(code, headers: headers, body: Array(body.utf8))
    }

    /// Bytes as they are: the test writes the status line, headers and framing itself.
    public static func raw(_ bytes: [UInt8]) -> FakeResponse {
        FakeResponse([.send(bytes)])
    }

    public static func raw(_ text: String) -> FakeResponse {
        raw(Array(text.utf8))
    }

    /// A redirect with an empty body.
    public static func redirect(_ code: Int = 302, to location: String) -> FakeResponse {
        status(code, headers: [("Location", location)])
    }

    /// A chunked body, one HTTP chunk per element, `pauseMilliseconds` between chunks.
    public static func chunked(_ code: Int = 200, headers: [(name: String, value: String)] = [], chunks: [[UInt8]],
                               pauseMilliseconds: Int = 0) -> FakeResponse {
        var steps: [Step] = [.send(head(code, headers + [("Transfer-Encoding", "chunked")]))]
        for chunk in chunks where !chunk.isEmpty {
            steps.append(.send(Array(String(chunk.count, radix: 16).utf8) + crlf + chunk + crlf))
            if pauseMilliseconds > 0 { steps.append(.sleep(milliseconds: pauseMilliseconds)) }
        }
        steps.append(.send(Array("0\r\n\r\n".utf8)))
        return FakeResponse(steps)
    }

    /// Headers with an honest Content-Length, then the body `bytes` at a time every `everyMilliseconds`.
    public static func trickle(_ code: Int = 200, headers: [(name: String, value: String)] = [], body: [UInt8],
                               bytes: Int, everyMilliseconds: Int) -> FakeResponse {
        var steps: [Step] = [.send(head(code, headers + [("Content-Length", "\(body.count)")]))]
        var offset = 0
        while offset < body.count {
            let end = min(offset + max(1, bytes), body.count)
            steps.append(.send(Array(body[offset..<end])))
            offset = end
            if offset < body.count { steps.append(.sleep(milliseconds: everyMilliseconds)) }
        }
        return FakeResponse(steps)
    }

    /// Declares `declaredLength` but sends `body` (usually shorter), then closes.
    public static func lyingLength(_ code: Int = 200, headers: [(name: String, value: String)] = [],
                                   declaredLength: Int, body: [UInt8]) -> FakeResponse {
        FakeResponse([.send(head(code, headers + [("Content-Length", "\(declaredLength)")]) + body), .close])
    }

    /// No Content-Length and no chunking: the body ends when the connection closes.
    public static func untilClose(_ code: Int = 200, headers: [(name: String, value: String)] = [],
                                  body: [UInt8]) -> FakeResponse {
        FakeResponse([.send(head(code, headers + [("Connection", "close")]) + body), .close])
    }

    /// Reads the request and never answers; the connection is held until the server stops.
    public static var neverAnswer: FakeResponse {
        FakeResponse([.holdUntilStopped])
    }

    /// The same response after a pause.
    public func delayed(milliseconds: Int) -> FakeResponse {
        FakeResponse([.sleep(milliseconds: milliseconds)] + steps)
    }

    /// The same response, then the connection closes.
    public func closing() -> FakeResponse {
        FakeResponse(steps + [.close])
    }

    /// A status line and header block, ending with the blank line.
    public static func head(_ code: Int, _ headers: [(name: String, value: String)]) -> [UInt8] {
        var text = "HTTP/1.1 \(code) \(reason(code))\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        return Array((text + "\r\n").utf8)
    }

    private static let crlf: [UInt8] = [0x0D, 0x0A]

    private static func reason(_ code: Int) -> String {
        switch code {
        case 100: return "Continue"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 303: return "See Other"
        case 307: return "Temporary Redirect"
        case 308: return "Permanent Redirect"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}

/// The fake server could not start.
public struct FakeHTTPServerError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

/// An HTTP/1.1 server on 127.0.0.1 (an ephemeral port) for tests that need every byte under control: plain
/// sockets, an accept thread and one thread per connection, keep-alive, Content-Length and chunked request
/// bodies, answers scripted per request by a handler.
///
/// Owned by the test that made it; usable from any thread. Handler calls run on the connection's thread.
/// `stop()` (or `deinit`) closes the listener and every connection and joins every thread.
public final class FakeHTTPServer: Sendable {
    private let core: FakeServerCore

    /// Listens at once; `handler` answers every request (by default an empty 200).
    public init(_ handler: @escaping @Sendable (FakeRequest) -> FakeResponse = { _ in .status(200) })
        throws(FakeHTTPServerError) {
        core = try FakeServerCore(handler: handler)
        core.start()
    }

    deinit {
        core.stop()
    }

    public var port: UInt16 { core.port }

    /// "http://127.0.0.1:PORT", no trailing slash.
    public var url: String { "http://127.0.0.1:\(core.port)" }

    /// Replaces the handler for requests that arrive from now on (e.g. one that needs `url`).
    public func respond(with handler: @escaping @Sendable (FakeRequest) -> FakeResponse) {
        core.handler.withLock { $0 = handler }
    }

    /// Every request received so far, in arrival order.
    public var requests: [FakeRequest] { core.state.withLock { $0.requests } }

    /// Connections accepted so far.
    public var connectionsAccepted: Int { core.state.withLock { $0.connectionsAccepted } }

    /// Waits until at least `count` requests arrived or `timeout` passed, and returns what arrived.
    public func waitForRequests(_ count: Int, timeout: Duration = .seconds(5)) -> [FakeRequest] {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let seen = requests
            if seen.count >= count || clock.now >= deadline { return seen }
            usleep(2_000)
        }
    }

    /// Closes the listener and every connection, cuts every sleep and hold short, and joins every thread.
    /// Safe to call more than once.
    public func stop() {
        core.stop()
    }
}

// MARK: - The server's threads

/// The sockets, threads and records behind a FakeHTTPServer. Its threads retain it, so the public object can
/// reach `deinit` (and stop everything) while they still run.
private final class FakeServerCore: Sendable {
    struct State {
        var requests: [FakeRequest] = []
        var connectionsAccepted = 0
        /// Open connection sockets by connection number; closed and removed under the lock.
        var open: [Int: Int32] = [:]
        var connectionThreads: [pthread_t] = []
        var acceptThread: pthread_t?
    }

    let listener: Int32
    let port: UInt16
    /// A pipe written once at stop and never drained: its read end stays readable, waking every poll.
    private let wakeRead: Int32
    private let wakeWrite: Int32
    let handler: Mutex<@Sendable (FakeRequest) -> FakeResponse>
    let state = Mutex(State())
    private let stopping = Atomic<Bool>(false)

    init(handler: @escaping @Sendable (FakeRequest) -> FakeResponse) throws(FakeHTTPServerError) {
        self.handler = Mutex(handler)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw FakeHTTPServerError(description: "fake HTTP server: socket() failed: \(errnoText())") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            let text = errnoText()
            close(fd)
            throw FakeHTTPServerError(description: "fake HTTP server could not listen on 127.0.0.1: \(text)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0 else {
            let text = errnoText()
            close(fd)
            throw FakeHTTPServerError(description: "fake HTTP server: pipe() failed: \(text)")
        }
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        wakeRead = pipeEnds[0]
        wakeWrite = pipeEnds[1]
    }

    func start() {
        let thread = spawnThread { [self] in acceptLoop() }
        state.withLock { $0.acceptThread = thread }
    }

    func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        if let accept = state.withLock({ $0.acceptThread }) { pthread_join(accept, nil) }
        close(listener)
        // The accept thread is gone, so the thread list is complete. Shutting the sockets down wakes any thread
        // blocked in send() on a client that stopped reading.
        let threads = state.withLock { state -> [pthread_t] in
            for fd in state.open.values { shutdown(fd, Int32(SHUT_RDWR)) }
            return state.connectionThreads
        }
        for thread in threads { pthread_join(thread, nil) }
        close(wakeRead)
        close(wakeWrite)
    }

    private var isStopping: Bool { stopping.load(ordering: .acquiring) }

    private func acceptLoop() {
        while !isStopping {
            var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 2, -1) >= 0 || errno == EINTR else { return }
            if fds[1].revents != 0 || isStopping { return }
            guard fds[0].revents & Int16(POLLIN) != 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            let number = state.withLock { state -> Int in
                state.connectionsAccepted += 1
                state.open[state.connectionsAccepted] = client
                return state.connectionsAccepted
            }
            let connection = FakeConnection(fd: client, number: number, core: self)
            if let thread = spawnThread({ connection.serve() }) {
                state.withLock { $0.connectionThreads.append(thread) }
            } else {
                closeConnection(number)
            }
        }
    }

    func record(_ request: FakeRequest) {
        state.withLock { $0.requests.append(request) }
    }

    func closeConnection(_ number: Int) {
        state.withLock { state in
            guard let fd = state.open.removeValue(forKey: number) else { return }
            shutdown(fd, Int32(SHUT_WR))
            close(fd)
        }
    }

    /// Waits for `fd` to be readable. False when the server is stopping (or poll failed).
    func waitReadable(_ fd: Int32) -> Bool {
        while true {
            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, -1)
            if ready < 0 && errno == EINTR { continue }
            return ready > 0 && fds[1].revents == 0 && !isStopping
        }
    }

    /// Sleeps up to `milliseconds` (forever when negative). False when cut short by stop.
    func sleep(milliseconds: Int) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .milliseconds(max(0, milliseconds)))
        while !isStopping {
            var left: Int32 = -1
            if milliseconds >= 0 {
                let remaining = clock.now.duration(to: deadline)
                if remaining <= .zero { return true }
                let (seconds, attoseconds) = remaining.components
                left = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            }
            var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            if poll(&fds, 1, left) > 0 { return false }
        }
        return false
    }
}

/// One accepted connection: reads requests, records them, runs the handler's steps. Lives on its own thread.
private final class FakeConnection: @unchecked Sendable {
    private let fd: Int32
    private let number: Int
    private let core: FakeServerCore
    /// Bytes read but not yet parsed. Touched only on this connection's thread.
    private var buffer: [UInt8] = []

    init(fd: Int32, number: Int, core: FakeServerCore) {
        self.fd = fd
        self.number = number
        self.core = core
    }

    func serve() {
        defer { core.closeConnection(number) }
        var sequence = 0
        while let parsed = readRequest(sequence: sequence + 1) {
            sequence += 1
            core.record(parsed.request)
            let response = core.handler.withLock { $0 }(parsed.request)
            guard run(response.steps), parsed.keepAlive else { return }
        }
    }

    /// Runs the steps; false when the connection must close.
    private func run(_ steps: [FakeResponse.Step]) -> Bool {
        for step in steps {
            switch step {
            case .send(let bytes):
                guard sendAll(bytes) else { return false }
            case .sleep(let milliseconds):
                guard core.sleep(milliseconds: milliseconds) else { return false }
            case .close:
                return false
            case .holdUntilStopped:
                _ = core.sleep(milliseconds: -1)
                return false
            }
        }
        return true
    }

    private func sendAll(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    // MARK: Reading

    private func readRequest(sequence: Int) -> (request: FakeRequest, keepAlive: Bool)? {
        // Bytes no HTTP head contains (a TLS ClientHello, say) get a 400 and a close rather than a wait.
        var notHTTP = false
        guard let headEnd = fill(until: { bytes in
            if let end = bytes.rangeOfBytes([0x0D, 0x0A, 0x0D, 0x0A]) { return end }
            notHTTP = bytes.contains { $0 < 0x20 && $0 != 0x0D && $0 != 0x0A && $0 != 0x09 }
            return notHTTP ? 0..<0 : nil
        }) else { return nil }
        if notHTTP {
            _ = sendAll(FakeResponse.head(400, [("Content-Length", "0"), ("Connection", "close")]))
            return nil
        }
        let headBytes = Array(buffer[..<headEnd.lowerBound])
        buffer.removeSubrange(..<headEnd.upperBound)
        let receivedAt = ContinuousClock.now

        let lines = String(decoding: headBytes, as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
        let parts = lines.first?.split(separator: " ", omittingEmptySubsequences: true) ?? []
        guard parts.count == 3 else {
            _ = sendAll(FakeResponse.head(400, [("Content-Length", "0"), ("Connection", "close")]))
            return nil
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            if let first = line.first, first == " " || first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += " " + line.trimmed(of: " \t")
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((name: String(line[..<colon]), value: line[line.index(after: colon)...].trimmed(of: " \t")))
            }
        }
        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name }?.value.lowercased()
        }
        let version = String(parts[2])
        if header("expect") == "100-continue" {
            guard sendAll(FakeResponse.head(100, [])) else { return nil }
        }

        var body: [UInt8] = []
        if header("transfer-encoding")?.contains("chunked") == true {
            guard let chunked = readChunkedBody() else { return nil }
            body = chunked
        } else if let length = header("content-length").flatMap({ Int($0) }), length > 0 {
            guard fill(until: { $0.count >= length ? 0..<length : nil }) != nil else { return nil }
            body = Array(buffer[..<length])
            buffer.removeSubrange(..<length)
        }

        let target = String(parts[1])
        let question = target.firstIndex(of: "?")
        let connectionHeader = header("connection") ?? ""
        let keepAlive = version == "HTTP/1.0" ? connectionHeader.contains("keep-alive") : !connectionHeader.contains("close")
        let request = FakeRequest(method: String(parts[0]), target: target,
                                  path: String(target[..<(question ?? target.endIndex)]),
                                  query: question.map { String(target[target.index(after: $0)...]) },
                                  version: version, headers: headers, body: body, receivedAt: receivedAt,
                                  connection: number, sequenceOnConnection: sequence)
        return (request, keepAlive)
    }

    /// Chunk-size lines (extensions ignored), chunk data, then trailer lines up to the blank line.
    private func readChunkedBody() -> [UInt8]? {
        var body: [UInt8] = []
        while true {
            guard let line = readLine() else { return nil }
            let sizeText = line.split(separator: ";", maxSplits: 1).first.map { String($0).trimmed(of: " \t") } ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0 else { return nil }
            if size == 0 {
                while let trailer = readLine() {
                    if trailer.isEmpty { return body }
                }
                return nil
            }
            guard fill(until: { $0.count >= size + 2 ? 0..<(size + 2) : nil }) != nil else { return nil }
            body.append(contentsOf: buffer[..<size])
            buffer.removeSubrange(..<(size + 2))
        }
    }

    /// One CRLF-terminated line, without the CRLF.
    private func readLine() -> String? {
        guard let end = fill(until: { $0.rangeOfBytes([0x0D, 0x0A]) }) else { return nil }
        let line = String(decoding: buffer[..<end.lowerBound], as: UTF8.self)
        buffer.removeSubrange(..<end.upperBound)
        return line
    }

    /// Reads until `found` finds what it looks for in the buffer. Nil on end of stream, error, stop, or more than
    /// 64 MiB buffered without finding it.
    private func fill(until found: ([UInt8]) -> Range<Int>?) -> Range<Int>? {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let range = found(buffer) { return range }
            guard buffer.count < 64 * 1024 * 1024, core.waitReadable(fd) else { return nil }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[..<count])
        }
    }
}

// MARK: - Threads and small helpers

/// A closure handed to a new pthread; retained until the thread takes it.
private final class ThreadBody {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

private let threadEntry: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { raw in
    // Balances the passRetained in spawnThread.
    Unmanaged<ThreadBody>.fromOpaque(raw!).takeRetainedValue().body()
    return nil
}

/// Starts a joinable thread running `body`; nil when the system refuses.
private func spawnThread(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
    // passRetained: the new thread owns the box; threadEntry takes it back (or we release it if creation fails).
    let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var thread = pthread_t()
    guard pthread_create(&thread, nil, threadEntry, box) == 0 else {
        Unmanaged<ThreadBody>.fromOpaque(box).release()
        return nil
    }
    return thread
}

private func errnoText() -> String {
    let code = errno
    return "errno \(code) (\(String(cString: strerror(code))))"
}

extension Substring {
    fileprivate func trimmed(of set: String) -> String {
        var text = self
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}

extension String {
    fileprivate func trimmed(of set: String) -> String {
        self[...].trimmed(of: set)
    }
}

extension Array where Element == UInt8 {
    /// The first occurrence of `needle`.
    fileprivate func rangeOfBytes(_ needle: [UInt8]) -> Range<Int>? {
        guard count >= needle.count, let first = needle.first else { return nil }
        var index = 0
        while index <= count - needle.count {
            if self[index] == first && self[index..<(index + needle.count)].elementsEqual(needle) {
                return index..<(index + needle.count)
            }
            index += 1
        }
        return nil
    }
}
