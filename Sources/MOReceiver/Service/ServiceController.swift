import Dispatch
import Glibc
import Logging
import MOSystem
import Synchronization

/// Runs a started receiver as a service until SIGTERM or SIGINT, speaking systemd's notify protocol when systemd
/// asked for it (`Type=notify`):
/// - `READY=1` once the listener answers, the database answered and the migrations are current (the health
///   monitor's probes), with `STATUS=` a one-line summary, refreshed every 10 s;
/// - `WATCHDOG=1` every half `WatchdogSec`, only while the monitor saw the listener answer within the period and
///   the database answer within `max(4 periods, 120 s)`; a wedged daemon stops pinging and systemd restarts it;
/// - on SIGHUP `RELOADING=1`, the config file read again (routes, handlers and the log level change; what cannot
///   change live is logged), then `READY=1`;
/// - on SIGTERM/SIGINT `STOPPING=1`, then the receiver drains and `run` returns.
/// Without systemd (no notifier) the same happens, minus the messages.
public final class ServiceController: Sendable {
    let receiver: Receiver
    let configPath: String
    let notifier: SystemdNotifier?
    let logger: Logger
    let statusInterval: Duration
    private let stopped = Atomic(false)
    private let ready = Atomic(false)
    private let supervisorDone = DispatchSemaphore(value: 0)

    public init(receiver: Receiver, configPath: String, notifier: SystemdNotifier?, logger: Logger,
                statusInterval: Duration = .seconds(10)) {
        self.receiver = receiver
        self.configPath = configPath
        self.notifier = notifier
        self.logger = logger
        self.statusInterval = statusInterval
    }

    /// Blocks until SIGTERM or SIGINT (through `signals`, which must block SIGTERM, SIGINT and SIGHUP), reloading
    /// on SIGHUP; returns after the receiver drained.
    public func run(signals: SignalWaiter, grace: Duration = .seconds(10)) {
        startSupervisor()
        while true {
            let signal = signals.wait()
            if signal == SIGHUP {
                reload()
                continue
            }
            logger.notice("stopping on signal", metadata: ["signal": "\(signal)"])
            stop(grace: grace)
            return
        }
    }

    /// What SIGHUP does: read the config file again and apply what can change live.
    public func reload() {
        notifier?.send([("RELOADING", "1"), ("MONOTONIC_USEC", String(Self.monotonicMicroseconds()))])
        do {
            let next = try ReceiverConfig.load(path: configPath)
            let report = try receiver.reload(next)
            receiver.metrics.reloads.increment(["applied"])
            var metadata: Logger.Metadata = ["config.applied": "\(report.applied.joined(separator: ","))"]
            if !report.needsRestart.isEmpty {
                metadata["config.needs_restart"] = "\(report.needsRestart.joined(separator: ","))"
                logger.warning("config reloaded; some changed settings take effect only after a restart", metadata: metadata)
            } else {
                logger.notice("config reloaded", metadata: metadata)
            }
        } catch {
            receiver.metrics.reloads.increment(["failed"])
            logger.error("config reload failed; the running config stays", metadata: ["config.error": "\(error)"])
        }
        notifier?.send([("READY", "1"), ("STATUS", status(receiver.health))])
    }

    /// What SIGTERM does: tell systemd, drain, stop.
    public func stop(grace: Duration = .seconds(10)) {
        notifier?.send([("STOPPING", "1"), ("STATUS", "draining: finishing requests in flight and running jobs")])
        stopped.store(true, ordering: .relaxed)
        receiver.shutdown(grace: grace)
        _ = supervisorDone.wait(timeout: .now() + 2)
    }

    private func startSupervisor() {
        SystemThread.detach(name: "mo-service") { [self] in
            supervise()
            supervisorDone.signal()
        }
    }

    private func supervise() {
        let watchdog = notifier?.watchdogPeriod
        var lastPing = ContinuousClock.now
        var lastStatus = ContinuousClock.now
        var lastProblem: String?
        while !stopped.load(ordering: .relaxed) {
            let health = receiver.health
            let now = ContinuousClock.now
            if !ready.load(ordering: .relaxed) {
                if health.isReady(now: now) {
                    ready.store(true, ordering: .relaxed)
                    notifier?.send([("READY", "1"), ("STATUS", status(health))])
                    lastStatus = now
                    logger.notice("ready", metadata: ["service.status": "\(status(health))"])
                } else if health.problem != lastProblem, let problem = health.problem {
                    notifier?.send([("STATUS", "starting: \(problem)")])
                    logger.warning("not ready yet", metadata: ["service.problem": "\(problem)"])
                }
                lastProblem = health.problem
            } else if now - lastStatus >= statusInterval {
                notifier?.send([("STATUS", status(health))])
                lastStatus = now
            }
            if let period = watchdog, now - lastPing >= period / 2 {
                if health.isAlive(listenerWithin: period, databaseWithin: max(period * 4, .seconds(120)), now: now) {
                    notifier?.send([("WATCHDOG", "1")])
                    lastPing = now
                } else if now - lastPing >= period / 2 + .seconds(1) {
                    logger.error("liveness check failing; systemd's watchdog will restart the daemon", metadata: [
                        "service.problem": "\(health.problem ?? "the health monitor reports no answers")",
                    ])
                    lastPing = now  // report once per half period, not every tick
                }
            }
            SystemThread.sleep(for: .milliseconds(250))
        }
    }

    /// The one-line `STATUS=`: readiness, what came in since the start, and the current problem if any.
    func status(_ health: Health) -> String {
        let stored = receiver.metrics.ingested.sum(where: "outcome", is: "stored")
        let quarantined = receiver.metrics.ingested.sum(where: "outcome", is: "quarantined")
        var text = health.isReady ? "ready" : "degraded"
        text += ": \(Int(stored)) stored, \(Int(quarantined)) quarantined since start"
        if let problem = health.problem { text += "; \(problem)" }
        if let note = health.schemaNote { text += "; \(note)" }
        return text
    }

    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }
}
