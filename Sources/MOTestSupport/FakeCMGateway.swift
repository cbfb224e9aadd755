import Foundation
import Synchronization

/// A fake of CM's send endpoint (`POST /v1.0/message`, seeds 000/001) on 127.0.0.1, built on ``FakeHTTPServer``:
/// it records every request and answers as its ``Mode`` says. Its parsing uses Foundation's JSONSerialization, not
/// the daemon's own JSON code, so a test that goes through it checks our encoder against an independent reader.
///
/// Owned by the test that made it; usable from any thread (answers run on the server's connection threads).
/// `stop()` (or `deinit`) closes every connection, which also ends a `.timeout` hold.
public final class FakeCMGateway: Sendable {
    /// How the gateway answers a well-formed request.
    public indirect enum Mode: Sendable, Equatable {
        /// HTTP 200, `errorCode` 0, "Created N message(s)", every recipient of every msg Accepted with parts 1.
        case accepted
        /// `errorCode` 201: the first msg's recipients (ours) Rejected with this code and details, parts 0; the
        /// others Accepted. HTTP 200 when some were accepted, 400 when none were (seed 001's two examples).
        case partialFailure(messageErrorCode: Int = 304, messageDetails: String = "A body without content was found")
        /// HTTP 400, `errorCode` 101, "No account found for the given authentication", no messages (seed 000).
        case authenticationFailure
        /// HTTP 500, `errorCode` 999, "Unknown Error" (seed 001's HTTP table).
        case serverError
        /// Reads the request and never answers (until ``stop()``).
        case timeout
        /// Answers as `mode` after a pause.
        case delayed(milliseconds: Int, Mode)
        /// Answers exactly this status and body (with a JSON content type).
        case custom(status: Int, body: String)
    }

    /// One `msg` as the gateway read it. Absent fields are `nil` or empty.
    public struct Message: Sendable, Equatable {
        public var from: String?
        public var to: [String]
        public var content: String?
        public var bodyType: String?
        public var reference: String?
        public var allowedChannels: [String]
        public var customGrouping3: String?

        public init(from: String? = nil, to: [String] = [], content: String? = nil, bodyType: String? = nil,
                    reference: String? = nil, allowedChannels: [String] = [], customGrouping3: String? = nil) {
            self.from = from
            self.to = to
            self.content = content
            self.bodyType = bodyType
            self.reference = reference
            self.allowedChannels = allowedChannels
            self.customGrouping3 = customGrouping3
        }
    }

    /// One request as received, and what was read from it.
    public struct Request: Sendable {
        /// The request as the HTTP server read it (method, path, headers, raw body, arrival time).
        public let http: FakeRequest
        /// `X-CM-PRODUCTTOKEN` (any case), when sent.
        public let productTokenHeader: String?
        /// `messages.authentication.productToken` (keys in any case), when sent.
        public let productTokenInBody: String?
        /// The messages read from `messages.msg`; empty when the body could not be read (see `parseProblem`).
        public let messages: [Message]
        /// Why the body could not be read as a send request; `nil` when it could.
        public let parseProblem: String?

        public var headers: [(name: String, value: String)] { http.headers }
        public var body: [UInt8] { http.body }
        /// The token the gateway authenticates with: the header's, else the body's.
        public var productToken: String? { productTokenHeader ?? productTokenInBody }
    }

    /// The path CM serves the send API on.
    public static let path = "/v1.0/message"

    private let server: FakeHTTPServer
    private let state: GatewayState

    /// Listens at once. With `productToken`, a request carrying another token (or none) gets the authentication
    /// failure whatever the mode; without, any token is accepted. `readsTokenHeader` false plays an endpoint other
    /// than CM's Cloudflare one (seed 000: the header "currently only works in Europe, using our Cloudflare
    /// endpoint"): only the body's token counts.
    public init(mode: Mode = .accepted, productToken: String? = nil,
                readsTokenHeader: Bool = true) throws(FakeHTTPServerError) {
        let state = GatewayState(mode: mode, productToken: productToken, readsTokenHeader: readsTokenHeader)
        self.state = state
        server = try FakeHTTPServer { request in state.answer(request) }
    }

    deinit {
        server.stop()
    }

    /// The send URL: "http://127.0.0.1:PORT/v1.0/message".
    public var url: String { server.url + Self.path }

    /// How requests arriving from now on are answered.
    public var mode: Mode {
        get { state.mode.withLock { $0 } }
        set { state.mode.withLock { $0 = newValue } }
    }

    /// Every request received so far, in arrival order.
    public var requests: [Request] { server.requests.map(Self.read) }

    /// Waits until at least `count` requests arrived or `timeout` passed, and returns what arrived.
    public func waitForRequests(count: Int, timeout: Duration = .seconds(5)) -> [Request] {
        server.waitForRequests(count, timeout: timeout).map(Self.read)
    }

    /// Closes every connection and joins the server's threads. Safe to call more than once.
    public func stop() {
        server.stop()
    }

    // MARK: Reading requests

    private static func read(_ http: FakeRequest) -> Request {
        let header = http.value(of: "X-CM-PRODUCTTOKEN")
        switch SendBody.read(http.body) {
        case .success(let body):
            return Request(http: http, productTokenHeader: header, productTokenInBody: body.token,
                           messages: body.messages, parseProblem: nil)
        case .failure(let problem):
            return Request(http: http, productTokenHeader: header, productTokenInBody: nil, messages: [],
                           parseProblem: problem.text)
        }
    }
}

