/// The second SSRF check of the media downloader: whether the address libcurl is about to connect to is a public
/// one. `MediaURLPolicy` has already approved the URL's text; this check sees where the name really resolved, at
/// connect time, so DNS rebinding and allowlisted names that point inside are stopped.
///
/// A pure value type with no shared state, built once from config. `decide` is called from libcurl's open-socket
/// callback (`CURLOPT_OPENSOCKETFUNCTION`) on the thread running the transfer, once per connection: it allocates
/// nothing on the allow path and scans about 35 networks. The callback turns the `sockaddr` into an `IPAddress`
/// (or numeric text via `inet_ntop`, always canonical: `"93.184.216.34"`, `"::1"`, `"::ffff:127.0.0.1"`) and
/// returns `CURL_SOCKET_BAD` on a refusal, which fails the transfer with `CURLE_COULDNT_CONNECT`; the downloader
/// then reports the refusal's description. Each redirect hop is a new connection and passes through here again.
///
/// Refused: every network of `DestinationRange.ipv4` and `DestinationRange.ipv6` (loopback, unspecified, private,
/// unique local, link-local with cloud metadata, CGNAT, multicast, broadcast, reserved, benchmarking,
/// documentation, `0/8`, …) and IPv6 outside 2000::/3. Embedded IPv4 addresses, decided here:
/// - IPv4-mapped `::ffff:a.b.c.d`: checked as the IPv4 address (it *is* that address on a dual-stack socket).
/// - NAT64 `64:ff9b::/96`: checked as the embedded IPv4 address; a public one is allowed, because on an IPv6-only
///   host with DNS64 every public IPv4 site looks like this. Local-use NAT64 `64:ff9b:1::/48` is refused whole
///   (its embedding depends on the operator's prefix length).
/// - IPv4-compatible `::a.b.c.d` (deprecated since RFC 4291): refused whole.
/// - 6to4 `2002::/16` and Teredo `2001::/32`: refused whole; no media CDN serves from these transition ranges and
///   relays are gone (RFC 7526). When the embedded IPv4 (6to4's, or Teredo's server or client) is itself refused,
///   the reason names it.
public struct DestinationPolicy: Sendable {
    /// `media.*` settings; the defaults are the production values.
    public struct Settings: Sendable, Equatable {
        /// Tests only: allow 127.0.0.0/8 and ::1 (also IPv4-mapped), so a local test server can be reached.
        public var allowLoopback: Bool
        /// Ports a media connection may use. Default: 443 only.
        public var allowedPorts: Set<Int>

        public init(allowLoopback: Bool = false, allowedPorts: Set<Int> = [443]) {
            self.allowLoopback = allowLoopback
            self.allowedPorts = allowedPorts
        }
    }

    public let settings: Settings

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// Decides on numeric address text as libcurl reports it. Text that is not a strict IP address is refused.
    public func decide(numericHost: String, port: Int) -> DestinationDecision {
        guard let address = IPAddress.parseUnnormalized(Substring(numericHost).utf8) else {
            return .refused(DestinationRefusal(address: MediaURLError.excerpt(numericHost, limit: 45), port: port,
                                               reason: .notAnAddress))
        }
        return decide(address: address, port: port)
    }

    /// Decides on an address taken straight from a `sockaddr`. An IPv4-mapped `.v6` value is checked as IPv4.
    public func decide(address: IPAddress, port: Int) -> DestinationDecision {
        guard settings.allowedPorts.contains(port) else {
            return .refused(DestinationRefusal(address: address.description, port: port, reason: .portNotAllowed))
        }
        guard let reason = refusalReason(address) else { return .allowed }
        if settings.allowLoopback, Self.isLoopback(reason) { return .allowed }
        return .refused(DestinationRefusal(address: address.description, port: port, reason: reason))
    }

    func refusalReason(_ address: IPAddress) -> DestinationRefusalReason? {
        switch address {
        case .v4(let value):
            return Self.range(ofIPv4: value).map(DestinationRefusalReason.inRange)
        case .v6(let high, let low):
            if high == 0, low >> 32 == 0xffff {
                return Self.embedded(.ipv4Mapped, UInt32(truncatingIfNeeded: low))
            }
            if high == 0x0064_ff9b_0000_0000, low >> 32 == 0 {
                return Self.embedded(.nat64, UInt32(truncatingIfNeeded: low))
            }
            guard let range = DestinationRange.ipv6.first(where: { $0.network.contains(address) }) else {
                return DestinationRange.ipv6GlobalUnicast.network.contains(address) ? nil : .notGlobalUnicast
            }
            switch range.category {
            case .sixToFour:
                return Self.embedded(.sixToFour, UInt32(truncatingIfNeeded: high >> 16)) ?? .inRange(range)
            case .teredo:
                return Self.embedded(.teredo, UInt32(truncatingIfNeeded: high))
                    ?? Self.embedded(.teredo, ~UInt32(truncatingIfNeeded: low))
                    ?? .inRange(range)
            default:
                return .inRange(range)
            }
        }
    }

    static func range(ofIPv4 value: UInt32) -> DestinationRange? {
        DestinationRange.ipv4.first { $0.network.contains(.v4(value)) }
    }

    /// `.embeds` when `value` is refused, else `nil`.
    static func embedded(_ embedding: DestinationEmbedding, _ value: UInt32) -> DestinationRefusalReason? {
        range(ofIPv4: value).map { .embeds(embedding, .v4(value), $0) }
    }

    /// Loopback itself, or IPv4-mapped loopback (`::ffff:127.0.0.1`); not loopback behind NAT64, 6to4 or Teredo.
    static func isLoopback(_ reason: DestinationRefusalReason) -> Bool {
        switch reason {
        case .inRange(let range): range.category == .loopback
        case .embeds(.ipv4Mapped, _, let range): range.category == .loopback
        default: false
        }
    }
}
