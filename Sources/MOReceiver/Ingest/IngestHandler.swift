import CMWebhook
import Logging
import MOPolicy
import MOStore
import MicroHTTPD

/// The webhook listener's handler: path → trust boundary → method → size, decided once on the head (``Admission``),
/// then decode (pure) → the ingest writer.
/// Called on libmicrohttpd's threads; never blocks (the writer answers through the responder after COMMIT).
final class IngestHandler: HTTPHandler {
    let paths: WebhookPaths
    let access: AccessPolicy
    let clientIPHeader: String?
    let maxBodyBytes: Int
    let malformedStatus: Int
    let writer: IngestWriter
    let routing: Routing
    let metrics: Metrics
    let logger: Logger
    let redactor: Redactor
    let denials: RateLimitedLog

    init(config: ReceiverConfig, writer: IngestWriter, routing: Routing, metrics: Metrics, logger: Logger) {
        self.metrics = metrics
        self.paths = WebhookPaths(prefix: config.http.pathPrefix, token: config.http.pathToken)
        self.access = AccessPolicy(allowedSources: config.trust.allowedSources,
                                   resolver: ClientIPResolver(trustedProxies: config.trust.trustedProxies,
                                                              header: config.trust.clientIPHeader))
        self.clientIPHeader = config.trust.clientIPHeader.headerName
        self.maxBodyBytes = config.http.maxBodyBytes
        self.malformedStatus = config.ingest.malformedStatus
        self.writer = writer
        self.routing = routing
        self.logger = logger
        self.redactor = Redactor(pii: config.log.pii)
        self.denials = RateLimitedLog(interval: .seconds(1))
    }

    /// What `head` decided for a webhook it let through; the server hands it to `request` with the body, so the
    /// path and the trust boundary are decided once per request.
    struct Admission: Sendable {
        let endpoint: ItemKind
        /// The client the trust boundary allowed.
        let client: IPAddress
    }

    func head(_ head: RequestHead) -> HeadDecision<Admission> {
        if head.path == Self.healthPath, head.method == "GET" || head.method == "HEAD" {
            return .respond(Reply.healthy)
        }
        let endpoint = paths.kind(at: head.path)
        let decision = decideHead(head, endpoint: endpoint)
        if case .respond(let response) = decision, head.path != Self.healthPath {
            metrics.requests.increment([endpoint?.rawValue ?? "none", String(response.status)])
        }
        return decision
    }

    private func decideHead(_ head: RequestHead, endpoint: ItemKind?) -> HeadDecision<Admission> {
        guard let endpoint else {
            return .respond(Reply.notFound)
        }
        let allowedClient: IPAddress
        switch decide(head) {
        case .deny(let client, let reason):
            denials.run { suppressed in
                logger.warning("request refused by the trust boundary", metadata: [
                    "http.request_id": "\(head.id)", "net.client_ip": "\(client.map(\.description) ?? "unknown")",
                    "net.peer_ip": "\(head.peer)", "trust.reason": "\(reason)", "log.suppressed": "\(suppressed)",
                ])
            }
            return .respond(Reply.forbidden(reason))
        case .allow(let client):
            allowedClient = client
        }
        guard WebhookMethods.delivery.contains(head.method) else {
            if WebhookMethods.answered.contains(head.method) { return .respond(Reply.methods) }
            return .respond(Reply.methodNotAllowed(endpoint.rawValue))
        }
        if let declared = head.contentLength {
            if declared < 0 { return .respond(Reply.badRequest("Content-Length is not a number")) }
            if declared > maxBodyBytes { return .respond(Reply.tooLarge(limit: maxBodyBytes)) }
        }
        return .readBody(maxBytes: maxBodyBytes, accepted: Admission(endpoint: endpoint, client: allowedClient))
    }

    func bodyTooLarge(_ head: RequestHead, accepted: Admission, limit: Int) -> HTTPResponse {
        metrics.requests.increment([accepted.endpoint.rawValue, "413"])
        logger.notice("request body over the limit", metadata: ["http.request_id": "\(head.id)", "http.limit": "\(limit)"])
        return Reply.tooLarge(limit: limit)
    }

    var shutdownResponse: HTTPResponse { Reply.shuttingDown }

