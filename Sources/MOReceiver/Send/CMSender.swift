import CMWebhook
import Curl
import LibPQ
import Logging
import MOStore

/// Sends outbound messages through CM's send API: the intent row is already committed; this posts it, classifies
/// CM's answer and records it on the row. Shared by the worker threads (auto-replies) and moctl (send); each call
/// borrows a curl handle. The product token is only ever put on the wire.
public final class CMSender: Sendable {
    let url: String
    let token: [UInt8]
    let tokenInBody: Bool
    let timeout: Duration
    let grouping: String
    let protocols: [String]
    let handles = CurlHandlePool()
    let metrics: Metrics?

    public init(settings: ReceiverConfig.CM, metrics: Metrics? = nil) throws(ConfigError) {
        self.metrics = metrics
        guard let token = settings.productToken else {
            throw ConfigError(file: "config", line: nil, key: "cm.product_token_file",
                              message: "is required to send through CM: a file holding the product token (chmod 600), or the systemd credential '\(ReceiverConfig.productTokenCredential)'")
        }
        self.url = settings.sendURL
        self.token = token
        self.tokenInBody = settings.tokenInBody
        self.timeout = .milliseconds(settings.timeoutMilliseconds)
        self.grouping = settings.grouping
        self.protocols = settings.allowHTTP ? ["http", "https"] : ["https"]
    }

    /// What became of one send.
    public enum Result: Sendable, Equatable {
        /// The `outcome` label of `mo_receiver_cm_send_requests_total`.
        var metricName: String {
            switch self {
            case .accepted: "accepted"
            case .rejected: "rejected"
            case .retry: "retry"
            case .failed: "failed"
            case .skipped: "skipped"
            }
        }

        /// CM accepted it.
        case accepted(parts: Int?)
        /// CM refused this message for good (the recipient, the content, the channel): recorded, not retried.
        case rejected(reason: String)
        /// Nothing was sent and trying again later may work (network, timeout, CM 5xx).
        case retry(reason: String)
        /// The account or configuration is wrong (token, balance): an operator must act; retried only on request.
        /// The row is `failed` with CM's code and text; a later attempt (`moctl jobs retry`) may send it again,
        /// since CM took nothing.
        case failed(reason: String)
        /// Not sent, by the checks before every send (``SendGate``): the row is `skipped` with the reason.
        case skipped(SendGate.SkipReason, detail: String)
    }

    /// The checks before every send (conversation windows, Twitter's allotment).
    let gate = SendGate()

    /// Sends the intent `id` (committed already) and records the attempt on its row.
    ///
    /// Sends only a row CM has not taken: `intent`, or `failed` (CM refused the whole request, e.g. a bad token,
    /// so an operator's retry after fixing it may send it). Before every attempt the ``SendGate`` checks run on
    /// what the database says now (the customer's latest inbound message per channel, what went to them since); a
    /// refusal marks the row `skipped` and CM is not called. `force` (an operator's `moctl send --force`) skips the
    /// window and Twitter checks, never the channel check.
    public func send(outboundID id: Int64, outbound store: OutboundStore, logger: Logger,
                     force: Bool = false) throws(PGError) -> Result {
        guard let (intent, state) = try store.intent(id: id) else {
            return .failed(reason: "outbound message \(id) does not exist")
        }
        guard state == "intent" || state == "failed" else {
            // Answered before (a replayed job): never send twice.
            return state == "accepted" ? .accepted(parts: nil) : .rejected(reason: "already \(state)")
        }
        let channels = Self.allowedChannels(intent)
        let verdict = try check(intent, channels: channels, id: id, store: store)
        if case .skip(let reason, let detail) = verdict, !force || reason == .noChannel {
            try store.recordSkip(id: id, reason: reason.rawValue)
            logger.warning("message not sent: a check before sending refused it", metadata: [
                "outbound.id": "\(id)", "outbound.reference": "\(intent.reference)", "cm.channel": "\(intent.channel)",
                "outbound.origin": "\(intent.origin)", "outbound.skip_reason": "\(reason.rawValue)",
                "outbound.skip_detail": "\(detail)",
            ])
            metrics?.sends.increment(["skipped", "0"])
            return .skipped(reason, detail: detail)
        }
        let message = CMSendMessage(from: intent.sender, to: [CMSendRecipient.normalize(intent.recipient)],
                                    content: intent.body, reference: intent.reference, allowedChannels: channels,
                                    customGrouping3: grouping)
        do {
            try message.validate()
        } catch {
            try store.recordAttempt(id: id, state: "failed", errorCode: nil, details: error.description, response: nil,
                                    parts: nil)
            return .rejected(reason: error.description)
        }
        let tokenText = String(decoding: token, as: UTF8.self)
        var request = HTTPClientRequest(method: "POST", url: url)
        request.body = CMSendRequest.body(for: [message], productTokenInBody: tokenInBody ? tokenText : nil)
        request.headers = [("Content-Type", CMSendRequest.contentType), ("Accept", "application/json")]
        if !tokenInBody { request.headers.append((CMSendRequest.productTokenHeader, tokenText)) }
        request.timeout = timeout
        request.connectTimeout = min(timeout, .seconds(5))
        request.maxResponseBytes = 256 * 1024
        request.allowedProtocols = protocols

        let outcome: CMSendOutcome
        var responseText: String?
        var response: CMSendResponse?
        do {
            let answer = try handles.with { curl throws(CurlError) in try curl.perform(request) }
            responseText = String(decoding: answer.body.prefix(16_384), as: UTF8.self)
            response = try? CMSendResponse(json: answer.body)
            outcome = CMSendOutcome(httpStatus: answer.status, body: answer.body, reference: intent.reference)
        } catch {
            outcome = CMSendOutcome(transportFailure: Self.transportFailure(error))
        }
        let result = Self.result(outcome)
        let newState: String
        var parts: Int?
        switch result {
        case .accepted(let count):
            newState = "accepted"
            parts = count
        case .rejected:
            newState = "rejected"
        case .retry:
            newState = "intent"   // CM did not take it, for now: the job's next attempt sends it
        case .failed:
            newState = "failed"   // visible as a send failure; an operator's retry after the fix may send it
        case .skipped:
            newState = "skipped"  // not reached: the gate ran above
        }
        try store.recordAttempt(id: id, state: newState, errorCode: outcome.code ?? response?.errorCode,
                                details: outcome.reason ?? response?.details, response: responseText, parts: parts)
        Self.log(result, outcome: outcome, intent: intent, id: id, logger: logger)
        metrics?.sends.increment([result.metricName, String(outcome.code ?? response?.errorCode ?? 0)])
        return result
    }

