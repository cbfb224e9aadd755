import CCurl

extension CurlEasy {
    /// Sets every option for one request on a freshly reset handle. Returns the first failing CURLcode, or nil.
    /// `body`, `headers` and `userdata` must stay valid until the transfer ends (libcurl does not copy them).
    func configure(_ request: HTTPClientRequest, body: UnsafeRawPointer, bodyCount: Int, headers: HeaderList,
                   userdata: UnsafeMutableRawPointer) -> CURLcode? {
        var options = OptionWriter(handle: handle)

        // Behaviour for every request: no signals (threads), no proxy from the environment (the address filter
        // must see the real server), our User-Agent.
        options.set(CURLOPT_NOSIGNAL, 1)
        options.set(CURLOPT_PROXY, "")
        options.set(CURLOPT_USERAGENT, "mo-receiver")
        options.set(CURLOPT_ERRORBUFFER, pointer: errorBuffer)

        options.set(CURLOPT_URL, request.url)
        let schemes = request.allowedProtocols.joined(separator: ",")
        options.set(CURLOPT_PROTOCOLS_STR, schemes)
        options.set(CURLOPT_REDIR_PROTOCOLS_STR, schemes)
        options.set(CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2)
        options.set(CURLOPT_SSL_VERIFYPEER, 1)
        options.set(CURLOPT_SSL_VERIFYHOST, 2)

        options.set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout))
        options.set(CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout))
        if let lowSpeed = request.lowSpeed {
            options.set(CURLOPT_LOW_SPEED_LIMIT, lowSpeed.bytesPerSecond)
            options.set(CURLOPT_LOW_SPEED_TIME, lowSpeed.seconds)
        }
        // Refuses a declared Content-Length above the limit before the body is read. 0 means "no limit" to
        // libcurl; the write callback enforces every limit, 0 included, while the body streams. Not for HEAD:
        // libcurl 7.88 would refuse the length of a body that is never sent.
        if request.method != "HEAD" {
            options.set(CURLOPT_MAXFILESIZE_LARGE, offset: request.maxResponseBytes)
        }
        options.set(CURLOPT_FOLLOWLOCATION, request.maxRedirects > 0 ? 1 : 0)
        options.set(CURLOPT_MAXREDIRS, request.maxRedirects)

        setMethod(request, body: body, bodyCount: bodyCount, on: &options)
        options.set(CURLOPT_HTTPHEADER, pointer: headers.pointer)

        options.record(mo_curl_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, writeCallback))
        options.set(CURLOPT_WRITEDATA, pointer: userdata)
        options.record(mo_curl_setopt_write_function(handle, CURLOPT_HEADERFUNCTION, headerCallback))
        options.set(CURLOPT_HEADERDATA, pointer: userdata)
        options.record(mo_curl_setopt_opensocket_function(handle, openSocketCallback))
        options.set(CURLOPT_OPENSOCKETDATA, pointer: userdata)
        options.record(mo_curl_setopt_prereq_function(handle, prereqCallback))
        options.set(CURLOPT_PREREQDATA, pointer: userdata)
        return options.failed
    }

    /// GET and HEAD without a body use libcurl's own modes; POST uses its POST mode, which turns into GET on a
    /// 301/302/303 as browsers do; any other method (or a GET with a body) is sent by name, on every hop.
    private func setMethod(_ request: HTTPClientRequest, body: UnsafeRawPointer, bodyCount: Int,
                           on options: inout OptionWriter) {
        let method = request.method
        let sendsBody = bodyCount > 0 || method == "POST" || method == "PUT" || method == "PATCH"
        switch method {
        case "GET" where !sendsBody:
            options.set(CURLOPT_HTTPGET, 1)
        case "HEAD" where !sendsBody:
            options.set(CURLOPT_NOBODY, 1)
        case "POST":
            options.set(CURLOPT_POST, 1)
        default:
            options.set(CURLOPT_CUSTOMREQUEST, method)
        }
        if sendsBody {
            // The size first, so libcurl does not strlen() the body; POSTFIELDS is not copied.
            options.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: bodyCount)
            options.set(CURLOPT_POSTFIELDS, pointer: body)
        }
    }

    /// A Duration in whole milliseconds, at least 1 (0 would mean "no timeout" to libcurl).
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        guard seconds < Int64(Int.max / 1000 - 1) else { return Int.max / 1000 }
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}

/// Sets options through the shim's typed wrappers and keeps the first failure.
struct OptionWriter {
    let handle: UnsafeMutableRawPointer
    private(set) var failed: CURLcode?

    init(handle: UnsafeMutableRawPointer) {
        self.handle = handle
    }

    mutating func set(_ option: CURLoption, _ value: Int) {
        record(mo_curl_setopt_long(handle, option, value))
    }

    /// A string option; libcurl copies the string.
    mutating func set(_ option: CURLoption, _ value: String) {
        record(value.withCString { mo_curl_setopt_pointer(handle, option, $0) })
    }

    mutating func set(_ option: CURLoption, pointer: UnsafeRawPointer?) {
        record(mo_curl_setopt_pointer(handle, option, pointer))
    }

    mutating func set(_ option: CURLoption, offset: Int) {
        record(mo_curl_setopt_off(handle, option, curl_off_t(offset)))
    }

    mutating func record(_ code: CURLcode) {
        if failed == nil && code != CURLE_OK { failed = code }
    }
}
