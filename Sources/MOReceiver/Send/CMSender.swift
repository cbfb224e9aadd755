import CMWebhook
import Curl
import Foundation
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
            }
        }

        /// CM accepted it.
        case accepted(parts: Int?)
        /// CM refused this message for good (the recipient, the content, the channel): recorded, not retried.
        case rejected(reason: String)
        /// Nothing was sent and trying again later may work (network, timeout, CM 5xx).
        case retry(reason: String)
        /// The account or configuration is wrong (token, balance): an operator must act; retried only on request.
        case failed(reason: String)
    }

    /// Sends the intent `id` (committed already) and records the attempt on its row.
    public func send(outboundID id: Int64, on connection: PGConnection, logger: Logger) throws(PGError) -> Result {
        let store = OutboundStore(connection: connection)
        guard let (intent, state) = try store.intent(id: id) else {
            return .failed(reason: "outbound message \(id) does not exist")
        }
        guard state == "intent" else {
            // Answered before (a replayed job): never send twice.
            return state == "accepted" ? .accepted(parts: nil) : .rejected(reason: "already \(state)")
        }
        let message = CMSendMessage(from: intent.sender, to: [intent.recipient], content: intent.body,
                                    reference: intent.reference, allowedChannels: [intent.channel],
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
        case .retry, .failed:
            newState = "intent"   // CM did not take it: a later attempt (retry, or an operator's) may send it
        }
        try store.recordAttempt(id: id, state: newState, errorCode: outcome.code ?? response?.errorCode,
                                details: outcome.reason ?? response?.details, response: responseText, parts: parts)
        Self.log(result, outcome: outcome, intent: intent, id: id, logger: logger)
        metrics?.sends.increment([result.metricName, String(outcome.code ?? response?.errorCode ?? 0)])
        return result
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
        case .failed(let reason):
            metadata["cm.reason"] = "\(reason)"
            logger.error("CM refused the account or token: fix the [cm] settings, then `moctl jobs retry --discarded`",
                         metadata: metadata)
        }
    }
}
