import CCurl

/// `curl_global_init`, run once per process before the first easy handle: Swift initializes a global exactly
/// once, under a lock, on first use. Never cleaned up (the process owns it until exit).
private let globalInitResult: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

enum CurlGlobal {
    static func ensureInitialized() throws(CurlError) {
        let code = globalInitResult
        guard code == CURLE_OK else {
            throw CurlError(kind: .other, code: Int32(code.rawValue),
                            message: "curl_global_init failed: \(String(cString: curl_easy_strerror(code)))")
        }
    }
}
