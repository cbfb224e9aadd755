/// The strict parser behind `MediaURLPolicy.check`: `scheme://host[:port][/path][?query]`, ASCII only.
///
/// Every rule refuses; nothing is repaired. Offsets in errors are byte offsets into the UTF-8 text. Order of the
/// checks: characters anywhere, scheme, `//`, user info, host syntax, host allowlist, port, path and query.
struct MediaURLParser {
    let bytes: [UInt8]
    let settings: MediaURLPolicy.Settings

    func parse() throws(MediaURLError) -> MediaURL {
        // Characters that parsers disagree about are refused wherever they are.
        for (offset, byte) in bytes.enumerated() {
            if byte <= 0x20 || byte == 0x7F { throw .controlOrWhitespace(offset: offset) }
            if byte == ASCII.backslash { throw .backslash(offset: offset) }
        }

        guard let colon = MediaURLParser.schemeEnd(in: bytes) else {
            throw .notAURL(excerpt: MediaURLError.excerpt(String(decoding: bytes, as: UTF8.self)))
        }
        let schemeText = String(decoding: bytes[..<colon].map(MediaHostName.lowercase), as: UTF8.self)
        let scheme: MediaURL.Scheme
        switch schemeText {
        case "https": scheme = .https
        case "http" where settings.allowPlainHTTP: scheme = .http
        default: throw .schemeNotAllowed(MediaURLError.excerpt(schemeText))
        }

        let authorityStart = colon + 3
        guard bytes.count >= authorityStart, bytes[colon + 1] == ASCII.slash, bytes[colon + 2] == ASCII.slash else {
            throw .missingAuthority
        }
        let authorityEnd = bytes[authorityStart...].firstIndex {
            $0 == ASCII.slash || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
        } ?? bytes.endIndex
        let authority = bytes[authorityStart..<authorityEnd]
        if authority.contains(UInt8(ascii: "@")) { throw .userInfo }

        let (hostBytes, portBytes) = try MediaURLParser.splitPort(authority)
        let (host, address) = try checkHost(hostBytes)
        guard settings.allowedHosts.contains(where: { $0.matches(host: host, address: address) }) else {
            throw .hostNotAllowed(MediaURLError.excerpt(host, limit: 64))
        }
        let port = try checkPort(portBytes, scheme: scheme)
        let pathAndQuery = try checkPathAndQuery(from: authorityEnd)
        return MediaURL(scheme: scheme, host: host, hostAddress: address, port: port, pathAndQuery: pathAndQuery)
    }

