import Testing
@testable import MOPolicy

@Suite("WebhookPaths")
struct WebhookPathsTests {
    @Test("without a prefix or token the endpoints are /mo, /status and /events", arguments: [
        ("/mo", ItemKind?.some(.mo)), ("/status", .status), ("/events", .event),
        ("/event", nil), ("/MO", nil), ("/mo/", nil), ("//mo", nil), ("/./mo", nil), ("/x/../mo", nil),
        ("/mo?x=1", nil), ("/mo#x", nil), ("mo", nil), ("", nil), ("/", nil), ("/mo/extra", nil), ("/ mo", nil),
        ("/%6Do", nil),
    ])
    func noPrefixNoToken(path: String, endpoint: ItemKind?) {
        #expect(WebhookPaths(prefix: "", token: nil).kind(at: path) == endpoint)
    }

    @Test("the prefix is normalised", arguments: [
        ("", ""), ("/", ""), ("//", ""), ("cm", "/cm"), ("/cm", "/cm"), ("/cm/", "/cm"), ("cm/", "/cm"),
        ("/cm/hooks", "/cm/hooks"), ("cm/hooks/", "/cm/hooks"), ("//cm//hooks//", "/cm/hooks"),
    ])
    func prefixNormalisation(given: String, normalised: String) {
        let paths = WebhookPaths(prefix: given, token: nil)
        #expect(paths.prefix == normalised)
        #expect(paths.kind(at: normalised + "/mo") == .mo)
    }

    @Test("with the prefix /cm only exact paths under it are served", arguments: [
        ("/cm/mo", ItemKind?.some(.mo)), ("/cm/status", .status), ("/cm/events", .event),
        ("/cm/mo/", nil), ("/cm//mo", nil), ("/cm/./mo", nil), ("/cm/../cm/mo", nil), ("/cmx/mo", nil),
        ("/cm", nil), ("/cm/", nil), ("/mo", nil), ("/CM/mo", nil), ("/x/cm/mo", nil), ("/cm/mo/mo", nil),
    ])
    func withPrefix(path: String, endpoint: ItemKind?) {
        #expect(WebhookPaths(prefix: "/cm/", token: nil).kind(at: path) == endpoint)
    }

    @Test("with a token only the exact token is served", arguments: [
        ("/cm/s3cr3t-T0k3n/mo", ItemKind?.some(.mo)), ("/cm/s3cr3t-T0k3n/status", .status),
        ("/cm/s3cr3t-T0k3n/events", .event),
        ("/cm/wrong/mo", nil), ("/cm/s3cr3t-T0k3/mo", nil), ("/cm/s3cr3t-T0k3nX/mo", nil), ("/cm/S3CR3T-T0K3N/mo", nil),
        ("/cm/mo", nil), ("/cm/s3cr3t-T0k3n", nil), ("/cm/s3cr3t-T0k3n/", nil), ("/cm/s3cr3t-T0k3n/mo/", nil),
        ("/s3cr3t-T0k3n/mo", nil), ("/cm/s3cr3t-T0k3n/x/mo", nil), ("/cm/x/s3cr3t-T0k3n/mo", nil),
        ("/cm//s3cr3t-T0k3n/mo", nil), ("/cm/s3cr3t-T0k3n/../s3cr3t-T0k3n/mo", nil), ("/cm/s3cr3t-T0k3n/nope", nil),
    ])
    func withToken(path: String, endpoint: ItemKind?) {
        #expect(WebhookPaths(prefix: "/cm", token: "s3cr3t-T0k3n").kind(at: path) == endpoint)
    }

    @Test("a token without a prefix sits right after the root")
    func tokenWithoutPrefix() {
        let paths = WebhookPaths(prefix: "/", token: "abc123")
        #expect(paths.kind(at: "/abc123/mo") == .mo)
        #expect(paths.kind(at: "/mo") == nil)
        #expect(paths.path(for: .event) == "/abc123/events")
    }

    @Test("an empty or missing token means no token")
    func emptyToken() {
        for paths in [WebhookPaths(prefix: "/cm", token: ""), WebhookPaths(prefix: "/cm", token: nil)] {
            #expect(paths.token == nil)
            #expect(paths.kind(at: "/cm/mo") == .mo)
            #expect(paths.path(for: .mo) == "/cm/mo")
        }
    }

    @Test("tokens compare byte for byte, not by Unicode equivalence")
    func tokenBytes() {
        let precomposed = WebhookPaths(prefix: "", token: "caf\u{E9}")
        #expect(precomposed.kind(at: "/caf\u{E9}/mo") == .mo)
        #expect(precomposed.kind(at: "/cafe\u{301}/mo") == nil)
    }

    @Test("path(for:) gives the served paths, token as given", arguments: [
        ("/cm", String?.some("T"), ItemKind.mo, "/cm/T/mo"), ("/cm", "T", .status, "/cm/T/status"),
        ("/cm", "T", .event, "/cm/T/events"), ("", nil, .mo, "/mo"), ("/cm/hooks/", nil, .event, "/cm/hooks/events"),
    ])
    func servedPaths(prefix: String, token: String?, endpoint: ItemKind, path: String) {
        #expect(WebhookPaths(prefix: prefix, token: token).path(for: endpoint) == path)
    }

    @Test("every served path maps back to its kind", arguments: [
        ("", String?.none), ("/cm", nil), ("cm/hooks", nil), ("", "tok"), ("/cm", "0123456789abcdef"),
    ])
    func roundTrip(prefix: String, token: String?) {
        let paths = WebhookPaths(prefix: prefix, token: token)
        for endpoint in ItemKind.allCases {
            #expect(paths.kind(at: paths.path(for: endpoint)) == endpoint)
        }
    }
}

@Suite("ItemKind")
struct ItemKindTests {
    @Test("segments", arguments: [(ItemKind.mo, "mo"), (.status, "status"), (.event, "events")])
    func segments(endpoint: ItemKind, segment: String) {
        #expect(endpoint.pathSegment == segment)
    }

    @Test("every endpoint takes the methods CM's channel configuration offers, and answers HEAD and OPTIONS")
    func methods() {
        #expect(WebhookMethods.delivery == ["GET", "POST", "PUT"])
        #expect(WebhookMethods.answered == ["HEAD", "OPTIONS"])
        #expect(WebhookMethods.allowed == ["GET", "HEAD", "OPTIONS", "POST", "PUT"])
    }

    @Test("raw values name the endpoints")
    func rawValues() {
        #expect(ItemKind.allCases.map(\.rawValue) == ["mo", "status", "event"])
    }
}
