/// A long-running part of the daemon (the ingest writer, the job queue and its helpers, a listener, the health
/// monitor): it runs its loops on threads of its own (`ServiceThreads`, never Swift's cooperative pool, since
/// blocking libpq and libcurl calls must not occupy it) and is driven through three calls from one controlling
/// thread, in the order a `ServiceGroup` gives:
///
/// 1. `start` starts the threads, or throws when the service cannot run (a port taken);
/// 2. `quiesce` stops taking new work and returns at once, while work in flight goes on;
/// 3. `stop(deadline:)` finishes the work in flight (giving up on what is left at `deadline`, or at the service's
///    own configured grace where it has one), ends its threads and returns.
///
/// Graceful shutdown is not cancellation: between `quiesce` and `stop` the services later in the group still run,
/// so what is in flight can complete.
public protocol Service: AnyObject, Sendable {
    /// The service's name in logs and tests (its threads are named `mo-…`, see docs/operations.md).
    var name: String { get }

    /// Starts the service's threads. A service whose `start` threw is stopped all the same, so it releases what it
    /// took before failing; `stop` must therefore cope with a partial start.
    func start() throws

    /// Stops taking new work (a listener stops accepting connections); returns at once.
    func quiesce()

    /// Finishes or gives up on the work in flight by `deadline`, ends the service's threads and returns.
    func stop(deadline: ContinuousClock.Instant)
}

extension Service {
    /// Nothing to refuse: the service takes no work from outside, or it stops taking it in `stop`.
    public func quiesce() {}
}
