import CCurl

/// One libcurl easy handle. Owns the `CURL` handle and cleans it up in `deinit`.
///
/// Used by one thread at a time (a worker's own thread; `perform` blocks, so keep it off Swift's cooperative
/// pool); deliberately not `Sendable`. Reusing it keeps libcurl's live connections, DNS cache and TLS sessions.
public final class CurlEasy {
    let handle: UnsafeMutableRawPointer
    /// CURLOPT_ERRORBUFFER storage, owned with the handle.
    let errorBuffer: UnsafeMutablePointer<CChar>

    public init() throws(CurlError) {
        try CurlGlobal.ensureInitialized()
        guard let handle = curl_easy_init() else {
            throw CurlError(kind: .other, code: Int32(CURLE_FAILED_INIT.rawValue), message: "curl_easy_init returned no handle")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Performs one request and returns the final response, whatever its status.
    ///
    /// - Parameters:
    ///   - sink: when given, receives the body in chunks, in order, instead of it being collected in `body`
    ///     (`maxResponseBytes` still applies). Return false to stop: `perform` throws `.aborted`.
    ///   - addressFilter: when given, asked with the numeric address ("127.0.0.1", "::1") and port before every
    ///     new connection (CURLOPT_OPENSOCKETFUNCTION), and again before every further request: each redirect hop,
    ///     and a first request that reuses a connection left open by an earlier call (CURLOPT_PREREQFUNCTION).
    ///     False refuses it: nothing is sent to that address and `perform` throws `.addressRefused(address)`.
    ///     Checking the address actually connected to, not the host name, defeats DNS rebinding.
    public func perform(_ request: HTTPClientRequest, sink: ((UnsafeRawBufferPointer) -> Bool)? = nil,
                        addressFilter: ((String, Int) -> Bool)? = nil) throws(CurlError) -> HTTPClientResponse {
        try request.validate()
        let headers = HeaderList()
        for line in request.headerLines where !headers.append(line) {
            throw CurlError(kind: .other, code: Int32(CURLE_OUT_OF_MEMORY.rawValue), message: "could not build the header list")
        }
        let context = TransferContext(sink: sink, addressFilter: addressFilter, maxBytes: request.maxResponseBytes)
        // Every pointer set below (context, body, header list, error buffer) is dropped by this reset before
        // its owner goes out of scope; live connections survive it.
        defer { curl_easy_reset(handle) }
        errorBuffer[0] = 0

        let code: CURLcode = withExtendedLifetime(context) {
            withBody(request.body) { body, count in
                let userdata = Unmanaged.passUnretained(context).toOpaque()
                if let failed = configure(request, body: body, bodyCount: count, headers: headers, userdata: userdata) {
                    return failed
                }
                return curl_easy_perform(handle)
            }
        }
        guard code == CURLE_OK else {
            throw CurlError(code: code, stop: context.stop, unanswered: context.requestWentUnanswered,
                            detail: String(cString: errorBuffer))
        }
        return HTTPClientResponse(status: info(CURLINFO_RESPONSE_CODE), headers: context.headers, body: context.body,
                                  effectiveURL: info(CURLINFO_EFFECTIVE_URL), primaryIP: info(CURLINFO_PRIMARY_IP),
                                  redirects: info(CURLINFO_REDIRECT_COUNT))
    }

    // MARK: - Internals

    /// Calls `body` with a pointer to the request body that stays valid for the call; an empty body gets a
    /// pointer to a zero byte (libcurl would otherwise read the upload from stdin).
    private func withBody<R>(_ bytes: [UInt8], _ body: (UnsafeRawPointer, Int) -> R) -> R {
        if bytes.isEmpty {
            var zero: UInt8 = 0
            return withUnsafeBytes(of: &zero) { body($0.baseAddress!, 0) }
        }
        return bytes.withUnsafeBytes { body($0.baseAddress!, $0.count) }
    }

    private func info(_ item: CURLINFO) -> Int {
        var value = 0
        return mo_curl_getinfo_long(handle, item, &value) == CURLE_OK ? value : 0
    }

    private func info(_ item: CURLINFO) -> String {
        var value: UnsafeMutablePointer<CChar>?
        guard mo_curl_getinfo_string(handle, item, &value) == CURLE_OK, let value else { return "" }
        return String(cString: value)
    }
}
