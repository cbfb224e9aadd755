/// One request's lifecycle on its connection, as a value type: the head arrives and the handler decides; the body is
/// read up to the handler's limit; the complete body is handed over with the value the head's decision carried, and
/// the responder's answer is sent. Each transition is a mutating method that returns what to do; the C callbacks
/// (HTTPServer+Callbacks.swift) feed it libmicrohttpd's calls and carry out the actions, so the tests drive it
/// without a socket (Tests/MicroHTTPDTests/RequestStateMachineTests.swift).
///
/// ```
/// awaitingHead ─┬─ respond, no body ──▶ refusingAtEnd ── bodyComplete ──▶ refused
///               ├─ respond, a body pending ───────────────────────────────▶ refused (the connection closes)
///               └─ readBody ──▶ receivingBody ─┬─ bodyComplete ──▶ awaitingAnswer ── resumed ──▶ responded
///                                              └─ past the limit ──▶ overLimit ── bodyComplete ──▶ tooLarge
/// any state but a finished one ── requestCompleted ──▶ aborted
/// ```
///
/// Owned by the request's context and touched only on the libmicrohttpd thread that serves the connection.
/// `Accepted` is the handler's value from `HeadDecision.readBody`; the machine keeps it and gives it back unchanged.
struct RequestStateMachine<Accepted: Sendable> {
    /// How a request ended, or where it stands.
    enum Phase: Equatable {
        case awaitingHead
        /// Refused from the head while no body is pending; the answer goes out on libmicrohttpd's next call.
        case refusingAtEnd
        case receivingBody
        /// The body passed the limit: the rest is read and dropped, then the handler's `bodyTooLarge` answers.
        case overLimit
        /// Handed to the handler with the connection suspended, until its responder resumes it.
        case awaitingAnswer
        case responded
        /// Answered from the head.
        case refused
        case tooLarge
        /// The client went away, or the body ran far past its limit and the connection was cut.
        case aborted
    }

    /// What the caller does next.
    enum Action {
        /// Nothing more now: tell libmicrohttpd to go on (`MHD_YES`).
        case proceed
        /// Queue this response.
        case send(HTTPResponse)
        /// Queue the handler's `bodyTooLarge` answer.
        case sendTooLarge(RequestHead, accepted: Accepted, limit: Int)
        /// Suspend the connection, then hand the request to the handler with the head's value and the whole body.
        case deliver(RequestHead, accepted: Accepted, body: [UInt8])
        /// The responder answered and resumed the connection: queue its response.
        case sendAnswer
        /// The request ended while its answer waited to be sent: run the answer's deferred work, send nothing.
        case discardAnswer
        /// Close the connection (`MHD_NO`).
        case close
    }

    /// A body being read, with what the head decided.
    struct Receiving {
        var head: RequestHead
        var accepted: Accepted
        var limit: Int
        var body: [UInt8]
        /// Bytes received, kept and dropped alike.
        var received: Int
    }

    private enum State {
        case awaitingHead
        case refusingAtEnd(HTTPResponse)
        case receivingBody(Receiving)
        case overLimit(Receiving)
        case awaitingAnswer
        case finished(Phase)
        /// Held only while a payload is changed in place, so the body array is not copied on every chunk.
        case modifying
    }

    private var state = State.awaitingHead

    init() {}

    var phase: Phase {
        switch state {
        case .awaitingHead: .awaitingHead
        case .refusingAtEnd: .refusingAtEnd
        case .receivingBody: .receivingBody
        case .overLimit: .overLimit
        case .awaitingAnswer: .awaitingAnswer
        case .finished(let phase): phase
        case .modifying: preconditionFailure("RequestStateMachine observed while modifying")
        }
    }

    /// The first call: the head is in, and the handler decided.
    mutating func headReceived(_ head: RequestHead, decision: HeadDecision<Accepted>) -> Action {
        guard case .awaitingHead = state else { return .close }
        switch decision {
        case .respond(let response):
            if (head.contentLength ?? 0) == 0 && head.value(of: "Transfer-Encoding") == nil {
                // libmicrohttpd 0.9.75 closes a connection whose response is queued on the first call: answer on
                // the next one, so a keep-alive connection stays open.
                state = .refusingAtEnd(response)
                return .proceed
            }
            // A body we will not read: answer now, and libmicrohttpd closes the connection after.
            state = .finished(.refused)
            return .send(response)
        case .readBody(let limit, let accepted):
            var body: [UInt8] = []
            if let declared = head.contentLength, declared > 0 {
                body.reserveCapacity(min(declared, limit))
            }
            state = .receivingBody(Receiving(head: head, accepted: accepted, limit: limit, body: body, received: 0))
            return .proceed
        }
    }

    /// A piece of the body arrived.
    mutating func bodyReceived(_ chunk: UnsafeRawBufferPointer) -> Action {
        switch state {
        case .receivingBody(var receiving):
            state = .modifying
            receiving.received += chunk.count
            if receiving.received > receiving.limit {
                receiving.body = []
                return overLimit(receiving)
            }
            receiving.body.append(contentsOf: chunk)
            state = .receivingBody(receiving)
            return .proceed
        case .overLimit(var receiving):
            receiving.received += chunk.count
            return overLimit(receiving)
        case .refusingAtEnd:
            return .proceed
        case .awaitingHead, .awaitingAnswer, .finished, .modifying:
            return .close
        }
    }

    private mutating func overLimit(_ receiving: Receiving) -> Action {
        // A body that keeps coming long after the limit is cut off rather than read to its end.
        if receiving.received > receiving.limit &* 4 &+ (1 << 20) {
            state = .finished(.aborted)
            return .close
        }
        state = .overLimit(receiving)
        return .proceed
    }

    /// libmicrohttpd called without data while the request was being read: the body is complete.
    mutating func bodyComplete() -> Action {
        switch state {
        case .receivingBody(let receiving):
            state = .awaitingAnswer
            return .deliver(receiving.head, accepted: receiving.accepted, body: receiving.body)
        case .overLimit(let receiving):
            state = .finished(.tooLarge)
            return .sendTooLarge(receiving.head, accepted: receiving.accepted, limit: receiving.limit)
        case .refusingAtEnd(let response):
            state = .finished(.refused)
            return .send(response)
        case .awaitingHead, .awaitingAnswer, .finished, .modifying:
            return .close
        }
    }

    /// Whether the connection is suspended for a responder: libmicrohttpd's next call is `resumed`.
    var isAwaitingAnswer: Bool {
        if case .awaitingAnswer = state { return true }
        return false
    }

    /// The responder answered and resumed the connection.
    mutating func resumed() -> Action {
        guard case .awaitingAnswer = state else { return .close }
        state = .finished(.responded)
        return .sendAnswer
    }

    /// libmicrohttpd completed the request: after an answer, or because the client went away (or the connection
    /// was cut) in the middle.
    mutating func requestCompleted() -> Action {
        switch state {
        case .finished:
            return .proceed
        case .awaitingAnswer:
            // Answered, but the client left before the answer was queued.
            state = .finished(.aborted)
            return .discardAnswer
        case .awaitingHead, .refusingAtEnd, .receivingBody, .overLimit, .modifying:
            state = .finished(.aborted)
            return .proceed
        }
    }
}
