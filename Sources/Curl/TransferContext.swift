import CCurl
import Glibc

/// What our callbacks decided that libcurl reports only as a generic failure.
enum TransferStop: Equatable {
    case tooLarge
    case aborted
    case addressRefused(String)
}

/// The state of one `CurlEasy.perform`: the collected body and headers, the caller's sink and address filter.
///
/// Created by `perform` and kept alive by it for the whole transfer; libcurl's callbacks reach it through an
/// unretained pointer on the same thread (see CurlEasy+Callbacks.swift).
final class TransferContext {
    private let sink: ((UnsafeRawBufferPointer) -> Bool)?
    private let addressFilter: ((String, Int) -> Bool)?
    private let maxBytes: Int

    private(set) var body: [UInt8] = []
    private(set) var headers: [(name: String, value: String)] = []
    private(set) var stop: TransferStop?
    /// Body bytes of the response being received.
    private var received = 0
    /// Requests sent (every redirect hop) and status lines received, 1xx included: a request that went out and
    /// got no status line back was answered with something that is not HTTP.
    private var requestsSent = 0
    private var statusLines = 0
    var requestWentUnanswered: Bool { requestsSent > statusLines }
    /// "address port" pairs the filter allowed in `openSocket` since the last request went out: the request about
    /// to use that new connection needs no second question.
    private var justAllowed: Set<String> = []

    init(sink: ((UnsafeRawBufferPointer) -> Bool)?, addressFilter: ((String, Int) -> Bool)?, maxBytes: Int) {
        self.sink = sink
        self.addressFilter = addressFilter
        self.maxBytes = maxBytes
    }

    /// CURLOPT_WRITEFUNCTION: returns `count` to go on, 0 to stop the transfer.
    func receiveBody(_ data: UnsafeMutablePointer<CChar>?, count: Int) -> Int {
        guard count > 0, let data else { return count }
        received += count
        guard received <= maxBytes else {
            stop = .tooLarge
            return 0
        }
        let bytes = UnsafeRawBufferPointer(start: data, count: count)
        if let sink {
            guard sink(bytes) else {
                stop = .aborted
                return 0
            }
        } else {
            body.append(contentsOf: bytes)
        }
        return count
    }

    /// CURLOPT_HEADERFUNCTION: one header line with its CRLF. A status line starts a new response (an interim
    /// 1xx or a redirect hop), so only the final response's headers remain.
    func receiveHeader(_ data: UnsafeMutablePointer<CChar>?, count: Int) -> Int {
        guard count > 0, let data else { return count }
        var line = UnsafeRawBufferPointer(start: data, count: count)[...]
        while let last = line.last, last == 0x0A || last == 0x0D { line = line.dropLast() }
        if line.starts(with: "HTTP/".utf8) {
            statusLines += 1
            headers = []
            received = 0
            if sink == nil { body = [] }
        } else if let first = line.first, first == 0x20 || first == 0x09, !headers.isEmpty {
            // Obsolete line folding: the line continues the previous header's value.
            headers[headers.count - 1].value += " " + String(decoding: line, as: UTF8.self).trimmingSpaces()
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            let name = String(decoding: line[..<colon], as: UTF8.self)
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces()
            headers.append((name: name, value: value))
        }
        return count
    }

    /// CURLOPT_OPENSOCKETFUNCTION: asks the filter about the address, then opens the socket (close-on-exec, so
    /// child processes do not inherit it). CURL_SOCKET_BAD makes libcurl try the next address or fail to connect.
    func openSocket(_ address: UnsafeMutablePointer<curl_sockaddr>) -> curl_socket_t {
        if let addressFilter {
            guard let (text, port) = Self.numericAddress(address) else {
                stop = stop ?? .addressRefused("a non-IP address")
                return CURL_SOCKET_BAD
            }
            guard addressFilter(text, port) else {
                stop = stop ?? .addressRefused(text)
                return CURL_SOCKET_BAD
            }
            justAllowed.insert("\(text) \(port)")
        }
        return socket(address.pointee.family, address.pointee.socktype | Int32(SOCK_CLOEXEC.rawValue),
                      address.pointee.protocol)
    }

    /// CURLOPT_PREREQFUNCTION: runs before every request is sent (every redirect hop), on a new or a reused
    /// connection. A reused connection, perhaps opened under another filter or none, is checked here; a connection
    /// `openSocket` just checked is not asked about twice.
    func beforeRequest(address: UnsafeMutablePointer<CChar>?, port: Int32) -> Int32 {
        requestsSent += 1
        guard let addressFilter else { return CURL_PREREQFUNC_OK }
        let text = address.map { String(cString: $0) } ?? ""
        let checked = justAllowed.contains("\(text) \(port)")
        justAllowed = []
        guard checked || addressFilter(text, Int(port)) else {
            stop = stop ?? .addressRefused(text)
            return CURL_PREREQFUNC_ABORT
        }
        return CURL_PREREQFUNC_OK
    }

    /// The numeric text and port of an IPv4 or IPv6 socket address.
    private static func numericAddress(_ address: UnsafeMutablePointer<curl_sockaddr>) -> (String, Int)? {
        guard let offset = MemoryLayout<curl_sockaddr>.offset(of: \curl_sockaddr.addr) else { return nil }
        // libcurl allocates room for a sockaddr_in6 behind the `addr` field (addrlen says how much is used).
        let raw = UnsafeRawPointer(address) + offset
        let length = Int(address.pointee.addrlen)
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch address.pointee.family {
        case AF_INET where length >= MemoryLayout<sockaddr_in>.size:
            var ipv4 = raw.loadUnaligned(as: sockaddr_in.self)
            guard inet_ntop(AF_INET, &ipv4.sin_addr, &text, socklen_t(text.count)) != nil else { return nil }
            return (Self.string(text), Int(UInt16(bigEndian: ipv4.sin_port)))
        case AF_INET6 where length >= MemoryLayout<sockaddr_in6>.size:
            var ipv6 = raw.loadUnaligned(as: sockaddr_in6.self)
            guard inet_ntop(AF_INET6, &ipv6.sin6_addr, &text, socklen_t(text.count)) != nil else { return nil }
            return (Self.string(text), Int(UInt16(bigEndian: ipv6.sin6_port)))
        default:
            return nil
        }
    }

    private static func string(_ nulTerminated: [CChar]) -> String {
        String(decoding: nulTerminated.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
