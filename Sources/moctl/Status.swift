import ArgumentParser
import Foundation
import MOReceiver
import MOStore

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what the receiver has stored: requests by endpoint and outcome, messages, pending media.",
        discussion: """
            Example:
              moctl status --config /etc/mo-receiver/config.toml
              moctl status --config /etc/mo-receiver/config.toml --json
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Print the figures as one JSON object.")
    var json = false

    func run() throws {
        let connection = try Tool.connect(global.config)
        let migrations: [Migrator.Entry]
        let status: StoreStatus
        do {
            migrations = try Migrator().status(on: connection)
            let pending = migrations.filter { $0.state == .pending }
            if !pending.isEmpty {
                Tool.fail("\(pending.count) migration(s) pending: run `moctl migrate --config \(global.config)`", code: 3)
            }
            status = try StoreStatus.read(on: connection)
        } catch {
            Tool.fail("status: \(error)")
        }
        if json {
            let endpoints = status.endpoints.map {
                "\"\($0.endpoint)\":{\"stored\":\($0.stored),\"quarantined\":\($0.quarantined),\"deliveries\":\($0.deliveries)}"
            }.joined(separator: ",")
            print("{\"stored\":\(status.stored),\"quarantined\":\(status.quarantined),\"inbound_messages\":\(status.inboundMessages),"
                  + "\"pending_media\":\(status.pendingMedia),\"endpoints\":{\(endpoints)},"
                  + "\"last_received_at\":\(status.lastReceivedAt.map { "\"\($0)\"" } ?? "null")}")
            return
        }
        print("requests stored:      \(status.stored)")
        print("requests quarantined: \(status.quarantined)")
        print("inbound messages:     \(status.inboundMessages)")
        print("media pending:        \(status.pendingMedia)")
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
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
