/// Services in dependency order, the model of swift-service-lifecycle's `ServiceGroup` on threads: started first
/// to last, and shut down last to first, in two passes: every service quiesces (last to first), then every
/// service stops (last to first), so a service further down the list keeps running while the ones above it finish
/// their work in flight. A service listed first is up before the others start and stays up until they stopped
/// (an observer, such as the admin listener that answers `/readyz` during the drain).
///
/// Value type; `start` and `shutdown` are called from one controlling thread.
public struct ServiceGroup: Sendable {
    /// The services in start order.
    public let services: [any Service]

    public init(_ services: [any Service]) {
        self.services = services
    }

    /// Starts the services in order. When one throws, it and the services started before it are stopped (last to
    /// first, with `failureGrace` to finish what they took), and the error is rethrown.
    public func start(failureGrace: Duration = .seconds(1)) throws {
        for (index, service) in services.enumerated() {
            do {
                try service.start()
            } catch {
                ServiceGroup(Array(services[...index]))
                    .shutdown(deadline: ContinuousClock.now.advanced(by: failureGrace))
                throw error
            }
        }
    }

    /// Quiesces every service, then stops every service, each pass last to first. Returns when all stopped.
    public func shutdown(deadline: ContinuousClock.Instant) {
        for service in services.reversed() { service.quiesce() }
        for service in services.reversed() { service.stop(deadline: deadline) }
    }
}
