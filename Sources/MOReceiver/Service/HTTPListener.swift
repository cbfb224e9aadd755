import MOSystem
import MicroHTTPD

/// An `HTTPServer` as a `Service` of the receiver: the webhook listener, which stops accepting connections first at
/// shutdown (`quiesce`) and, once the ingest writer answered what it holds, gets `stopGrace` for the answers to go
/// out; or the admin listener, which keeps answering `/readyz` and `/metrics` through the drain and stops last.
/// Its threads are libmicrohttpd's; `start`, `quiesce` and `stop` from the controlling thread.
final class HTTPListener: Service {
    let name: String
    let server: HTTPServer
    /// Whether `quiesce` stops accepting (the webhook listener) or the listener serves on until `stop` (admin).
    let quiescesEarly: Bool
    /// How long `stop` waits for requests in flight (its own bound, whatever the group's deadline says).
    let stopGrace: Duration

    init(name: String, server: HTTPServer, quiescesEarly: Bool, stopGrace: Duration) {
        self.name = name
        self.server = server
        self.quiescesEarly = quiescesEarly
        self.stopGrace = stopGrace
    }

    func start() throws {
        try server.start()
    }

    func quiesce() {
        if quiescesEarly { server.quiesce() }
    }

    func stop(deadline _: ContinuousClock.Instant) {
        server.stop(grace: stopGrace)
    }
}
