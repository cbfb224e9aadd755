import MOPolicy
import MOStore
import Synchronization

/// The daemon's own measurements, exposed at the admin listener's `/metrics` (docs/operations.md lists them with
/// what to alert on). One instance per running receiver, shared by the listener, the writer's callbacks, the
/// workers and the send client. Names follow Prometheus conventions: `mo_receiver_` prefix, base units, `_total`
/// for counters.
public final class Metrics: Sendable {
    let requests = CounterFamily("mo_receiver_http_requests_total",
                                 help: "Webhook requests answered, by endpoint and HTTP status.",
                                 labels: ["endpoint", "status"])
    let ingested = CounterFamily("mo_receiver_ingest_requests_total",
                                 help: "Webhook requests by what ingest made of them: stored, duplicate, probe (no content: CM's test call), quarantined, unavailable (503).",
                                 labels: ["endpoint", "outcome"])
    let ingestDuration = HistogramFamily("mo_receiver_ingest_duration_seconds",
                                         help: "From the whole request read to the answer (after COMMIT), by endpoint.",
                                         labels: ["endpoint"], bounds: Metrics.latencyBounds)
    let jobsFinished = CounterFamily("mo_receiver_jobs_finished_total",
                                     help: "Job runs by kind and outcome: completed, snoozed, retry, discarded, lost (lease taken back).",
                                     labels: ["kind", "outcome"])
    let jobDuration = HistogramFamily("mo_receiver_job_duration_seconds", help: "How long one job run took, by kind.",
                                      labels: ["kind"], bounds: Metrics.jobBounds)
    let sends = CounterFamily("mo_receiver_cm_send_requests_total",
                              help: "Requests to CM's send API by outcome (accepted, rejected, retry, failed) and CM error code (0: none).",
                              labels: ["outcome", "code"])
    let mediaDownloads = CounterFamily("mo_receiver_media_downloads_total",
                                       help: "Media download attempts by outcome: stored, retry, failed, expired.",
                                       labels: ["outcome"])
    let mediaBytes = CounterFamily("mo_receiver_media_downloaded_bytes_total",
                                   help: "Bytes of media stored.", labels: [])
    let reloads = CounterFamily("mo_receiver_config_reloads_total",
                                help: "Config reloads (SIGHUP) by result: applied, failed.", labels: ["result"])
    /// Whether each database role is connected now (1) or not (0): writer, monitor, admin.
    let connected = Mutex<[String: Bool]>([:])
    let started = ContinuousClock.now

    static let latencyBounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]
    static let jobBounds = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300]

    public init() {
        for endpoint in ItemKind.allCases.map(\.rawValue) {
            for outcome in ["stored", "duplicate", "probe", "quarantined", "unavailable"] { ingested.touch([endpoint, outcome]) }
        }
        for result in ["applied", "failed"] { reloads.touch([result]) }
        mediaBytes.touch([])
    }

    func setConnected(_ role: String, _ up: Bool) {
        connected.withLock { $0[role] = up }
    }

    /// The exposition: in-process counters, then what `gauges` (read from the database at this scrape) and
    /// `health` say. `gauges` is nil when the database could not be read (then `mo_receiver_database_up` is 0).
    func render(gauges: StoreGauges?, health: Health, draining: Bool) -> String {
        var out = PrometheusText()
        out.gauge("mo_receiver_up", help: "1 while the daemon runs.", [MetricSample(value: 1)])
        out.gauge("mo_receiver_build_info", help: "1, labelled with this build's version and git commit.",
                  [MetricSample(labels: [("version", BuildInfo.version), ("commit", BuildInfo.commit)], value: 1)])
        out.gauge("mo_receiver_ready", help: "1 when ready for traffic: listening, database reachable, migrations current, not draining.",
                  [MetricSample(value: health.isReady && !draining ? 1 : 0)])
        out.gauge("mo_receiver_uptime_seconds", help: "Seconds since the daemon started.",
                  [MetricSample(value: ((ContinuousClock.now - started) / .seconds(1)).rounded())])
        out.counter(requests)
        out.counter(ingested)
        out.histogram(ingestDuration)
        out.counter(jobsFinished)
        out.histogram(jobDuration)
        out.counter(sends)
        out.counter(mediaDownloads)
        out.counter(mediaBytes)
        out.counter(reloads)
        out.gauge("mo_receiver_database_connected", help: "1 when the role's database connection is up: writer (ingest), monitor (health probes), admin (this scrape).",
                  connected.withLock { $0 }.map { MetricSample(labels: [("role", $0.key)], value: $0.value ? 1 : 0) })
        out.gauge("mo_receiver_database_up", help: "1 when this scrape could read the database.",
                  [MetricSample(value: gauges == nil ? 0 : 1)])
        out.gauge("mo_receiver_migrations_current", help: "1 when the schema has every migration this build knows.",
                  [MetricSample(value: health.migrationsCurrent ? 1 : 0)])
        guard let gauges else { return out.text }
        out.gauge("mo_receiver_queue_jobs", help: "Jobs in the queue by kind and state (completed jobs are deleted unless kept).",
                  gauges.jobs.map { MetricSample(labels: [("kind", $0.kind), ("state", $0.state)], value: Double($0.jobs)) })
        out.gauge("mo_receiver_queue_oldest_due_seconds", help: "Age of the oldest job that is due and not running, by kind (0: none).",
                  gauges.oldestDueSeconds.map { MetricSample(labels: [("kind", $0.key)], value: $0.value.rounded()) })
        out.gauge("mo_receiver_media_pending", help: "Media items not downloaded yet.",
                  [MetricSample(value: Double(gauges.mediaPending))])
        out.gauge("mo_receiver_media_at_risk", help: "Pending media whose file CM deletes within media.at_risk_hours.",
                  [MetricSample(value: Double(gauges.mediaAtRisk))])
        out.gauge("mo_receiver_quarantined_last_24h", help: "Requests kept in quarantine in the last 24 hours.",
                  [MetricSample(value: Double(gauges.quarantinedLastDay))])
        return out.text
    }
}