    func request(_ head: RequestHead, accepted: Admission, body: [UInt8], responder: HTTPResponder) {
        let endpoint = accepted.endpoint
        let bytes = head.method == "GET" ? Array((head.query ?? "").utf8) : body   // POST and PUT carry a body
        let contentType = head.value(of: "Content-Type")
        let payload = IngestDecoding.payload(endpoint: endpoint, method: head.method, contentType: contentType, body: bytes)
        let request = IngestRequest(endpoint: endpoint, method: head.method, body: bytes,
                                    contentType: contentType, clientIP: accepted.client.description,
                                    peerIP: head.peer, payload: payload, dispatches: routing.dispatches(for: payload))
        let malformedStatus = self.malformedStatus
        let logger = self.logger
        let metrics = self.metrics
        let redactor = self.redactor
        let sender = Self.sender(of: payload)
        let started = ContinuousClock.now
        writer.submit(request) { outcome in
            // Called on the writer thread for a whole batch at once: the reply, metrics and log line are made on
            // the listener thread, so the writer goes on with the next batch.
            responder.respond {
                let reply = Reply.outcome(outcome, malformedStatus: malformedStatus)
                metrics.ingestDuration.observe([endpoint.rawValue], ContinuousClock.now - started)
                metrics.requests.increment([endpoint.rawValue, String(reply.status)])
                metrics.ingested.increment([endpoint.rawValue, outcome.metricName])
                Self.log(outcome, endpoint: endpoint, requestID: head.id, sender: sender, redactor: redactor,
                         logger: logger)
                return reply
            }
        }
    }

    /// Liveness for load balancers and the benchmark's no-database baseline; outside the trust boundary since it
    /// reveals nothing and touches nothing.
    static let healthPath = "/healthz"

    private func decide(_ head: RequestHead) -> AccessDecision {
        guard let peer = IPAddress(head.peer) else {
            return .deny(client: nil, reason: "the peer address is unknown")
        }
        let values = clientIPHeader.map { head.values(of: $0) } ?? []
        return access.decide(peer: peer, headerValues: values)
    }

    private static func sender(of payload: IngestPayload) -> String? {
        if case .inboundMessage(let message) = payload { return message.fromNumber }
        return nil
    }

    /// `sender` as decoded; redacted here, once the line is known to be written.
    private static func log(_ outcome: IngestOutcome, endpoint: ItemKind, requestID: UInt64, sender: String?,
                            redactor: Redactor, logger: Logger) {
        switch outcome {
        case .stored, .duplicate:
            // Logged at debug: skip building the metadata for every request when debug is off.
            guard logger.logLevel <= .debug else { return }
        case .probe, .quarantined, .unavailable:
            break
        }
        var metadata: Logger.Metadata = ["http.request_id": "\(requestID)", "cm.endpoint": "\(endpoint.rawValue)"]
        if let sender { metadata["cm.from"] = "\(redactor.phone(sender))" }
        switch outcome {
        case .stored(let id):
            metadata["ingest.id"] = "\(id)"
            logger.debug("stored webhook request", metadata: metadata)
        case .duplicate(let id):
            metadata["ingest.id"] = "\(id)"
            logger.debug("duplicate webhook request", metadata: metadata)
        case .probe(let id, let duplicate):
            metadata["ingest.id"] = "\(id)"
            metadata["ingest.duplicate"] = "\(duplicate)"
            logger.info("probe request without content answered 200 (CM's test call)", metadata: metadata)
        case .quarantined(let id, let reason, let duplicate):
            metadata["ingest.id"] = "\(id)"
            metadata["ingest.reason"] = "\(reason)"
            metadata["ingest.duplicate"] = "\(duplicate)"
            logger.warning("quarantined webhook request", metadata: metadata)
        case .unavailable(let reason):
            metadata["ingest.reason"] = "\(reason)"
            logger.warning("webhook request not stored; answered 503", metadata: metadata)
        }
    }
}

extension IngestOutcome {
    /// The `outcome` label of `mo_receiver_ingest_requests_total`.
    var metricName: String {
        switch self {
        case .stored: "stored"
        case .duplicate: "duplicate"
        case .probe: "probe"
        case .quarantined: "quarantined"
        case .unavailable: "unavailable"
        }
    }
}
