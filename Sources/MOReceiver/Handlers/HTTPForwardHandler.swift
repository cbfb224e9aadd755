import Curl
import Digest
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MOStore

/// `type = "http_forward"`: POSTs the event document to a URL, signed with HMAC-SHA256 so the receiver can check
/// that it came from us and is fresh. Settings: `url` (required), `secret_file` (required; readable by the owner
/// only), `timeout_ms` (default 10000), `allow_http` (default false: https only).
///
/// Signature: `X-MO-Signature: sha256=HEX(HMAC-SHA256(secret, TIMESTAMP + "." + BODY))` with
/// `X-MO-Timestamp: TIMESTAMP` (Unix seconds); see docs/queue.md for the receiving side.
/// Outcome: 2xx done; 408, 429 and 5xx, timeouts and network errors retry (honouring `Retry-After` seconds);
/// any other status fails permanently. Shared by the worker threads; each call borrows a curl handle from a pool.
final class HTTPForwardHandler: EventHandler {
    let url: String
    let secret: [UInt8]
    let timeout: Duration
    let protocols: [String]
    let handles = CurlHandlePool()

    init(url: String, secret: [UInt8], timeout: Duration, protocols: [String]) {
        self.url = url
        self.secret = secret
        self.timeout = timeout
        self.protocols = protocols
    }

    static func make(_ spec: HandlerSpec, _ environment: HandlerEnvironment) throws(HandlerSettings.Problem) -> any EventHandler {
        let settings = spec.settings
        try settings.refuseUnknown(known: ["url", "secret_file", "timeout_ms", "allow_http"], type: spec.type)
        let url = try settings.requiredString("url", example: "\"https://crm.example.com/hooks/cm\"")
        let allowHTTP = try settings.bool("allow_http") ?? false
        let scheme = url.prefix { $0 != ":" }.lowercased()
        guard scheme == "https" || (allowHTTP && scheme == "http"), url.contains("://") else {
            throw HandlerSettings.Problem("url", allowHTTP ? "'\(url)' must be an http:// or https:// URL"
                                                            : "'\(url)' must be an https:// URL (allow_http = true permits http://)")
        }
        let secretFile = try settings.requiredString("secret_file", example: "\"/etc/mo-receiver/forward.secret\"")
        let secret: [UInt8]
        do {
            secret = try SecretFile.read(secretFile)
        } catch {
            throw HandlerSettings.Problem("secret_file", error.description)
        }
        let timeout = try settings.int("timeout_ms", in: 100...300_000) ?? 10_000
        return HTTPForwardHandler(url: url, secret: secret, timeout: .milliseconds(timeout),
                                  protocols: allowHTTP ? ["http", "https"] : ["https"])
    }

    func handle(_ event: EventDocument, context: HandlerContext) -> JobResult {
        let body = Array(event.json.utf8)
        let timestamp = String(Int(Date().timeIntervalSince1970))
        let signature = HMACSHA256.authenticationCode(key: secret, message: Array((timestamp + ".").utf8) + body)
        var request = HTTPClientRequest(method: "POST", url: url)
        request.headers = [
            ("Content-Type", "application/json"),
            ("X-MO-Timestamp", timestamp),
            ("X-MO-Signature", "sha256=" + signature.hexString),
            ("X-MO-Event", "\(event.kind.rawValue):\(event.id)"),
            ("X-MO-Job", "\(context.jobID)"),
        ]
        request.body = body
        request.timeout = timeout
        request.connectTimeout = min(timeout, .seconds(5))
        request.maxResponseBytes = 64 * 1024
        request.allowedProtocols = protocols
        let response: HTTPClientResponse
        do {
            response = try handles.with { curl throws(CurlError) in try curl.perform(request) }
        } catch {
            if case .protocolRefused = error.kind { return .discard(reason: "http_forward: \(error)") }
            return .retry(reason: "http_forward: \(error)")
        }
        return Self.outcome(status: response.status, retryAfter: response.value(of: "Retry-After"))
    }

    /// Pure: what an HTTP status means for the job.
    static func outcome(status: Int, retryAfter: String?) -> JobResult {
        switch status {
        case 200..<300:
            return .completed
        case 408, 429, 500..<600:
            let delay = retryAfter.flatMap { Int($0.trimmingWhitespace()) }
                .map { Duration.seconds(min(max($0, 1), 3_600)) }
            return .retry(reason: "http_forward: the endpoint answered \(status)", delay: delay)
        default:
            return .discard(reason: "http_forward: the endpoint answered \(status), a permanent refusal")
        }
    }
}
