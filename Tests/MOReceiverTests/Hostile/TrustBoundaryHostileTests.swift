import Foundation
import MOPolicy
import MOReceiver
import MOTestSupport
import Testing

/// Checklist rows 1–4: who may call. The harness's loopback peer is a trusted proxy speaking X-Forwarded-For
/// unless a test says otherwise; pure resolver cases live in MOPolicyTests (XForwardedForTests, ForwardedTests).
@Suite("Hostile input: the trust boundary (checklist rows 1-4)")
struct TrustBoundaryHostileTests {
    static let body = moBody(text: "hello")

    @Test("row 1: a client outside CM's ranges, direct or behind a spoofed X-Forwarded-For, is a 403 that stores nothing and logs at most once a second",
          arguments: [
              nil,                                 // direct: no header, so the peer (loopback) is the client
              "6.6.6.6",
              "31.169.56.10, 6.6.6.6",             // a CM address written by the client, left of the real hop
              "31.169.64.0",                       // one past 31.169.56.0/21
              "31.169.55.255",                     // one before it
              "188.94.188.0",                      // one past 188.94.184.0/22
              "85.119.56.0",                       // one past 85.119.48.0/21
              "10.0.0.1", "127.0.0.1", "::1",
          ])
    func outsideSource(forwardedFor: String?) throws {
        let harness = try ReceiverHarness()
        let (reply, elapsed) = try timed { try harness.post(body: Self.body, forwardedFor: forwardedFor) }
        #expect(reply.status == 403)
        #expect(fields(reply)["result"] as? String == "forbidden")
        #expect(elapsed < Bound.answer)
        #expect(harness.nothingStored)
        // A flood of refusals is logged once per second with a count of what was suppressed.
        let started = ContinuousClock.now
        for _ in 0..<40 { #expect(try harness.post(body: Self.body, forwardedFor: forwardedFor).status == 403) }
        let seconds = Int((ContinuousClock.now - started) / .seconds(1)) + 1
        let lines = harness.logs.captured.filter { $0.contains("request refused by the trust boundary") }
        #expect(lines.count >= 1 && lines.count <= seconds + 1, "\(lines.count) lines in \(seconds) s")
        #expect(harness.nothingStored)
        // The edges of the same ranges are let in: the refusals above were about the address, not the request.
        #expect(try harness.post(body: Self.body, forwardedFor: "31.169.63.255").status == 200)
        #expect(try harness.post(body: moBody(text: "edge 2"), forwardedFor: "188.94.187.255").status == 200)
    }

    @Test("row 2: a forwarding header from an untrusted peer is ignored both ways: the peer decides",
          arguments: [ClientIPHeader.xForwardedFor, .forwarded])
    func untrustedPeer(mode: ClientIPHeader) throws {
        let name = try #require(mode.headerName)
        let cmValue = mode == .forwarded ? "for=31.169.56.10" : "31.169.56.10"
        let outsideValue = mode == .forwarded ? "for=6.6.6.6" : "6.6.6.6"
        // The peer (loopback) is not a trusted proxy: a CM address in the header does not let it in ...
        let refusing = try ReceiverHarness { config in
            config.trust.trustedProxies = CIDRSet([try! CIDR(parsing: "10.1.2.3/32")])
            config.trust.clientIPHeader = mode
        }
        let (refused, elapsed) = try timed {
            try refusing.post(body: Self.body, forwardedFor: nil, headers: [(name, cmValue)])
        }
        #expect(refused.status == 403)
        #expect(elapsed < Bound.answer)
        #expect(refusing.nothingStored)
        // ... and when the peer itself is allowed, an outside address in the header does not shut it out.
        let allowing = try ReceiverHarness { config in
            config.trust.trustedProxies = CIDRSet([try! CIDR(parsing: "10.1.2.3/32")])
            config.trust.clientIPHeader = mode
            config.trust.allowedSources = CIDRSet([try! CIDR(parsing: "127.0.0.1/32")])
        }
        let allowed = try allowing.post(body: Self.body, forwardedFor: nil, headers: [(name, outsideValue)])
        #expect(allowed.status == 200)
        let row = try allowing.query("SELECT host(client_ip), host(peer_ip) FROM webhook_requests")
        #expect(row.string(0, 0) == "127.0.0.1")
        #expect(row.string(0, 1) == "127.0.0.1")
    }

    struct Chain: Sendable, CustomTestStringConvertible {
        var label: String
        var mode: ClientIPHeader
        var lines: [String]
        var testDescription: String { label }

        static func xff(_ label: String, _ lines: String...) -> Chain { Chain(label: label, mode: .xForwardedFor, lines: lines) }
        static func fwd(_ label: String, _ lines: String...) -> Chain { Chain(label: label, mode: .forwarded, lines: lines) }
    }

    static let badChains: [Chain] = [
        .xff("leading zero (octal to inet_aton)", "031.169.56.10"),
        .xff("port in X-Forwarded-For", "31.169.56.10:443"),
        .xff("empty header", ""),
        .xff("garbage", "garbage"),
        .xff("empty element", "31.169.56.10,,31.169.56.10"),
        .xff("trailing comma", "31.169.56.10,"),
        .xff("zone id", "fe80::1%eth0"),
        .xff("bracketed IPv4", "[31.169.56.10]"),
        .xff("hex octet", "0x1f.169.56.10"),
        .xff("three octets", "31.169.56"),
        .xff("space instead of comma", "31.169.56.10 31.169.56.10"),
        .xff("33 entries", Array(repeating: "31.169.56.10", count: 33).joined(separator: ",")),
        .xff("17 + 16 entries over two lines", Array(repeating: "31.169.56.10", count: 17).joined(separator: ","),
             Array(repeating: "31.169.56.10", count: 16).joined(separator: ",")),
        .xff("20 KB of one entry", String(repeating: "3", count: 20_000)),
        .xff("NUL-free control byte", "31.169.56.10\u{1}"),
        .xff("ambiguous lines: outside address on the later line", "31.169.56.10", "6.6.6.6"),
        .fwd("for=unknown", "for=unknown"),
        .fwd("obfuscated identifier", "for=_hidden"),
        .fwd("IPv6 outside the allowlist", #"for="[2001:db8::1]:80""#),
        .fwd("unquoted brackets", "for=[2001:db8::1]"),
        .fwd("unterminated quote", #"for="31.169.56.10"#),
        .fwd("empty for=", "for="),
        .fwd("no for=", "by=31.169.56.10;proto=https"),
        .fwd("for= twice in one element", "for=31.169.56.10;for=31.169.56.11"),
        .fwd("33 elements", Array(repeating: "for=31.169.56.10", count: 33).joined(separator: ",")),
        .fwd("X-Forwarded-For syntax in Forwarded mode", "31.169.56.10"),
    ]

    @Test("row 3: a malformed, oversized or ambiguous chain fails closed: 403, nothing stored, and the daemon keeps serving",
          arguments: badChains)
    func malformedChain(_ chain: Chain) throws {
        let harness = try ReceiverHarness { $0.trust.clientIPHeader = chain.mode }
        let name = try #require(chain.mode.headerName)
        let (reply, elapsed) = try timed {
            try harness.post(body: Self.body, forwardedFor: nil, headers: chain.lines.map { (name, $0) })
        }
        #expect(reply.status == 403, "\(reply.body)")
        #expect(elapsed < Bound.answer)
        #expect(harness.nothingStored)
        // The same daemon still lets a well-formed CM chain in.
        let good = chain.mode == .forwarded ? "for=31.169.56.10" : "31.169.56.10"
        #expect(try harness.post(body: Self.body, forwardedFor: nil, headers: [(name, good)]).status == 200)
    }

    @Test("row 3: a header block larger than the connection's memory is refused by the listener, nothing stored")
    func oversizedHeaderBlock() throws {
        let harness = try ReceiverHarness()
        let huge = String(repeating: "31.169.56.10,", count: 10_000)  // 130 KB, over the 32 KiB per connection
        let (reply, elapsed) = try timed { try harness.post(body: Self.body, forwardedFor: huge) }
        #expect(reply.status == 431, "\(reply.status)")
        // libmicrohttpd's own message comes through our log handler as one structured line.
        #expect(eventually { harness.logs.captured.contains { $0.contains("libmicrohttpd reported an error") } },
                "\(harness.logs.captured)")
        #expect(elapsed < Bound.answer)
        #expect(harness.nothingStored)
        #expect(try harness.stillServes())
    }

    struct Normalised: Sendable, CustomTestStringConvertible {
        var mode: ClientIPHeader
        var value: String
        var allowedSources: [String]?
        var status: Int
        var storedClient: String?
        var testDescription: String { "\(mode.rawValue): \(value)" }
    }

    @Test("row 4: IPv4-mapped IPv6 is the IPv4 address; IPv6 clients are refused unless a configured range holds them",
          arguments: [
              Normalised(mode: .xForwardedFor, value: "::ffff:31.169.56.10", status: 200, storedClient: "31.169.56.10"),
              Normalised(mode: .xForwardedFor, value: "::FFFF:1fa9:380a", status: 200, storedClient: "31.169.56.10"),
              Normalised(mode: .forwarded, value: #"for="[::ffff:31.169.56.10]:4711""#, status: 200,
                         storedClient: "31.169.56.10"),
              Normalised(mode: .xForwardedFor, value: "::ffff:6.6.6.6", status: 403),
              Normalised(mode: .xForwardedFor, value: "2001:db8::1", status: 403),
              Normalised(mode: .forwarded, value: #"for="[2001:db8::1]""#, status: 403),
              Normalised(mode: .xForwardedFor, value: "2001:db8::1", allowedSources: ["2001:db8::/32"], status: 200,
                         storedClient: "2001:db8::1"),
              Normalised(mode: .forwarded, value: #"for="[2001:DB8:0:0::1]:80""#, allowedSources: ["2001:db8::/32"],
                         status: 200, storedClient: "2001:db8::1"),
              // An IPv4 range does not admit an IPv6 address that merely embeds it (NAT64, 6to4, compatible).
              Normalised(mode: .xForwardedFor, value: "64:ff9b::1fa9:380a", status: 403),
              Normalised(mode: .xForwardedFor, value: "2002:1fa9:380a::1", status: 403),
              Normalised(mode: .xForwardedFor, value: "::31.169.56.10", status: 403),
          ])
    func normalised(_ expected: Normalised) throws {
        let harness = try ReceiverHarness { config in
            config.trust.clientIPHeader = expected.mode
            if let sources = expected.allowedSources {
                config.trust.allowedSources = CIDRSet(sources.map { try! CIDR(parsing: $0) })
            }
        }
        let name = try #require(expected.mode.headerName)
        let (reply, elapsed) = try timed {
            try harness.post(body: Self.body, forwardedFor: nil, headers: [(name, expected.value)])
        }
        #expect(reply.status == expected.status, "\(reply.body)")
        #expect(elapsed < Bound.answer)
        if let client = expected.storedClient {
            #expect(try harness.query("SELECT host(client_ip) FROM webhook_requests").string(0, 0) == client)
        } else {
            #expect(harness.nothingStored)
        }
    }

    struct PeerCase: Sendable, CustomTestStringConvertible {
        var label: String
        var trustedProxies: [String]
        var allowedSources: [String]?
        var forwardedFor: String?
        var status: Int
        var storedClient: String?
        var testDescription: String { label }
    }

    @Test("row 4: over a real IPv6 connection the peer is matched as IPv6: refused by default, allowed when configured or as a trusted proxy",
          arguments: [
              PeerCase(label: "direct IPv6 peer, default allowlist", trustedProxies: [], status: 403),
              PeerCase(label: "direct IPv6 peer in allowed_sources", trustedProxies: [], allowedSources: ["::1/128"],
                       status: 200, storedClient: "::1"),
              PeerCase(label: "IPv6 proxy forwarding a CM address", trustedProxies: ["::1/128"],
                       forwardedFor: "31.169.56.10", status: 200, storedClient: "31.169.56.10"),
              PeerCase(label: "IPv6 proxy forwarding a mapped CM address", trustedProxies: ["::1/128"],
                       forwardedFor: "::ffff:31.169.56.10", status: 200, storedClient: "31.169.56.10"),
              PeerCase(label: "IPv6 peer that is not a trusted proxy", trustedProxies: ["127.0.0.1/32"],
                       forwardedFor: "31.169.56.10", status: 403),
          ])
    func ipv6Peer(_ expected: PeerCase) throws {
        let harness = try ReceiverHarness { config in
            config.http.host = "::1"
            config.trust.trustedProxies = CIDRSet(expected.trustedProxies.map { try! CIDR(parsing: $0) })
            if let sources = expected.allowedSources {
                config.trust.allowedSources = CIDRSet(sources.map { try! CIDR(parsing: $0) })
            }
        }
        let connection = try RawConnection(port: harness.port, ipv6: true)
        var head = "POST /cm/mo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: \(Self.body.count)\r\n"
        if let forwardedFor = expected.forwardedFor { head += "X-Forwarded-For: \(forwardedFor)\r\n" }
        let (answer, elapsed) = timed {
            connection.write(Array((head + "\r\n").utf8) + Self.body)
            return connection.readToClose(timeout: .seconds(10))
        }
        #expect(RawConnection.status(of: answer.bytes) == expected.status)
        #expect(elapsed < Bound.answer)
        if let client = expected.storedClient {
            let row = try harness.query("SELECT host(client_ip), host(peer_ip) FROM webhook_requests")
            #expect(row.string(0, 0) == client)
            #expect(row.string(0, 1) == "::1")
        } else {
            #expect(harness.nothingStored)
        }
    }
}
