import Synchronization

/// The answer half of a request: the slot a responder writes from any thread, read on the connection's thread once
/// the responder resumed it. Not generic, so a responder and `HTTPServer.stop` hold any request alike; the request
/// itself is a ``RequestContext``.
///
/// `answer` is written by a responder on any thread and read on the libmicrohttpd thread that serves the connection
/// after it is resumed.
class RequestAnswer: @unchecked Sendable {
    /// What a responder gave: a response, or the work that builds it.
    enum Answer {
        case ready(HTTPResponse)
        case deferred(@Sendable () -> HTTPResponse)
    }

    let answer = Mutex<Answer?>(nil)

    /// The response, built now if it was deferred (once: the result replaces the work). Called on the thread that
    /// serves the connection, after the responder resumed it.
    func takeResponse() -> HTTPResponse? {
        switch answer.withLock({ $0 }) {
        case nil:
            return nil
        case .ready(let response):
            return response
        case .deferred(let build):
            let built = build()
            answer.withLock { $0 = .ready(built) }
            return built
        }
    }
}

/// Per-request state, created by libmicrohttpd's URI-log callback and released in its request-completed callback
/// (see HTTPServer+Callbacks.swift): the URI and the request's state machine, which keeps the handler's `Accepted`
/// value from the head to the body. One allocation per request, as before the value was kept.
///
/// Everything but the inherited answer slot is touched only on the libmicrohttpd thread that serves the connection.
final class RequestContext<Accepted: Sendable>: RequestAnswer, @unchecked Sendable {
    let uri: String
    var machine = RequestStateMachine<Accepted>()

    init(uri: String) {
        self.uri = uri
    }
}

/// Answers one request from any thread, once. Further calls are ignored.
///
/// Owned by whoever the handler gave it to (e.g. the ingest writer); it keeps the request alive until it answers.
public final class HTTPResponder: Sendable {
    private let request: RequestAnswer
    private let connection: ConnectionHandle
    private let server: HTTPServer

    init(request: RequestAnswer, connection: ConnectionHandle, server: HTTPServer) {
        self.request = request
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

    private func answer(_ answer: RequestAnswer.Answer) {
        let first = request.answer.withLock { slot -> Bool in
            guard slot == nil else { return false }
            slot = answer
            return true
        }
        if first {
            server.resume(connection: connection)
        }
    }

    /// True once a response was given.
    public var hasResponded: Bool {
        request.answer.withLock { $0 != nil }
    }
}

/// A libmicrohttpd connection pointer that may cross threads: libmicrohttpd allows `MHD_resume_connection` from any
/// thread, and a suspended connection stays valid until it is resumed.
struct ConnectionHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}