    /// The index of the `:` that ends a valid RFC 3986 scheme (`ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`) at
    /// the start of `bytes`, or `nil`.
    static func schemeEnd(in bytes: [UInt8]) -> Int? {
        guard let first = bytes.first, ASCII.isAlpha(first) else { return nil }
        for (index, byte) in bytes.enumerated().dropFirst() {
            if byte == ASCII.colon { return index }
            let allowed = ASCII.isAlpha(byte) || ASCII.isDigit(byte) || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: "-") || byte == ASCII.dot
            if !allowed { return nil }
        }
        return nil
    }

    /// The host and the port text (`nil` when there is no `:`). A bracketed IPv6 host keeps its brackets.
    static func splitPort(_ authority: ArraySlice<UInt8>) throws(MediaURLError) -> (ArraySlice<UInt8>, ArraySlice<UInt8>?) {
        if authority.first == ASCII.openBracket {
            guard let close = authority.firstIndex(of: ASCII.closeBracket) else {
                throw .invalidHost(excerpt: MediaURLError.excerpt(String(decoding: authority, as: UTF8.self)))
            }
            let afterClose = authority.index(after: close)
            if afterClose == authority.endIndex { return (authority, nil) }
            guard authority[afterClose] == ASCII.colon else {
                throw .invalidHost(excerpt: MediaURLError.excerpt(String(decoding: authority, as: UTF8.self)))
            }
            return (authority[..<afterClose], authority[(afterClose + 1)...])
        }
        guard let colon = authority.lastIndex(of: ASCII.colon) else { return (authority, nil) }
        return (authority[..<colon], authority[(colon + 1)...])
    }

    /// The effective port: 1–65535 in plain decimal, no sign or leading zero; the default or an allowed extra.
    func checkPort(_ text: ArraySlice<UInt8>?, scheme: MediaURL.Scheme) throws(MediaURLError) -> Int {
        guard let text else { return scheme.defaultPort }
        guard (1...5).contains(text.count), text.first != UInt8(ascii: "0"), text.allSatisfy(ASCII.isDigit) else {
            throw .invalidPort
        }
        let port = text.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard port <= 65535 else { throw .invalidPort }
        guard port == scheme.defaultPort || settings.allowedPorts.contains(port) else { throw .portNotAllowed(port) }
        return port
    }

    /// The lowercase host name, or the canonical text of an allowed IP literal with its address.
    func checkHost(_ host: ArraySlice<UInt8>) throws(MediaURLError) -> (String, IPAddress?) {
        let excerpt = MediaURLError.excerpt(String(decoding: host, as: UTF8.self), limit: 64)
        if host.first == ASCII.openBracket {
            // "[" … "]": only an IPv6 address (no zone id, no IPvFuture).
            let inner = host.dropFirst().dropLast()
            if inner.contains(ASCII.percent) { throw .percentEncodedHost }
            guard let address = IPAddress.parseUnnormalized(Substring(decoding: inner, as: UTF8.self).utf8),
                  !address.isIPv4 else {
                throw .invalidHost(excerpt: excerpt)
            }
            guard settings.allowIPLiteralHosts else { throw .ipLiteralHost(excerpt: excerpt) }
            return (address.description, address)
        }
        switch MediaHostName.validate(host) {
        case .success(let name):
            return (name, nil)
        case .failure(.empty):
            throw .emptyHost
        case .failure(.percentEncoded):
            throw .percentEncodedHost
        case .failure(.internationalized):
            throw .internationalizedHost
        case .failure(.trailingDot):
            throw .trailingDotHost
        case .failure(.invalid):
            throw .invalidHost(excerpt: excerpt)
        case .failure(.numeric):
            guard settings.allowIPLiteralHosts else { throw .ipLiteralHost(excerpt: excerpt) }
            guard let value = IPAddress.parseV4(Substring(decoding: host, as: UTF8.self).utf8) else {
                throw .nonCanonicalIPv4Host(excerpt: excerpt)
            }
            return (IPAddress.v4(value).description, .v4(value))
        }
    }

    /// `/` plus the rest when the URL ends after the host or continues with `?`; the rest as it is after `/`.
    func checkPathAndQuery(from start: Int) throws(MediaURLError) -> String {
        var inQuery = false
        var segmentStart = start
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "#"):
                throw .fragment
            case UInt8(ascii: "?"):
                if !inQuery { try checkSegment(segmentStart..<index) }
                inQuery = true
            case ASCII.slash:
                if !inQuery {
                    try checkSegment(segmentStart..<index)
                    segmentStart = index + 1
                }
            case ASCII.percent:
                guard index + 2 < bytes.count, ASCII.hexValue(bytes[index + 1]) != nil,
                      ASCII.hexValue(bytes[index + 2]) != nil else {
                    throw .malformedPercentEncoding(offset: index)
                }
                index += 2
            default:
                guard MediaURLParser.isPathCharacter(byte) else { throw .invalidPathCharacter(offset: index) }
            }
            index += 1
        }
        if !inQuery { try checkSegment(segmentStart..<bytes.count) }

        let rest = String(decoding: bytes[start...], as: UTF8.self)
        return bytes[start...].first == ASCII.slash ? rest : "/" + rest
    }

    /// Refuses a segment that is `.` or `..`, also when a dot is written `%2e` or `%2E`.
    func checkSegment(_ range: Range<Int>) throws(MediaURLError) {
        var dots = 0
        var index = range.lowerBound
        while index < range.upperBound {
            if bytes[index] == ASCII.dot {
                index += 1
            } else if bytes[index] == ASCII.percent, index + 2 < range.upperBound,
                      bytes[index + 1] == UInt8(ascii: "2"), bytes[index + 2] | 0x20 == UInt8(ascii: "e") {
                index += 3
            } else {
                return
            }
            dots += 1
        }
        if dots == 1 || dots == 2 { throw .dotSegment }
    }

    /// RFC 3986 `pchar` and `/`, `?` (the `%` of a percent-encoding is handled by the caller).
    static func isPathCharacter(_ byte: UInt8) -> Bool {
        if ASCII.isAlpha(byte) || ASCII.isDigit(byte) { return true }
        switch byte {
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),            // unreserved
             UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
             UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
             UInt8(ascii: "="),                                                                        // sub-delims
             UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "/"), UInt8(ascii: "?"):
            return true
        default:
            return false
        }
    }
}
