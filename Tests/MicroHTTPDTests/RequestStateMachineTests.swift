@testable import MicroHTTPD
import Testing

/// The request lifecycle without a socket: each libmicrohttpd call is an event, and the action is what the C
/// callbacks would do. `Admitted` stands for a handler's value from the head (the webhook listener's endpoint and
/// allowed client).
@Suite("RequestStateMachine")
struct RequestStateMachineTests {
    typealias Machine = RequestStateMachine<Admitted>

    struct Admitted: Equatable, Sendable {
        let endpoint: String
        let client: String
    }

    static let admitted = Admitted(endpoint: "mo", client: "203.0.113.9")

    @Test("a head let through reads the body and hands it over with the head's value unchanged, then sends the answer")
    func deliversBodyWithHeadValue() {
        var machine = Machine()
        let head = Self.head(contentLength: 11, id: 42)
        #expect(machine.phase == .awaitingHead)
        #expect(step(machine.headReceived(head, decision: .readBody(maxBytes: 16, accepted: Self.admitted))) == .proceed)
        #expect(machine.phase == .receivingBody)
        #expect(step(machine.bodyReceived("hello ")) == .proceed)
        #expect(step(machine.bodyReceived("world")) == .proceed)
        #expect(!machine.isAwaitingAnswer)
        #expect(step(machine.bodyComplete()) == .deliver(headID: 42, accepted: Self.admitted, body: "hello world"))
        #expect(machine.phase == .awaitingAnswer)
        #expect(machine.isAwaitingAnswer)
        #expect(step(machine.resumed()) == .sendAnswer)
        #expect(machine.phase == .responded)
        #expect(step(machine.requestCompleted()) == .proceed)
        #expect(machine.phase == .responded)
    }

    @Test("a request without a body is handed over empty, and a body exactly at the limit whole",
          arguments: ["", "0123456789abcdef"])
    func deliversUpToTheLimit(body: String) {
        var machine = Machine()
        _ = machine.headReceived(Self.head(contentLength: body.utf8.count),
                                 decision: .readBody(maxBytes: 16, accepted: Self.admitted))
        if !body.isEmpty {
            #expect(step(machine.bodyReceived(body)) == .proceed)
        }
        #expect(step(machine.bodyComplete()) == .deliver(headID: 7, accepted: Self.admitted, body: body))
    }

    @Test("a refusal at the head without a body pending is sent on the next call, so the connection stays open")
    func refusalWithoutBodyWaitsForNextCall() {
        var machine = Machine()
        #expect(step(machine.headReceived(Self.head(contentLength: nil), decision: .respond(Self.forbidden))) == .proceed)
        #expect(machine.phase == .refusingAtEnd)
        // Whatever arrives anyway is dropped.
        #expect(step(machine.bodyReceived("stray")) == .proceed)
        #expect(step(machine.bodyComplete()) == .send(status: 403))
        #expect(machine.phase == .refused)
        #expect(step(machine.requestCompleted()) == .proceed)
        #expect(machine.phase == .refused)
    }

    @Test("a refusal at the head with a body pending is sent at once and never reaches the body path",
          arguments: [RequestStateMachineTests.head(contentLength: 5),
                       RequestStateMachineTests.head(contentLength: nil, headers: [("Transfer-Encoding", "chunked")])])
    func refusalWithBodyNeverDelivers(head: RequestHead) {
        var machine = Machine()
        #expect(step(machine.headReceived(head, decision: .respond(Self.forbidden))) == .send(status: 403))
        #expect(machine.phase == .refused)
        #expect(step(machine.bodyReceived("12345")) == .close)
        #expect(step(machine.bodyComplete()) == .close)
        #expect(step(machine.resumed()) == .close)
        #expect(machine.phase == .refused)
    }

    @Test("a body over the limit is dropped and answered by bodyTooLarge with the head's value")
    func bodyOverLimit() {
        var machine = Machine()
        let head = Self.head(contentLength: nil, headers: [("Transfer-Encoding", "chunked")], id: 9)
        _ = machine.headReceived(head, decision: .readBody(maxBytes: 4, accepted: Self.admitted))
        #expect(step(machine.bodyReceived("abc")) == .proceed)
        #expect(machine.phase == .receivingBody)
        #expect(step(machine.bodyReceived("de")) == .proceed)
        #expect(machine.phase == .overLimit)
        #expect(step(machine.bodyReceived("more")) == .proceed)
        #expect(step(machine.bodyComplete()) == .sendTooLarge(headID: 9, accepted: Self.admitted, limit: 4))
        #expect(machine.phase == .tooLarge)
    }

