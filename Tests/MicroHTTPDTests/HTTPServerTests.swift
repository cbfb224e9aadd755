import Foundation
import MicroHTTPD
import MOTestSupport
import Synchronization
import Testing

/// The libmicrohttpd wrapper alone, over real sockets: what the handler answers is what the client reads.
@Suite("HTTPServer")
struct HTTPServerTests {
    @Test("on port 0: an answer from the head, the body handed to the handler, and a body over the limit refused")
    func answersWhatTheHandlerSays() throws {
        let handler = EchoHandler()
        let server = try startedServer(handler)
        defer { server.stop() }
        #expect(server.boundPort != 0)

        let echoed = try RawHTTPClient.post(port: server.boundPort, path: "/echo", body: Array("hello".utf8))
        #expect(echoed.status == 200)
        #expect(echoed.body == "POST /echo hello")
        #expect(echoed.headers["content-type"] == "text/plain")

        let early = try RawHTTPClient.get(port: server.boundPort, path: "/early")
        #expect(early.status == 403)
        #expect(early.body == "answered from the head")

        let large = try RawHTTPClient.post(port: server.boundPort, path: "/echo", body: Array(repeating: 0x61, count: 100))
        #expect(large.status == 413)
        #expect(large.body == "over 16")
    }

    @Test("stop answers a request still waiting for its responder with the handler's shutdown response")
    func stopAnswersTheWaiting() throws {
        let handler = EchoHandler()
        let server = try startedServer(handler)
        let reply = Locked<Result<HTTPReply, any Error>?>(nil)
        let port = server.boundPort
        Thread {
            let result = Result { try RawHTTPClient.post(port: port, path: "/park", body: Array("wait".utf8)) }
            reply.update { $0 = result }
        }.start()
        #expect(eventually(timeout: .seconds(5)) { handler.parked.withLock { $0.count } == 1 })
        server.stop(grace: .milliseconds(100))
        #expect(eventually(timeout: .seconds(5)) { reply.value != nil })
        let answered = try #require(try reply.value?.get())
        #expect(answered.status == 503)
        #expect(answered.headers["retry-after"] == "7")
        #expect(answered.body == "the handler's own words")
    }

    private func startedServer(_ handler: EchoHandler) throws -> HTTPServer {
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, threads: 1),
                                handler: handler, errorLog: { _ in })
        try server.start()
        return server
    }
}

/// Answers `/early` from the head, parks the responder of `/park`, and echoes any other request's method, path and
/// body; bodies over 16 bytes are refused.
private final class EchoHandler: HTTPHandler {
    /// Responders of `/park` requests, never answered by the handler.
    let parked = Mutex<[HTTPResponder]>([])

    func head(_ head: RequestHead) -> HeadDecision<Void> {
        if head.path == "/early" {
            return .respond(HTTPResponse(status: 403, body: Array("answered from the head".utf8)))
        }
        return .readBody(maxBytes: 16, accepted: ())
    }

    func bodyTooLarge(_ head: RequestHead, accepted: Void, limit: Int) -> HTTPResponse {
        HTTPResponse(status: 413, body: Array("over \(limit)".utf8))
    }

    func request(_ head: RequestHead, accepted: Void, body: [UInt8], responder: HTTPResponder) {
        if head.path == "/park" {
            parked.withLock { $0.append(responder) }
            return
        }
        responder.respond(HTTPResponse(status: 200, headers: [("Content-Type", "text/plain")],
                                       body: Array("\(head.method) \(head.path) ".utf8) + body))
    }

    var shutdownResponse: HTTPResponse {
        HTTPResponse(status: 503, headers: [("Retry-After", "7")], body: Array("the handler's own words".utf8))
    }
}
