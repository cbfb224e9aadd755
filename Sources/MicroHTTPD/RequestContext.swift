import Synchronization

/// Per-request state, created by libmicrohttpd's URI-log callback and released in its request-completed callback
/// (see HTTPServer+Callbacks.swift).
///
/// Everything but `response` is touched only on the libmicrohttpd thread that serves the connection; `response` is
/// written by a responder on any thread and read on that thread after the connection is resumed.
final class RequestContext: @unchecked Sendable {
    enum Phase {
        case new
        case readingBody
        case waitingForResponse
        /// Answered from the head alone, but the request has no body: queue on the final call so the connection
        /// stays open (libmicrohttpd 0.9.75 closes a connection whose response is queued on the first call).
        case answerAtEnd(HTTPResponse)
    }

    let uri: String
    var phase = Phase.new
    var head: RequestHead?
    var body: [UInt8] = []
    var limit = 0
    var received = 0
    var overflowed = false
    /// Set once the connection was handed to a responder and suspended.
    var suspended = false

    /// What a responder gave: a response, or the work that builds it.
    enum Answer {
        case ready(HTTPResponse)
        case deferred(@Sendable () -> HTTPResponse)
    }

    let response = Mutex<Answer?>(nil)

    init(uri: String) {
        self.uri = uri
    }

    /// The response, built now if it was deferred (once: the result replaces the work). Called on the thread that
    /// serves the connection, after the responder resumed it.
    func takeResponse() -> HTTPResponse? {
        switch response.withLock({ $0 }) {
        case nil:
            return nil
        case .ready(let response):
            return response
        case .deferred(let build):
            let built = build()
            response.withLock { $0 = .ready(built) }
            return built
        }
    }
}

/// Answers one request from any thread, once. Further calls are ignored.
///
/// Owned by whoever the handler gave it to (e.g. the ingest writer); it keeps the request alive until it answers.
public final class HTTPResponder: Sendable {
    private let context: RequestContext
    private let connection: ConnectionHandle
    private let server: HTTPServer

    init(context: RequestContext, connection: ConnectionHandle, server: HTTPServer) {
        self.context = context
        self.connection = connection
        self.server = server
    }

    /// Sends `response`; the first call wins.
    public func respond(_ response: HTTPResponse) {
        answer(.ready(response))
    }

    /// Sends the response `build` returns, built on the listener thread that serves the connection rather than
    /// on the caller's: a writer answering a whole batch hands each request back at once and goes on with the
    /// next batch, and the replies, metrics and log lines are made in parallel. `build` runs exactly once, also
    /// when the client went away before its answer could be sent. The first call of either kind wins.
    public func respond(building build: @escaping @Sendable () -> HTTPResponse) {
        answer(.deferred(build))
    }

    private func answer(_ answer: RequestContext.Answer) {
        let first = context.response.withLock { slot -> Bool in
            guard slot == nil else { return false }
            slot = answer
            return true
        }
        if first {
            server.resume(context: context, connection: connection)
        }
    }

    /// True once a response was given.
    public var hasResponded: Bool {
        context.response.withLock { $0 != nil }
    }
}

/// A libmicrohttpd connection pointer that may cross threads: libmicrohttpd allows `MHD_resume_connection` from any
/// thread, and a suspended connection stays valid until it is resumed.
struct ConnectionHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}