    @Test("a body that runs on far past its limit is cut off: four times the limit and a MiB is the most read")
    func bodyFarPastLimitIsCut() {
        let limit = 4
        let most = limit * 4 + (1 << 20)
        var machine = Machine()
        _ = machine.headReceived(Self.head(contentLength: nil, headers: [("Transfer-Encoding", "chunked")]),
                                 decision: .readBody(maxBytes: limit, accepted: Self.admitted))
        #expect(step(machine.bodyReceived([UInt8](repeating: 0x61, count: most))) == .proceed)
        #expect(machine.phase == .overLimit)
        #expect(step(machine.bodyReceived([0x61])) == .close)
        #expect(machine.phase == .aborted)
        #expect(step(machine.bodyComplete()) == .close)
    }

    @Test("a client that leaves in the middle of the body aborts the request, and nothing is handed over")
    func abortMidBody() {
        var machine = Machine()
        _ = machine.headReceived(Self.head(contentLength: 10), decision: .readBody(maxBytes: 16, accepted: Self.admitted))
        #expect(step(machine.bodyReceived("half")) == .proceed)
        #expect(step(machine.requestCompleted()) == .proceed)
        #expect(machine.phase == .aborted)
        #expect(step(machine.bodyComplete()) == .close)
        #expect(step(machine.resumed()) == .close)
    }

    @Test("a client that leaves before its answer is sent: the answer is discarded (its deferred work still runs)")
    func abortWhileAwaitingAnswer() {
        var machine = Machine()
        _ = machine.headReceived(Self.head(contentLength: 0), decision: .readBody(maxBytes: 16, accepted: Self.admitted))
        _ = machine.bodyComplete()
        #expect(step(machine.requestCompleted()) == .discardAnswer)
        #expect(machine.phase == .aborted)
    }

    @Test("a connection that ends before its head, or between a bodyless refusal and its answer, is aborted")
    func abortBeforeAnswer() {
        var beforeHead = Machine()
        #expect(step(beforeHead.requestCompleted()) == .proceed)
        #expect(beforeHead.phase == .aborted)

        var refusing = Machine()
        _ = refusing.headReceived(Self.head(contentLength: nil), decision: .respond(Self.forbidden))
        #expect(step(refusing.requestCompleted()) == .proceed)
        #expect(refusing.phase == .aborted)
        #expect(step(refusing.bodyComplete()) == .close)
    }

    @Test("out of order, an event closes the connection: a second head, data or a resume before the head")
    func outOfOrderCloses() {
        var machine = Machine()
        #expect(step(machine.bodyReceived("x")) == .close)
        #expect(step(machine.bodyComplete()) == .close)
        #expect(step(machine.resumed()) == .close)
        #expect(machine.phase == .awaitingHead)
        _ = machine.headReceived(Self.head(contentLength: 1), decision: .readBody(maxBytes: 16, accepted: Self.admitted))
        #expect(step(machine.headReceived(Self.head(contentLength: 1), decision: .respond(Self.forbidden))) == .close)
        #expect(step(machine.resumed()) == .close)
        #expect(machine.phase == .receivingBody)
        _ = machine.bodyComplete()
        #expect(step(machine.bodyComplete()) == .close)
        #expect(step(machine.bodyReceived("late")) == .close)
        #expect(machine.phase == .awaitingAnswer)
    }

    // MARK: - Helpers

    static let forbidden = HTTPResponse(status: 403)

    static func head(contentLength: Int?, headers: [(name: String, value: String)] = [], id: UInt64 = 7) -> RequestHead {
        RequestHead(method: "POST", path: "/mo", query: nil, version: "HTTP/1.1",
                    headers: headers + (contentLength.map { [("Content-Length", String($0))] } ?? []),
                    peer: "127.0.0.1", contentLength: contentLength, id: id)
    }

    /// An action as a comparable value: responses by status, heads by id, bodies as text.
    enum Step: Equatable {
        case proceed
        case send(status: Int)
        case sendTooLarge(headID: UInt64, accepted: Admitted, limit: Int)
        case deliver(headID: UInt64, accepted: Admitted, body: String)
        case sendAnswer
        case discardAnswer
        case close
    }

    func step(_ action: Machine.Action) -> Step {
        switch action {
        case .proceed: .proceed
        case .send(let response): .send(status: response.status)
        case .sendTooLarge(let head, let accepted, let limit): .sendTooLarge(headID: head.id, accepted: accepted, limit: limit)
        case .deliver(let head, let accepted, let body):
            .deliver(headID: head.id, accepted: accepted, body: String(decoding: body, as: UTF8.self))
        case .sendAnswer: .sendAnswer
        case .discardAnswer: .discardAnswer
        case .close: .close
        }
    }
}

extension RequestStateMachine {
    mutating func bodyReceived(_ text: String) -> Action {
        bodyReceived(Array(text.utf8))
    }

    mutating func bodyReceived(_ bytes: [UInt8]) -> Action {
        bytes.withUnsafeBytes { bodyReceived($0) }
    }
}
