import ArgumentParser
import MOReceiver
import MOStore

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One screen: ingest rates, stored requests, quarantine, probes, the queue, media at risk, send failures, last errors.",
        discussion: """
            Exits 3 when the database cannot be reached or migrations are pending, so it doubles as a readiness
            check in scripts.

            Examples:
              moctl status --config /etc/mo-receiver/config.toml
              moctl status --config /etc/mo-receiver/config.toml --json
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Print the figures as one JSON object.")
    var json = false

    func run() throws {
        let (config, connection) = try Tool.load(global.config)
        let status: StoreStatus
        let jobs: [JobAdmin.Count]
        let risk: (count: Int, soonest: String?)
        let failures: [(code: Int?, details: String?, count: Int, last: String)]
        let rates: [ActivityStatus.IngestRate]
        let quarantine: (open: Int, reasons: [(reason: String, count: Int, last: String)])
        let errors: [ActivityStatus.JobError]
        do {
            status = try StoreStatus.read(on: connection)
            jobs = try JobAdmin.counts(on: connection)
            risk = try MediaItems(connection: connection).atRisk(hours: config.media.atRiskHours)
            failures = try OutboundStore(connection: connection).recentFailures(hours: 24)
            rates = try ActivityStatus.ingestRates(on: connection)
            quarantine = try QuarantineStore(connection: connection).summary()
            errors = try ActivityStatus.lastErrors(on: connection)
        } catch {
            Tool.fail("status: \(error)")
        }
        if json {
            print(Tool.jsonObject { o in
                o.field("stored", status.stored)
                o.field("quarantined", status.quarantined)
                o.field("quarantine_open", quarantine.open)
                o.field("quarantined_24h", status.quarantinedLastDay)
                o.field("probes", status.probes)
                o.field("last_probe_at", status.lastProbeAt)
                o.field("inbound_messages", status.inboundMessages)
                o.field("pending_media", status.pendingMedia)
                o.field("media_at_risk", risk.count)
                o.object("jobs") { counts in
                    for count in jobs { counts.field("\(count.kind).\(count.state)", count.jobs) }
                }
                o.field("send_failures_24h", failures.reduce(0) { $0 + $1.count })
                o.object("endpoints") { endpoints in
                    for row in status.endpoints {
                        endpoints.object(row.endpoint) { e in
                            e.field("stored", row.stored)
                            e.field("quarantined", row.quarantined)
                            e.field("probes", row.probes)
                            e.field("deliveries", row.deliveries)
                        }
                    }
                }
                o.object("ingest_rates") { list in
                    for rate in rates {
                        list.object(rate.endpoint) { r in
                            r.field("last_5m", rate.lastFiveMinutes)
                            r.field("last_1h", rate.lastHour)
                        }
                    }
                }
                o.array("last_errors") { list in
                    for error in errors {
                        list.object { e in
                            e.field("job_id", error.jobID)
                            e.field("kind", error.kind)
                            e.field("state", error.state)
                            e.field("handler", error.handler)
                            e.field("at", error.at)
                            e.field("error", error.error)
                        }
                    }
                }
                o.field("last_received_at", status.lastReceivedAt)
            })
            return
        }
        print("requests stored:      \(status.stored)")
        print("requests quarantined: \(status.quarantined) (\(quarantine.open) open; moctl quarantine list)")
        // Quarantined requests are answered 200 by default, so CM does not retry them and nothing else shows them.
        print("quarantined in 24 h:  \(status.quarantinedLastDay)" + (status.quarantinedLastDay > 0
            ? "  (answered \(config.ingest.malformedStatus), kept unread: moctl quarantine list, then replay after a fix)" : ""))
        print("probes (test calls):  \(status.probes)" + (status.lastProbeAt.map { ", last at \($0)" } ?? "")
              + "  (requests without content, answered 200; not an error)")
        print("inbound messages:     \(status.inboundMessages)")
        print("media pending:        \(status.pendingMedia)")
        print("media at risk:        \(risk.count)" + (risk.count > 0
            ? "  (not stored, CM deletes the first at \(risk.soonest ?? "?"); see moctl media list --at-risk)" : ""))
        print("last received:        \(status.lastReceivedAt ?? "never")")
        print("ingest (new requests): " + (rates.isEmpty ? "none in the last hour"
            : rates.map { "\($0.endpoint) \($0.lastFiveMinutes)/5 min, \($0.lastHour)/h" }.joined(separator: "; ")))
        if !status.endpoints.isEmpty {
            print("")
            print("endpoint   stored  quarantined  probes  deliveries (incl. retries)")
            for row in status.endpoints {
                print(row.endpoint.fitted(10)
                      + String(row.stored).leftPadded(7) + String(row.quarantined).leftPadded(13)
                      + String(row.probes).leftPadded(8) + String(row.deliveries).leftPadded(12))
            }
        }
        if !jobs.isEmpty {
            print("")
            print("jobs: " + jobs.map { "\($0.kind) \($0.state) \($0.jobs)" }.joined(separator: ", "))
        }
        if !quarantine.reasons.isEmpty {
            print("")
            print("latest quarantine reasons:")
            for reason in quarantine.reasons { print("  \(reason.count) x \(reason.reason) (last \(reason.last))") }
        }
        if !failures.isEmpty {
            print("")
            print("send failures in the last 24 h (moctl outbound show ID for one):")
            for failure in failures {
                print("  \(failure.count) x CM error \(failure.code.map(String.init) ?? "-"): \(failure.details ?? "") (last \(failure.last))")
            }
        }
        if !errors.isEmpty {
            print("")
            print("last job errors (moctl jobs show ID):")
            for error in errors {
                print("  \(error.at)  job \(error.jobID) \(error.kind)\(error.handler.map { " \($0)" } ?? "") \(error.state): \(error.error)")
            }
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    /// Exactly `width` characters: padded with spaces on the right, or cut, as Foundation's
    /// `padding(toLength:withPad: " ", startingAt: 0)` does for ASCII text.
    func fitted(_ width: Int) -> String {
        count >= width ? String(prefix(width)) : self + String(repeating: " ", count: width - count)
    }
}
