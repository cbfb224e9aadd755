import MOPolicy

// Media downloads: the URL a webhook names (first SSRF check), a redirect's Location, the address libcurl is about
// to connect to (second check), and the names and types given to stored files.

extension FuzzTarget {
    /// The production URL policy, and a test-style one that also admits http, other ports and IP literals.
    static let mediaPolicies: [MediaURLPolicy] = [
        MediaURLPolicy(),
        MediaURLPolicy(settings: .init(
            allowedHosts: ["127.0.0.1", "[::1]", "*.example.com", "media.example.org"].map { try! MediaHostPattern(parsing: $0) },
            allowPlainHTTP: true, allowIPLiteralHosts: true, allowedPorts: [8080, 8443])),
    ]

    /// IPv4 networks the downloader must never reach whatever the policy's tables say: this-network, private,
    /// loopback, link-local (cloud metadata), carrier-grade NAT, multicast and reserved.
    static let neverReached = ["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
                               "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/4", "240.0.0.0/4", "::1",
                               "fc00::/7", "fe80::/10", "ff00::/8"].map { try! CIDR(parsing: $0) }

    /// Line 1: a URL (also tried as a numeric host for `DestinationPolicy`, a host pattern and a MIME type);
    /// line 2: a redirect `Location`; the whole input is also sniffed as file content.
    /// - A URL that passes is normalized: checking its `absoluteString` again gives the same URL; it is printable
    ///   ASCII with the allowed scheme, an allowed host and port, a path starting with `/` and no fragment. The same
    ///   holds for a redirect target, from the URL of line 1 or from a fixed CM URL.
    /// - `DestinationPolicy` never allows an address in `neverReached` (also as IPv4-mapped), and decides the same
    ///   on text and on the parsed address.
    /// - A host pattern re-parses from its description; file extensions and content-addressed paths stay safe.
    static let mediaURL = FuzzTarget("media-url", "MediaURLPolicy, redirects, DestinationPolicy, file names") {
        input throws(FuzzFailure) in
        let name = "media-url"
        let parts = lines(input, limit: 2)
        let first = parts[0]
        for policy in mediaPolicies {
            let checked = try? policy.check(first)
            if let checked { try checkMediaURL(checked, policy, name) }
            if parts.count > 1 {
                let bases = [checked, try? MediaURLPolicy().check("https://cdn-1.messaging.cm.com/a/b/c?d=e")]
                for base in bases.compactMap({ $0 }) {
                    if let target = try? policy.resolveRedirect(location: parts[1], from: base) {
                        try checkMediaURL(target, policy, name)
                    }
                }
            }
        }

        let destinations = DestinationPolicy()
        let decision = destinations.decide(numericHost: first, port: 443)
        if let address = IPAddress(first) {
            let direct = destinations.decide(address: address, port: 443)
            try require((decision == .allowed) == (direct == .allowed), name,
                        "text and address decide differently: \(decision) / \(direct)")
            if decision == .allowed {
                try require(!neverReached.contains { $0.contains(address) }, name, "allowed \(address)")
            }
        } else {
            try require(decision != .allowed, name, "allowed text that is not an address")
        }
        try require(isOneLine(decision.description), name, "decision is not one line: \(shown(decision.description))")

        if let pattern = try? MediaHostPattern(parsing: first) {
            try require((try? MediaHostPattern(parsing: pattern.description)) == pattern, name,
                        "host pattern \(shown(pattern.description)) does not re-parse to itself")
        }
        let fileExtension = MediaFileName.extension(forMIME: first)
        try require((1...5).contains(fileExtension.utf8.count)
                    && fileExtension.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) },
                    name, "extension \(shown(fileExtension))")
        let path = try? MediaFileName.contentAddressedPath(sha256Hex: String(repeating: "ab", count: 32), mime: first)
        try require(path.map(MediaFileName.isSafeRelativePath) == true, name, "unsafe content-addressed path")
        let mime = MediaSniffer.mimeType(of: input.prefix(MediaSniffer.prefixLength))
        try require(mime.contains("/") && isOneLine(mime), name, "sniffed type \(shown(mime))")
    }

    private static func checkMediaURL(_ url: MediaURL, _ policy: MediaURLPolicy, _ name: String) throws(FuzzFailure) {
        let text = url.absoluteString
        try require(text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }, name,
                    "URL holds a space, control, backslash or non-ASCII byte: \(shown(text))")
        try require(!text.contains("#"), name, "URL keeps a fragment: \(shown(text))")
        try require(url.pathAndQuery.hasPrefix("/"), name, "path does not start with /: \(shown(text))")
        try require(url.scheme == .https || policy.settings.allowPlainHTTP, name, "scheme \(url.scheme) allowed")
        try require(url.port == url.scheme.defaultPort || policy.settings.allowedPorts.contains(url.port), name,
                    "port \(url.port) allowed")
        let again: MediaURL
        do {
            again = try policy.check(text)
        } catch {
            throw FuzzFailure(target: name, invariant: "a passed URL fails when checked again: \(error)")
        }
        try require(again == url, name, "checking a passed URL again changed it: \(shown(text))")
        try require(url.description == url.origin + "/…", name, "the loggable description shows more than the origin")
    }
}
