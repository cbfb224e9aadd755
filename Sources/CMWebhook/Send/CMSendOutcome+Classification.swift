extension CMSendOutcome {
    /// The outcome of a request that got no HTTP response.
    ///
    /// `.timeout` and `.network` retry (the rule; a timed-out request may have reached CM, so a retry can
    /// duplicate it). `.tls` and `.other` fail loudly: a certificate, trust store, proxy or client limit does not fix
    /// itself, and retrying only delays the message until it is stale.
    public init(transportFailure: CMSendTransportFailure) {
        switch transportFailure {
        case .timeout:
            self = .retry(reason: "CM did not answer within the timeout")
        case .network:
            self = .retry(reason: "CM could not be reached (network error)")
        case .tls:
            self = .permanentFailure(reason: "the TLS connection to CM failed (handshake or certificate check)",
                                     code: nil, loud: true)
        case .other:
            self = .permanentFailure(reason: "the request to CM failed before an answer", code: nil, loud: true)
        }
    }

    /// Parses `body` (``CMSendResponse/init(json:limits:)``) and classifies it with the status; see
    /// ``init(httpStatus:response:reference:)``.
    public init(httpStatus: Int, body: [UInt8], reference: String) {
        let response: Result<CMSendResponse, CMSendResponseError>
        do {
            response = .success(try CMSendResponse(json: body))
        } catch {
            response = .failure(error)
        }
        self.init(httpStatus: httpStatus, response: response, reference: reference)
    }

    /// The outcome of a request CM (or something in front of it) answered with `httpStatus`; `reference` is our
    /// message's, which finds its entries in `messages[]`.
    ///
    /// In order:
    /// 1. HTTP 5xx, 408 and 429 retry, whatever the body says (seed 001: 500 "Unknown Error").
    /// 2. A body that is not a send response (no JSON, no `errorCode`) fails loudly: at 2xx we cannot tell whether
    ///    CM took the message, and at 4xx something other than CM answered (a proxy, a wrong `send_url`).
    /// 3. Otherwise the top-level `errorCode`, per ``CMSendErrorCode``: 500/999 retry; 101/102/103, 202/203, 301, 305
    ///    fail loudly (HTTP 400 with 101 is the authentication failure of seed 000); 302–304, 401–403 reject; a code
    ///    not in the table fails loudly. 0 and 201 (partial failure: seed 001 sends it with HTTP 200 when some
    ///    messages were accepted and with 400 when none were) look at our own entries:
    ///    - Ours are the entries whose `reference` equals `reference`; failing that, a lone entry without a
    ///      reference. None: accepted when `errorCode` is 0 at 2xx, else a quiet permanent failure (CM did not
    ///      say what became of it).
    ///    - All ours Accepted: accepted, `parts` summed.
    ///    - The first one not Accepted decides: Rejected with its `messageErrorCode` classified by the table as above
    ///      (a missing or 0 code, as in older responses, is a plain rejection; a code not in the table is a
    ///      rejection too); any other status is a quiet permanent failure.
    public init(httpStatus: Int, response: Result<CMSendResponse, CMSendResponseError>, reference: String) {
        if (500...599).contains(httpStatus) || httpStatus == 408 || httpStatus == 429 {
            var reason = "CM answered HTTP \(httpStatus)"
            if case .success(let parsed) = response, let row = CMSendErrorCode.lookup(parsed.errorCode), row.code != 0 {
                reason += " (\(row.summary))"
            }
            self = .retry(reason: reason)
            return
        }
        let parsed: CMSendResponse
        switch response {
        case .failure(let error):
            let what = (200...299).contains(httpStatus) ? "but the body is not a send response"
                                                        : "and the body is not a send response"
            self = .permanentFailure(reason: "CM answered HTTP \(httpStatus) \(what): \(error)", code: nil, loud: true)
            return
        case .success(let value):
            parsed = value
        }

        guard let row = CMSendErrorCode.lookup(parsed.errorCode) else {
            self = .permanentFailure(reason: "CM error \(parsed.errorCode), which CM's error table does not list "
                                     + "(HTTP \(httpStatus))", code: parsed.errorCode, loud: true)
            return
        }
        switch row.handling {
        case .retry:
            self = .retry(reason: row.summary)
        case .failLoudly:
            self = .permanentFailure(reason: row.summary, code: row.code, loud: true)
        case .reject:
            self = .rejected(reason: row.summary, code: row.code)
        case .ok, .perMessage:
            self = Self.ours(in: parsed, row: row, httpStatus: httpStatus, reference: reference)
        }
    }

    /// Our entries' verdict (rule 3 above).
    private static func ours(in response: CMSendResponse, row: CMSendErrorCode, httpStatus: Int,
                             reference: String) -> CMSendOutcome {
        var entries = response.messages.filter { $0.reference == reference }
        if entries.isEmpty, response.messages.count == 1, response.messages[0].reference == nil {
            entries = response.messages
        }
        guard !entries.isEmpty else {
            if row.handling == .ok && (200...299).contains(httpStatus) {
                return .accepted(parts: nil, details: response.details)
            }
            return .permanentFailure(reason: "\(row.summary), and the response has no result for this message "
                                     + "(HTTP \(httpStatus))", code: row.code, loud: false)
        }
        guard let first = entries.first(where: { $0.status != .accepted }) else {
            let parts = entries.compactMap(\.parts)
            return .accepted(parts: parts.isEmpty ? nil : parts.reduce(0, +), details: response.details)
        }
        guard first.status == .rejected else {
            return .permanentFailure(reason: "CM gave this message a status other than Accepted or Rejected "
                                     + "(HTTP \(httpStatus), CM error \(row.code))", code: row.code, loud: false)
        }
        return rejection(code: first.messageErrorCode)
    }

    /// A Rejected entry, by its `messageErrorCode`.
    private static func rejection(code: Int?) -> CMSendOutcome {
        guard let code, code != 0 else {
            return .rejected(reason: "CM rejected the message without an error code", code: nil)
        }
        guard let row = CMSendErrorCode.lookup(code) else {
            return .rejected(reason: "CM rejected the message with error \(code), which CM's error table does not list",
                             code: code)
        }
        let reason = "CM rejected the message: \(row.summary)"
        switch row.handling {
        case .retry: return .retry(reason: reason)
        case .failLoudly: return .permanentFailure(reason: reason, code: code, loud: true)
        case .reject, .ok, .perMessage: return .rejected(reason: reason, code: code)
        }
    }
}