    /// The `allowedChannels` of an intent: as written (migration 0010 on), else its channel mapped to the send
    /// API's name; empty when there is none (the gate then skips it: never `[""]`).
    static func allowedChannels(_ intent: OutboundStore.Intent) -> [String] {
        intent.allowedChannels ?? CMSendChannel.sendName(for: intent.channel).map { [$0] } ?? []
    }

    /// The gate's verdict for `intent`, from what the database says now.
    private func check(_ intent: OutboundStore.Intent, channels: [String], id: Int64,
                       store: OutboundStore) throws(PGError) -> SendGate.Verdict {
        guard !channels.isEmpty else { return gate.check(channels: [], latestInbound: [], sentOnTwitter: 0) }
        let latest = try store.latestInbound(from: intent.recipient)
        var sentOnTwitter = 0
        if channels.contains(where: { $0.lowercased() == "twitter" }),
           let twitter = latest.filter({ SendGate.sameChannel($0.channel, "Twitter") }).min(by: { $0.secondsAgo < $1.secondsAgo }) {
            sentOnTwitter = try store.sentOnTwitter(to: intent.recipient, sinceInbound: twitter.id, excluding: id)
        }
        return gate.check(channels: channels,
                          latestInbound: latest.map { SendGate.Inbound(channel: $0.channel, secondsAgo: $0.secondsAgo) },
                          sentOnTwitter: sentOnTwitter)
    }

    static func transportFailure(_ error: CurlError) -> CMSendTransportFailure {
        switch error.kind {
        case .timeout: return .timeout
        case .tls: return .tls
        case .resolve, .connect, .interrupted: return .network
        default: return .other
        }
    }

    /// Pure: what CM's answer means for the intent and the job.
    static func result(_ outcome: CMSendOutcome) -> Result {
        switch outcome {
        case .accepted(let parts, _): return .accepted(parts: parts)
        case .retry(let reason): return .retry(reason: reason)
        case .rejected(let reason, _): return .rejected(reason: reason)
        case .permanentFailure(let reason, _, let loud): return loud ? .failed(reason: reason) : .rejected(reason: reason)
        }
    }

    private static func log(_ result: Result, outcome: CMSendOutcome, intent: OutboundStore.Intent, id: Int64,
                            logger: Logger) {
        var metadata: Logger.Metadata = [
            "outbound.id": "\(id)", "outbound.reference": "\(intent.reference)", "cm.channel": "\(intent.channel)",
            "outbound.origin": "\(intent.origin)",
        ]
        if let code = outcome.code { metadata["cm.error_code"] = "\(code)" }
        switch result {
        case .accepted:
            logger.info("message accepted by CM", metadata: metadata)
        case .rejected(let reason):
            metadata["cm.reason"] = "\(reason)"
            logger.warning("message rejected by CM", metadata: metadata)
        case .retry(let reason):
            metadata["cm.reason"] = "\(reason)"
            logger.warning("message not sent; will retry", metadata: metadata)
        case .skipped:
            break
        case .failed(let reason):
            metadata["cm.reason"] = "\(reason)"
            logger.error("CM refused the account or token: fix the [cm] settings, then `moctl jobs retry --discarded`",
                         metadata: metadata)
        }
    }
}
