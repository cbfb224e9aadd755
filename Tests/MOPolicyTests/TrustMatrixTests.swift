import Testing
@testable import MOPolicy

/// Every row of the test matrix in reliability-security.md §2.1 (peer, header lines, expected decision).
@Suite("Trust boundary: the §2.1 client-IP matrix")
struct TrustMatrixTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let peer: String
        let header: ClientIPHeader
        let lines: [String]
        /// nil: denied without a client (malformed chain).
        let client: String?
        let allowed: Bool

        var testDescription: String {
            let verdict = allowed ? "allow" : "deny"
            return "peer \(peer), \(header.headerName ?? "no header"): \(lines) → \(verdict) \(client ?? "-")"
        }
    }

    static let rows: [Row] = [
        Row(peer: "127.0.0.1", header: .xForwardedFor, lines: ["31.169.56.10"], client: "31.169.56.10", allowed: true),
        Row(peer: "127.0.0.1", header: .xForwardedFor, lines: ["31.169.56.10, 6.6.6.6"], client: "6.6.6.6",
            allowed: false),
        Row(peer: "127.0.0.1", header: .xForwardedFor, lines: ["6.6.6.6", "31.169.56.10"], client: "31.169.56.10",
            allowed: true),
        Row(peer: "127.0.0.1", header: .xForwardedFor, lines: ["31.169.56.10", "6.6.6.6"], client: "6.6.6.6",
            allowed: false),
        Row(peer: "203.0.113.9", header: .xForwardedFor, lines: ["31.169.56.10"], client: "203.0.113.9",
            allowed: false),
        Row(peer: "127.0.0.1", header: .xForwardedFor, lines: ["::ffff:31.169.56.10"], client: "31.169.56.10",
            allowed: true),
        Row(peer: "127.0.0.1", header: .xForwardedFor, lines: ["031.169.56.10"], client: nil, allowed: false),
        Row(peer: "127.0.0.1", header: .xForwardedFor, lines: ["31.169.56.10:443"], client: nil, allowed: false),
        Row(peer: "127.0.0.1", header: .xForwardedFor, lines: [""], client: nil, allowed: false),
        Row(peer: "127.0.0.1", header: .xForwardedFor, lines: ["garbage"], client: nil, allowed: false),
        Row(peer: "127.0.0.1", header: .forwarded, lines: [#"for="[2001:db8::1]:80""#], client: "2001:db8::1",
            allowed: false),
        Row(peer: "127.0.0.1", header: .forwarded, lines: ["for=unknown"], client: nil, allowed: false),
        Row(peer: "127.0.0.1", header: .forwarded, lines: ["for=_hidden"], client: nil, allowed: false),
        Row(peer: "127.0.0.1", header: .xForwardedFor, lines: ["31.169.63.255"], client: "31.169.63.255",
            allowed: true),
        Row(peer: "127.0.0.1", header: .xForwardedFor, lines: ["31.169.64.0"], client: "31.169.64.0", allowed: false),
        Row(peer: "127.0.0.1", header: .xForwardedFor, lines: ["188.94.187.255"], client: "188.94.187.255",
            allowed: true),
        Row(peer: "127.0.0.1", header: .xForwardedFor, lines: ["188.94.188.0"], client: "188.94.188.0", allowed: false),
        Row(peer: "127.0.0.1", header: .xForwardedFor,
            lines: [Array(repeating: "31.169.56.10", count: 33).joined(separator: ", ")], client: nil, allowed: false),
    ]

    @Test("each matrix row gets its decision and client", arguments: rows)
    func row(_ row: Row) {
        let policy = TrustFixtures.policy(row.header)
        let decision = policy.decide(peer: TrustFixtures.ip(row.peer), headerValues: row.lines)
        switch decision {
        case .allow(let client):
            #expect(row.allowed)
            #expect(client == row.client.map(TrustFixtures.ip))
        case .deny(let client, let reason):
            #expect(!row.allowed)
            #expect(client == row.client.map(TrustFixtures.ip))
            #expect(!reason.isEmpty && !reason.contains { $0.isNewline })
        }
    }
}
