import ArgumentParser
import JSON
import MOStore

struct StatusReports: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status-reports",
        abstract: "Delivery status reports CM sent, one per MSG, with the error explained.",
        discussion: """
            Examples:
              moctl status-reports list --since 1h --status failed
              moctl status-reports list --reference mo-7f3a9c --json
            """,
        subcommands: [List.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List status reports, newest first.",
            discussion: "Example:\n  moctl status-reports list --recipient +31612345678 --since 7d")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only reports received since then: an age (2h, 7d) or an ISO 8601 date or time.")
        var since: String?
        @Option(help: "Only reports with this reference (the one we sent the message with).") var reference: String?
        @Option(help: "Only this status (accepted, rejected, delivered, failed, read, unknown).") var status: String?
        @Option(help: "Only reports for this recipient number.") var recipient: String?
        @Option(help: "At most this many.") var limit = 50
        @Flag(name: .long, help: "Print JSON lines instead of a table.") var json = false

        static let statuses = ["accepted", "rejected", "delivered", "failed", "read", "unknown"]

        func validate() throws {
            if let since { _ = try Since.parse(since) }
            if let status, !Self.statuses.contains(status) {
                throw ValidationError("--status must be one of \(Self.statuses.joined(separator: ", "))")
            }
            guard limit > 0 else { throw ValidationError("--limit must be positive") }
        }

        func run() throws {
            let connection = try Tool.connect(global.config)
            let rows: [MessageAdmin.Report]
            do {
                rows = try MessageAdmin.reports(MessageAdmin.ReportFilter(
                    since: try since.map(Since.parse), reference: reference, status: status, recipient: recipient,
                    limit: limit), on: connection)
            } catch { Tool.fail("status-reports list: \(error)") }
            if rows.isEmpty && !json { print("no status reports") }
            for row in rows {
                if json {
                    print(Tool.jsonObject { o in
                        o.field("id", row.id)
                        o.field("request_id", row.requestID)
                        o.field("received_at", row.receivedAt)
                        o.field("reported_at", row.reportedAt)
                        o.field("reference", row.reference)
                        o.field("recipient", row.recipient)
                        o.field("status", row.status)
                        o.field("code", row.codeRaw)
                        o.field("error_code", row.errorCode)
                        o.field("error", row.errorText)
                        o.field("channel", row.channel)
                        o.field("form", row.form)
                        Self.cmFields(row, to: &o)
                    })
                } else {
                    let line = "\(String(row.id).leftPadded(8))  \(row.receivedAt)  \(row.status.fitted(9))"
                        + " \(row.reference ?? "-")  to \(row.recipient ?? "-")"
                        + (row.errorCode.map { "  error \($0)" } ?? "") + (row.errorText.map { ": \($0)" } ?? "")
                    print(line + Self.statusDescription(row))
                }
            }
        }

        /// CM's Send and Status Description as JSON members.
        static func cmFields(_ row: MessageAdmin.Report, to o: inout JSONWriter.ObjectWriter) {
            o.field("send_at", row.sendAt)
            o.field("status_description", row.statusDescription)
        }

        /// "  (Read)": CM's Status Description for the table, or "".
        static func statusDescription(_ row: MessageAdmin.Report) -> String {
            guard let text = row.statusDescription else { return "" }
            return "  (\(text))"
        }
    }
}
