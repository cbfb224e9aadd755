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
            Tool.printList(rows, json: json, empty: "no status reports")
        }
    }
}

extension MessageAdmin.Report: ListedRow {
    func writeJSON(to o: inout JSONWriter.ObjectWriter) {
        o.field("id", id)
        o.field("request_id", requestID)
        o.field("received_at", receivedAt)
        o.field("reported_at", reportedAt)
        o.field("reference", reference)
        o.field("recipient", recipient)
        o.field("status", status)
        o.field("code", codeRaw)
        o.field("error_code", errorCode)
        o.field("error", errorText)
        o.field("channel", channel)
        o.field("form", form)
        o.field("send_at", sendAt)                          // CM's Send and Status Description
        o.field("status_description", statusDescription)
    }

    /// The table line; CM's Status Description last, in parentheses: "  (Read)".
    var textLine: String {
        "\(String(id).leftPadded(8))  \(receivedAt)  \(status.fitted(9)) \(reference ?? "-")  to \(recipient ?? "-")"
            + (errorCode.map { "  error \($0)" } ?? "") + (errorText.map { ": \($0)" } ?? "")
            + (statusDescription.map { "  (\($0))" } ?? "")
    }
}
