import CCurl

extension CurlError {
    /// The one mapping from a failed `curl_easy_perform` to a kind. `stop` is what our own callbacks decided, which
    /// libcurl only reports as a write error, a connect failure or an aborted callback. `unanswered` (a request
    /// went out, no status line came back) tells a reply that is not HTTP, which libcurl 7.88 reports as
    /// "unsupported protocol" (HTTP/0.9), from a refused URL scheme.
    init(code: CURLcode, stop: TransferStop?, unanswered: Bool, detail: String) {
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        let kind: Kind
        switch (code, stop) {
        case (CURLE_COULDNT_CONNECT, .addressRefused(let address)),
             (CURLE_ABORTED_BY_CALLBACK, .addressRefused(let address)):
            kind = .addressRefused(address)
        case (CURLE_WRITE_ERROR, .tooLarge), (CURLE_FILESIZE_EXCEEDED, _):
            kind = .tooLarge
        case (CURLE_WRITE_ERROR, .aborted):
            kind = .aborted
        case (CURLE_OPERATION_TIMEDOUT, _):
            kind = .timeout
        case (CURLE_COULDNT_RESOLVE_HOST, _), (CURLE_COULDNT_RESOLVE_PROXY, _):
            kind = .resolve
        case (CURLE_COULDNT_CONNECT, _):
            kind = .connect
        case (CURLE_UNSUPPORTED_PROTOCOL, _):
            kind = unanswered ? .malformedResponse : .protocolRefused
        case (CURLE_TOO_MANY_REDIRECTS, _):
            kind = .tooManyRedirects
        case (CURLE_RECV_ERROR, _), (CURLE_SEND_ERROR, _), (CURLE_PARTIAL_FILE, _), (CURLE_GOT_NOTHING, _),
             (CURLE_HTTP2, _), (CURLE_HTTP2_STREAM, _):
            kind = .interrupted
        case (CURLE_WEIRD_SERVER_REPLY, _), (CURLE_BAD_CONTENT_ENCODING, _), (CURLE_HTTP3, _):
            kind = .malformedResponse
        case (CURLE_URL_MALFORMAT, _), (CURLE_BAD_FUNCTION_ARGUMENT, _):
            kind = .invalidRequest
        case (CURLE_SSL_CONNECT_ERROR, _), (CURLE_PEER_FAILED_VERIFICATION, _), (CURLE_SSL_CERTPROBLEM, _),
             (CURLE_SSL_CIPHER, _), (CURLE_SSL_CACERT_BADFILE, _), (CURLE_SSL_ISSUER_ERROR, _),
             (CURLE_SSL_PINNEDPUBKEYNOTMATCH, _), (CURLE_SSL_INVALIDCERTSTATUS, _), (CURLE_SSL_CRL_BADFILE, _),
             (CURLE_SSL_SHUTDOWN_FAILED, _), (CURLE_SSL_ENGINE_NOTFOUND, _), (CURLE_SSL_ENGINE_SETFAILED, _),
             (CURLE_SSL_ENGINE_INITFAILED, _), (CURLE_SSL_CLIENTCERT, _), (CURLE_USE_SSL_FAILED, _):
            kind = .tls
        default:
            kind = .other
        }
        self.init(kind: kind, code: Int32(code.rawValue), message: message)
    }
}