/// The gateway's settings, shared with the server's handler.
private final class GatewayState: Sendable {
    let mode: Mutex<FakeCMGateway.Mode>
    let productToken: String?
    let readsTokenHeader: Bool

    init(mode: FakeCMGateway.Mode, productToken: String?, readsTokenHeader: Bool) {
        self.mode = Mutex(mode)
        self.productToken = productToken
        self.readsTokenHeader = readsTokenHeader
    }

    func answer(_ request: FakeRequest) -> FakeResponse {
        guard request.path == FakeCMGateway.path else { return .status(404) }
        guard request.method == "POST" else { return .status(405) }
        return answer(request, mode: mode.withLock { $0 })
    }

    private func answer(_ request: FakeRequest, mode: FakeCMGateway.Mode) -> FakeResponse {
        switch mode {
        case .timeout:
            return .neverAnswer
        case .delayed(let milliseconds, let inner):
            return answer(request, mode: inner).delayed(milliseconds: milliseconds)
        case .custom(let status, let body):
            return json(status, body: body)
        case .serverError:
            return json(500, ["details": "Unknown Error", "errorCode": 999, "messages": [Any]()])
        case .authenticationFailure:
            return authenticationFailure
        case .accepted, .partialFailure:
            break
        }
        let body: SendBody
        switch SendBody.read(request.body) {
        case .success(let read):
            body = read
        case .failure(let problem):
            return json(400, ["details": problem.details, "errorCode": problem.errorCode, "messages": [Any]()])
        }
        let header = readsTokenHeader ? request.value(of: "X-CM-PRODUCTTOKEN") : nil
        if let productToken, (header ?? body.token) != productToken {
            return authenticationFailure
        }

        var entries: [[String: Any]] = []
        var accepted = 0
        for (index, message) in body.messages.enumerated() {
            let rejected: (code: Int, details: String)?
            if index == 0, case .partialFailure(let code, let details) = mode {
                rejected = (code, details)
            } else {
                rejected = nil
            }
            for number in message.to {
                entries.append([
                    "to": number,
                    "status": rejected == nil ? "Accepted" : "Rejected",
                    "reference": message.reference.map { $0 as Any } ?? NSNull(),
                    "parts": rejected == nil ? 1 : 0,
                    "messageDetails": rejected.map { $0.details as Any } ?? NSNull(),
                    "messageErrorCode": rejected?.code ?? 0,
                ])
                if rejected == nil { accepted += 1 }
            }
        }
        let partial = if case .partialFailure = mode { true } else { false }
        let status = partial && accepted == 0 ? 400 : 200
        return json(status, ["details": "Created \(accepted) message(s)", "errorCode": partial ? 201 : 0,
                             "messages": entries])
    }

    private var authenticationFailure: FakeResponse {
        json(400, ["details": "No account found for the given authentication", "errorCode": 101, "messages": [Any]()])
    }

    private func json(_ status: Int, _ object: [String: Any]) -> FakeResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        return json(status, body: String(decoding: data, as: UTF8.self))
    }

    private func json(_ status: Int, body: String) -> FakeResponse {
        .status(status, headers: [("Content-Type", "application/json; charset=utf-8")], body: body)
    }
}

/// A send request body as JSONSerialization reads it, keys matched ignoring case as CM does.
private struct SendBody {
    struct Problem: Error {
        let text: String
        /// What CM would answer: 202 for JSON it cannot read, 203 for a missing or empty msg array.
        let errorCode: Int
        let details: String
    }

    var token: String?
    var messages: [FakeCMGateway.Message]

    static func read(_ bytes: [UInt8]) -> Result<SendBody, Problem> {
        guard let root = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else {
            return .failure(Problem(text: "the body is not a JSON object", errorCode: 202, details: "Invalid JSON"))
        }
        guard let envelope = member(root, "messages") as? [String: Any],
              let list = member(envelope, "msg") as? [Any], !list.isEmpty else {
            return .failure(Problem(text: "the body has no messages.msg array", errorCode: 203,
                                    details: "A MESSAGES object requires at least one MSG object"))
        }
        let authentication = member(envelope, "authentication") as? [String: Any]
        var messages: [FakeCMGateway.Message] = []
        for entry in list {
            guard let msg = entry as? [String: Any] else {
                return .failure(Problem(text: "a msg entry is not an object", errorCode: 203,
                                        details: "A MESSAGES object requires at least one MSG object"))
            }
            let recipients = (member(msg, "to") as? [Any] ?? []).compactMap { recipient in
                (recipient as? [String: Any]).flatMap { member($0, "number") as? String }
            }
            let body = member(msg, "body") as? [String: Any]
            messages.append(FakeCMGateway.Message(
                from: member(msg, "from") as? String,
                to: recipients,
                content: body.flatMap { member($0, "content") as? String },
                bodyType: body.flatMap { member($0, "type") as? String },
                reference: member(msg, "reference") as? String,
                allowedChannels: member(msg, "allowedChannels") as? [String] ?? [],
                customGrouping3: member(msg, "customGrouping3") as? String
            ))
        }
        return .success(SendBody(token: authentication.flatMap { member($0, "productToken") as? String },
                                 messages: messages))
    }

    /// The value of the first key equal to `key` ignoring case.
    private static func member(_ object: [String: Any], _ key: String) -> Any? {
        if let exact = object[key] { return exact }
        let lowered = key.lowercased()
        return object.first { $0.key.lowercased() == lowered }?.value
    }
}
