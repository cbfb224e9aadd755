import ArgumentParser
import MOReceiver
import MOStore

struct Outbound: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Outbound messages (auto-replies, moctl send) and their delivery status.",
        discussion: """
            Example:
              moctl outbound show 42
            """,
        subcommands: [Show.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an outbound message: its current status and every status report CM sent for it.",
            discussion: """
                The current status is derived by precedence (read > failed > delivered > rejected > accepted),
                never by the order reports arrived in.

                Examples:
                  moctl outbound show 42
                  moctl outbound show --reference mo-7f3a9c --json
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The outbound message's id.") var id: Int64?
        @Option(help: "Find by CM reference instead (several messages may share one).") var reference: String?
        @Flag(name: .long, help: "Print JSON.") var json = false

        func validate() throws {
            guard (id == nil) != (reference == nil) else { throw ValidationError("give an id or --reference") }
        }

        func run() throws {
            let connection = try Tool.connect(global.config)
            let found: [OutboundHistory]
            do { found = try OutboundHistory.read(id: id, reference: reference, on: connection) } catch {
                Tool.fail("outbound show: \(error)")
            }
            guard !found.isEmpty else { Tool.fail("no outbound message \(id.map(String.init) ?? reference ?? "")") }
            for message in found {
                if json { print(message.jsonLine); continue }
                print("outbound \(message.id): \(message.status)  reference \(message.reference)  to \(message.recipient)"
                      + "  channel \(message.channel ?? "-")  created \(message.createdAt)")
                if message.reports.isEmpty { print("  no status reports yet") }
                for report in message.reports {
                    print("  \(report.reportedAt ?? report.receivedAt)  \(report.status.fitted(9))"
                          + " code \(report.codeRaw ?? "-")" + (report.errorCode.map { "  error \($0)" } ?? "")
                          + (report.errorText.map { ": \($0)" } ?? "") + "  (\(report.form))")
                }
            }
        }
    }
}

extension OutboundHistory {
    var jsonLine: String {
        Tool.jsonObject { o in
            o.field("id", id)
            o.field("reference", reference)
            o.field("recipient", recipient)
            o.field("channel", channel)
            o.field("body", body)
            o.field("created_at", createdAt)
            o.field("status", status)
            o.array("reports") { list in
                for report in reports {
                    list.object { r in
                        r.field("status", report.status)
                        r.field("code", report.codeRaw)
                        r.field("error_code", report.errorCode)
                        r.field("error", report.errorText)
                        r.field("reported_at", report.reportedAt)
                        r.field("received_at", report.receivedAt)
                        r.field("form", report.form)
                    }
                }
            }
        }
    }
}
