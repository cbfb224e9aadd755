import ArgumentParser
import JSON
import MOPolicy
import MOReceiver
import MOStore

struct Messages: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inbound messages (MO) as stored: find them by time, channel, number or text; show one.",
        discussion: """
            Times are UTC. --since takes an age (15m, 2h, 7d, 2w) or an ISO 8601 date or time.
            Numbers match however they are written: +31 6…, 0031 6… and 316… are the same.

            Examples:
              moctl messages list --since 2h --channel WhatsApp
              moctl messages list --from +31612345678 --text "order" --json
              moctl messages show 1234
            """,
        subcommands: [List.self, Show.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List inbound messages, newest first.",
            discussion: "Example:\n  moctl messages list --since 1d --to +3197012345678 --limit 20")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only messages received since then: an age (2h, 7d) or an ISO 8601 date or time.")
        var since: String?
        @Option(help: "Only this channel (SMS, WhatsApp, …; any case).") var channel: String?
        @Option(help: "Only from this number (the customer).") var from: String?
        @Option(help: "Only to this number (ours).") var to: String?
        @Option(help: "Only messages whose text contains this (any case).") var text: String?
        @Option(help: "At most this many.") var limit = 50
        @Flag(name: .long, help: "Print JSON lines instead of a table.") var json = false

        func validate() throws {
            if let since { _ = try Since.parse(since) }
            guard limit > 0 else { throw ValidationError("--limit must be positive") }
        }

        func run() throws {
            let connection = try Tool.connect(global.config)
            let rows: [MessageAdmin.Message]
            do {
                rows = try MessageAdmin.messages(MessageAdmin.MessageFilter(
                    since: try since.map(Since.parse), channel: channel, from: from, to: to, text: text, limit: limit),
                    on: connection)
            } catch { Tool.fail("messages list: \(error)") }
            Tool.printList(rows, json: json, empty: "no messages")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one inbound message with its media and the state of its handlers.",
            discussion: "Example:\n  moctl messages show 1234 --json")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The message's id (inbound_messages.id).") var id: Int64
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() throws {
            let connection = try Tool.connect(global.config)
            let found: (message: MessageAdmin.Message, media: [MediaItems.Row], handlers: [(handler: String, state: String)])?
            do { found = try MessageAdmin.message(id, on: connection) } catch { Tool.fail("messages show: \(error)") }
            guard let found else { Tool.fail("no inbound message \(id)") }
            let (message, media, handlers) = found
            if json {
                print(Tool.jsonObject { o in
                    message.writeJSON(to: &o)
                    o.array("media_items") { items in
                        for item in media { items.object(item.writeJSON) }
                    }
                    o.object("handlers") { states in
                        for handler in handlers { states.field(handler.handler, handler.state) }
                    }
                })
                return
            }
            print("message \(message.id) (request \(message.requestID)), received \(message.receivedAt)")
            print("  channel:   \(message.channel)    form: \(message.form)")
            print("  from:      \(message.from)\(message.fromName.map { " (\($0))" } ?? "")")
            print("  to:        \(message.to ?? "-")")
            print("  sent at:   \(message.timeUtc ?? "-")    reference: \(message.reference ?? "-")")
            print("  text:      \(message.text)")
            for item in media {
                print("  media \(item.id): \(item.state)  \(item.contentType ?? "-")  \(item.uri)")
            }
            print("  handlers:  " + (handlers.isEmpty ? "none yet" : handlers.map { "\($0.handler) \($0.state)" }.joined(separator: ", ")))
        }
    }
}

/// `--since`: an age or a date, as the pure parser reads it; a bad one is a usage error.
enum Since {
    static func parse(_ text: String) throws -> TimeBound {
        do { return try TimeBound(parsing: text) } catch { throw ValidationError("--since: \(error)") }
    }
}

extension MessageAdmin.Message: ListedRow {
    var textLine: String {
        let text = String(String.UnicodeScalarView(self.text.unicodeScalars.map { $0 == "\n" ? " " : $0 }))
        return "\(String(id).leftPadded(8))  \(receivedAt)  \(channel.fitted(9))"
            + " \(from) → \(to ?? "-")  \(text.count > 60 ? String(text.prefix(59)) + "…" : text)"
            + (media > 0 ? "  [\(media) media]" : "")
    }

    /// The members of this message's JSON object (`messages show --json` adds media items and handlers).
    func writeJSON(to o: inout JSONWriter.ObjectWriter) {
        o.field("id", id)
        o.field("request_id", requestID)
        o.field("received_at", receivedAt)
        o.field("channel", channel)
        o.field("from", from)
        o.field("from_name", fromName)
        o.field("to", to)
        o.field("text", text)
        o.field("reference", reference)
        o.field("form", form)
        o.field("time_utc", timeUtc)
        o.field("media", media)
    }
}
