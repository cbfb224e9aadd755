import Testing
@testable import MOPolicy

@Suite("PathRouter")
struct PathRouterTests {
    @Test("without a prefix or token the endpoints are /mo, /status and /events", arguments: [
        ("/mo", Endpoint?.some(.mo)), ("/status", .status), ("/events", .event),
        ("/event", nil), ("/MO", nil), ("/mo/", nil), ("//mo", nil), ("/./mo", nil), ("/x/../mo", nil),
        ("/mo?x=1", nil), ("/mo#x", nil), ("mo", nil), ("", nil), ("/", nil), ("/mo/extra", nil), ("/ mo", nil),
        ("/%6Do", nil),
    ])
    func noPrefixNoToken(path: String, endpoint: Endpoint?) {
        #expect(PathRouter(prefix: "", token: nil).route(path) == endpoint)
    }

    @Test("the prefix is normalised", arguments: [
        ("", ""), ("/", ""), ("//", ""), ("cm", "/cm"), ("/cm", "/cm"), ("/cm/", "/cm"), ("cm/", "/cm"),
        ("/cm/hooks", "/cm/hooks"), ("cm/hooks/", "/cm/hooks"), ("//cm//hooks//", "/cm/hooks"),
    ])
    func prefixNormalisation(given: String, normalised: String) {
        let router = PathRouter(prefix: given, token: nil)
        #expect(router.prefix == normalised)
        #expect(router.route(normalised + "/mo") == .mo)
    }

    @Test("with the prefix /cm only exact paths under it route", arguments: [
        ("/cm/mo", Endpoint?.some(.mo)), ("/cm/status", .status), ("/cm/events", .event),
        ("/cm/mo/", nil), ("/cm//mo", nil), ("/cm/./mo", nil), ("/cm/../cm/mo", nil), ("/cmx/mo", nil),
        ("/cm", nil), ("/cm/", nil), ("/mo", nil), ("/CM/mo", nil), ("/x/cm/mo", nil), ("/cm/mo/mo", nil),
    ])
    func withPrefix(path: String, endpoint: Endpoint?) {
        #expect(PathRouter(prefix: "/cm/", token: nil).route(path) == endpoint)
    }

    @Test("with a token only the exact token routes", arguments: [
        ("/cm/s3cr3t-T0k3n/mo", Endpoint?.some(.mo)), ("/cm/s3cr3t-T0k3n/status", .status),
        ("/cm/s3cr3t-T0k3n/events", .event),
        ("/cm/wrong/mo", nil), ("/cm/s3cr3t-T0k3/mo", nil), ("/cm/s3cr3t-T0k3nX/mo", nil), ("/cm/S3CR3T-T0K3N/mo", nil),
        ("/cm/mo", nil), ("/cm/s3cr3t-T0k3n", nil), ("/cm/s3cr3t-T0k3n/", nil), ("/cm/s3cr3t-T0k3n/mo/", nil),
        ("/s3cr3t-T0k3n/mo", nil), ("/cm/s3cr3t-T0k3n/x/mo", nil), ("/cm/x/s3cr3t-T0k3n/mo", nil),
        ("/cm//s3cr3t-T0k3n/mo", nil), ("/cm/s3cr3t-T0k3n/../s3cr3t-T0k3n/mo", nil), ("/cm/s3cr3t-T0k3n/nope", nil),
    ])
    func withToken(path: String, endpoint: Endpoint?) {
        #expect(PathRouter(prefix: "/cm", token: "s3cr3t-T0k3n").route(path) == endpoint)
    }

    @Test("a token without a prefix sits right after the root")
    func tokenWithoutPrefix() {
        let router = PathRouter(prefix: "/", token: "abc123")
        #expect(router.route("/abc123/mo") == .mo)
        #expect(router.route("/mo") == nil)
        #expect(router.path(for: .event) == "/abc123/events")
    }

    @Test("an empty or missing token means no token")
    func emptyToken() {
        for router in [PathRouter(prefix: "/cm", token: ""), PathRouter(prefix: "/cm", token: nil)] {
            #expect(router.token == nil)
            #expect(router.route("/cm/mo") == .mo)
            #expect(router.path(for: .mo) == "/cm/mo")
        }
    }

    @Test("tokens compare byte for byte, not by Unicode equivalence")
    func tokenBytes() {
        let precomposed = PathRouter(prefix: "", token: "caf\u{E9}")
        #expect(precomposed.route("/caf\u{E9}/mo") == .mo)
        #expect(precomposed.route("/cafe\u{301}/mo") == nil)
    }

    @Test("path(for:) gives the served paths, token as given", arguments: [
        ("/cm", String?.some("T"), Endpoint.mo, "/cm/T/mo"), ("/cm", "T", .status, "/cm/T/status"),
        ("/cm", "T", .event, "/cm/T/events"), ("", nil, .mo, "/mo"), ("/cm/hooks/", nil, .event, "/cm/hooks/events"),
    ])
    func servedPaths(prefix: String, token: String?, endpoint: Endpoint, path: String) {
        #expect(PathRouter(prefix: prefix, token: token).path(for: endpoint) == path)
    }

    @Test("every served path routes back to its endpoint", arguments: [
        ("", String?.none), ("/cm", nil), ("cm/hooks", nil), ("", "tok"), ("/cm", "0123456789abcdef"),
    ])
    func roundTrip(prefix: String, token: String?) {
        let router = PathRouter(prefix: prefix, token: token)
        for endpoint in Endpoint.allCases {
            #expect(router.route(router.path(for: endpoint)) == endpoint)
        }
    }
}

@Suite("Endpoint")
struct EndpointTests {
    @Test("segments", arguments: [(Endpoint.mo, "mo"), (.status, "status"), (.event, "events")])
    func segments(endpoint: Endpoint, segment: String) {
        #expect(endpoint.pathSegment == segment)
    }

    @Test("every endpoint takes the methods CM's channel configuration offers, and answers HEAD and OPTIONS")
    func methods() {
        #expect(Endpoint.deliveryMethods == ["GET", "POST", "PUT"])
        #expect(Endpoint.answeredMethods == ["HEAD", "OPTIONS"])
        #expect(Endpoint.allowedMethods == ["GET", "HEAD", "OPTIONS", "POST", "PUT"])
    }

    @Test("raw values name the endpoints")
    func rawValues() {
        #expect(Endpoint.allCases.map(\.rawValue) == ["mo", "status", "event"])
    }
}
