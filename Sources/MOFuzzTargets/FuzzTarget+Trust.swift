import MOPolicy

// The trust boundary (ARCHITECTURE.md, contract 5): who the client is, and whether it may pass.

extension FuzzTarget {
    /// Proxies the fuzzed peer may be; the rest of the address space is untrusted.
    static let trustedProxies = CIDRSet(["10.0.0.0/8", "127.0.0.0/8", "192.168.0.0/16", "::1", "fd00::/8"]
        .map { try! CIDR(parsing: $0) })

    /// Line 1: the TCP peer (10.0.0.1, a trusted proxy, when it is not an address); further lines: header lines.
    /// Both header modes must agree with the contract: nothing but the peer unless the peer is trusted; for
    /// `X-Forwarded-For`, the same answer as a naive model that splits every line, refuses the chain on any bad
    /// entry or more than 32, and walks from the right to the first untrusted hop; the access decision follows the
    /// resolution and the allowlist; a denial's reason is one short line.
    static let clientIP = FuzzTarget("client-ip", "ClientIPResolver and AccessPolicy (XFF, Forwarded) against a model") {
        input throws(FuzzFailure) in
        let name = "client-ip"
        let parts = lines(input)
        let peer = IPAddress(parts[0]) ?? .v4(0x0A00_0001)
        let values = Array(parts.dropFirst())
        let peerTrusted = trustedProxies.contains(peer)

        let none = ClientIPResolver(trustedProxies: trustedProxies, header: .none)
        try require(none.resolve(peer: peer, headerValues: values) == .resolved(peer), name,
                    "header mode none did not give the peer")

        for header in [ClientIPHeader.xForwardedFor, .forwarded] {
            let resolver = ClientIPResolver(trustedProxies: trustedProxies, header: header)
            let resolution = resolver.resolve(peer: peer, headerValues: values)
            if !peerTrusted || values.isEmpty {
                try require(resolution == .resolved(peer), name, "\(header): an untrusted peer's headers were believed")
            }
            if header == .xForwardedFor, peerTrusted, !values.isEmpty {
                let expected = xffModel(values, peer: peer)
                try require(sameOutcome(resolution, expected), name,
                            "X-Forwarded-For: \(resolution) where the model says \(expected)")
            }
            if case .malformed(let reason) = resolution {
                try require(isOneLine(reason) && reason.utf8.count <= 120, name,
                            "\(header): malformed reason is not one short line: \(shown(reason))")
            }

            let policy = AccessPolicy(allowedSources: .cmSources, resolver: resolver)
            let decision = policy.decide(peer: peer, headerValues: values)
            switch (resolution, decision) {
            case (.resolved(let client), .allow(let allowed)):
                try require(allowed == client && CIDRSet.cmSources.contains(client), name,
                            "\(header): allowed \(allowed) for client \(client)")
            case (.resolved(let client), .deny(let denied, let reason)):
                try require(denied == client && !CIDRSet.cmSources.contains(client), name,
                            "\(header): denied \(String(describing: denied)) for client \(client)")
                try require(isOneLine(reason) && reason.utf8.count <= 160, name, "deny reason: \(shown(reason))")
            case (.malformed, .deny(let denied, let reason)):
                try require(denied == nil, name, "\(header): a malformed chain named a client")
                try require(isOneLine(reason) && reason.utf8.count <= 160, name, "deny reason: \(shown(reason))")
            case (.malformed, .allow):
                throw FuzzFailure(target: name, invariant: "\(header): a malformed chain was allowed")
            }
        }
    }

    /// The same client, or both malformed (the model does not phrase reasons).
    static func sameOutcome(_ lhs: ClientIPResolution, _ rhs: ClientIPResolution) -> Bool {
        switch (lhs, rhs) {
        case let (.resolved(a), .resolved(b)): a == b
        case (.malformed, .malformed): true
        default: false
        }
    }

    /// X-Forwarded-For the slow way: every entry of every line, trimmed of spaces and tabs; any bad entry or more
    /// than 32 refuses the chain; otherwise the right-most untrusted entry, or the left-most when all are trusted.
    static func xffModel(_ values: [String], peer: IPAddress) -> ClientIPResolution {
        var chain: [IPAddress] = []
        for value in values {
            for entry in value.unicodeScalars.split(separator: ",", omittingEmptySubsequences: false) {
                var scalars = entry[...]
                while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
                while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
                guard let address = IPAddress(String(String.UnicodeScalarView(scalars))) else {
                    return .malformed("bad entry")
                }
                chain.append(address)
            }
        }
        if chain.count > 32 { return .malformed("too many") }
        let client = chain.last { !trustedProxies.contains($0) } ?? chain.first ?? peer
        return .resolved(client)
    }

    /// Line 1: CIDR text as in `trust.allowed_sources`; line 2: an address. A parsed network prints and re-parses
    /// to itself, has no host bits and a prefix in range, contains its own network address, and agrees with a
    /// bit-by-bit membership test; an address prints canonically and re-parses to itself.
    static let cidr = FuzzTarget("cidr", "CIDR(parsing:), IPAddress text round trips, membership against bits") {
        input throws(FuzzFailure) in
        let name = "cidr"
        let parts = lines(input, limit: 2)
        let address = parts.count > 1 ? IPAddress(parts[1]) : nil
        if let address {
            let text = address.description
            try require(IPAddress(text) == address, name, "\(text) does not re-parse to itself")
            try require(IPAddress(text)?.description == text, name, "\(text) is not canonical")
            try require(address == address.normalized, name, "a parsed address is not normalized: \(text)")
        }
        let network: CIDR
        do throws(CIDRError) {
            network = try CIDR(parsing: parts[0])
        } catch {
            try require(isOneLine(error.description), name, "CIDRError is not one line")
            return
        }
        let width = network.network.isIPv4 ? 32 : 128
        try require((1...width).contains(network.prefixLength), name, "prefix \(network.prefixLength) of \(network)")
        try require((try? CIDR(parsing: network.description)) == network, name, "\(network) does not re-parse to itself")
        try require(network.network == network.network.normalized, name, "\(network) is an IPv4-mapped network")
        try require(network.contains(network.network), name, "\(network) does not contain its own address")
        if let address {
            try require(network.contains(address) == naiveContains(network, address), name,
                        "\(network) contains \(address): \(network.contains(address)), bit by bit the other way")
        }
    }

    /// Membership by comparing the first `prefixLength` bits one by one, IPv4 and IPv6 never mixing.
    static func naiveContains(_ network: CIDR, _ address: IPAddress) -> Bool {
        switch (network.network, address.normalized) {
        case let (.v4(net), .v4(addr)):
            return (0..<network.prefixLength).allSatisfy { (net >> (31 - $0)) & 1 == (addr >> (31 - $0)) & 1 }
        case let (.v6(netHigh, netLow), .v6(addrHigh, addrLow)):
            let net = UInt128(netHigh) << 64 | UInt128(netLow)
            let addr = UInt128(addrHigh) << 64 | UInt128(addrLow)
            return (0..<network.prefixLength).allSatisfy { (net >> (127 - $0)) & 1 == (addr >> (127 - $0)) & 1 }
        default:
            return false
        }
    }
}
