import ArgumentParser
import Foundation
import MOReceiver
import MOStore

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One screen: stored requests, the queue, media at risk, send failures.",
        discussion: """
            Example:
              moctl status --config /etc/mo-receiver/config.toml
              moctl status --config /etc/mo-receiver/config.toml --json
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Print the figures as one JSON object.")
    var json = false

    func run() throws {
        let (config, connection) = try Tool.load(global.config)
        let migrations: [Migrator.Entry]
        let status: StoreStatus
        let jobs: [JobAdmin.Count]
        let risk: (count: Int, soonest: String?)
        let failures: [(code: Int?, details: String?, count: Int, last: String)]
        do {
            migrations = try Migrator().status(on: connection)
            let pending = migrations.filter { $0.state == .pending }
            if !pending.isEmpty {
                Tool.fail("\(pending.count) migration(s) pending: run `moctl migrate --config \(global.config)`", code: 3)
            }
            status = try StoreStatus.read(on: connection)
            jobs = try JobAdmin.counts(on: connection)
            risk = try MediaItems(connection: connection).atRisk(hours: config.media.atRiskHours)
            failures = try OutboundStore(connection: connection).recentFailures(hours: 24)
        } catch {
            Tool.fail("status: \(error)")
        }
        if json {
            let endpoints = status.endpoints.map {
                "\"\($0.endpoint)\":{\"stored\":\($0.stored),\"quarantined\":\($0.quarantined),\"deliveries\":\($0.deliveries)}"
            }.joined(separator: ",")
            print("{\"stored\":\(status.stored),\"quarantined\":\(status.quarantined),\"inbound_messages\":\(status.inboundMessages),"
                  + "\"pending_media\":\(status.pendingMedia),\"media_at_risk\":\(risk.count),"
                  + "\"jobs\":{\(jobs.map { "\"\($0.kind).\($0.state)\":\($0.jobs)" }.joined(separator: ","))},"
                  + "\"send_failures_24h\":\(failures.reduce(0) { $0 + $1.count }),\"endpoints\":{\(endpoints)},"
                  + "\"last_received_at\":\(status.lastReceivedAt.map { "\"\($0)\"" } ?? "null")}")
            return
        }
        print("requests stored:      \(status.stored)")
        print("requests quarantined: \(status.quarantined)")
        print("inbound messages:     \(status.inboundMessages)")
        print("media pending:        \(status.pendingMedia)")
        print("media at risk:        \(risk.count)" + (risk.count > 0
            ? "  (not stored, CM deletes the first at \(risk.soonest ?? "?"); see moctl media list --at-risk)" : ""))
        print("last received:        \(status.lastReceivedAt ?? "never")")
        if !status.endpoints.isEmpty {
            print("")
            print("endpoint   stored  quarantined  deliveries (incl. retries)")
            for row in status.endpoints {
                print(row.endpoint.padding(toLength: 10, withPad: " ", startingAt: 0)
                      + String(row.stored).leftPadded(7) + String(row.quarantined).leftPadded(13)
                      + String(row.deliveries).leftPadded(12))
            }
        }
        if !jobs.isEmpty {
            print("")
            print("jobs: " + jobs.map { "\($0.kind) \($0.state) \($0.jobs)" }.joined(separator: ", "))
        }
        if !failures.isEmpty {
            print("")
            print("send failures in the last 24 h (moctl outbound show ID for one):")
            for failure in failures {
                print("  \(failure.count) x CM error \(failure.code.map(String.init) ?? "-"): \(failure.details ?? "") (last \(failure.last))")
            }
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
