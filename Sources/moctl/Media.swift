import ArgumentParser
import JSON
import MOReceiver
import MOStore

struct Media: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Media attachments: what is stored, what is at risk, and retries.",
        discussion: """
            States: pending (being fetched, retried until CM deletes the file), stored, failed (refused for good:
            URL outside media.allowed_hosts, too large, the host refused), expired (CM's deadline passed first).

            Examples:
              moctl media list --at-risk
              moctl media show 17
              moctl media retry --failed
              moctl media fetch-now 17
              moctl media path 17
            """,
        subcommands: [List.self, Show.self, Retry.self, FetchNow.self, Path.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List media items: pending ones by deadline, then the newest.",
            discussion: "Example:\n  moctl media list --state failed --json")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only items in this state (pending, stored, failed, expired, purged).") var state: String?
        @Flag(help: "Only pending items whose deadline is within media.at_risk_hours.") var atRisk = false
        @Option(help: "At most this many.") var limit = 50
        @Flag(name: .long, help: "Print JSON lines.") var json = false

        func validate() throws {
            if let state, !["pending", "stored", "failed", "expired", "purged"].contains(state) {
                throw ValidationError("--state must be one of pending, stored, failed, expired, purged")
            }
        }

        func run() throws {
            let (config, connection) = try Tool.load(global.config)
            let rows: [MediaItems.Row]
            do {
                rows = try MediaItems(connection: connection).list(state: state, atRiskHours: atRisk ? config.media.atRiskHours : nil,
                                                                   limit: limit)
            } catch { Tool.fail("media list: \(error)") }
            Tool.printList(rows, json: json, empty: "no media items")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one media item.",
                                                        discussion: "Example:\n  moctl media show 17")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The media item's id.") var id: Int64
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() throws {
            let (config, connection) = try Tool.load(global.config)
            let found: MediaItems.Row?
            do { found = try MediaItems(connection: connection).row(id) } catch { Tool.fail("media show: \(error)") }
            guard let row = found else { Tool.fail("no media item \(id)") }
            if json { print(row.jsonLine); return }
            print("media \(row.id) of message \(row.messageID): \(row.state)")
            print("  uri:        \(row.uri)")
            print("  declared:   \(row.contentType ?? "-")    sniffed: \(row.sniffedType ?? "-")")
            print("  deadline:   \(row.expiresAt)    attempts: \(row.attempts)")
            print("  stored:     \(row.storedAt ?? "-")  \(row.size.map { "\($0) bytes" } ?? "")  sha256 \(row.sha256 ?? "-")")
            print("  path:       \(row.path.map { config.media.directory + "/" + $0 } ?? "-")")
            print("  last error: \(row.lastError ?? "-")")
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch failed (or given) items again, in deadline order.",
            discussion: "Examples:\n  moctl media retry 17 18\n  moctl media retry --failed")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Media item ids.") var ids: [Int64] = []
        @Flag(help: "Every failed item.") var failed = false

        func validate() throws {
            guard failed != !ids.isEmpty else { throw ValidationError("give media ids or --failed (not both)") }
        }

        func run() throws {
            let connection = try Tool.connect(global.config)
            do {
                let queued = try MediaItems(connection: connection).requeue(ids: failed ? nil : ids, failedOnly: failed, first: false)
                print("\(queued.count) media item(s) queued")
            } catch { Tool.fail("media retry: \(error)") }
        }
    }

    struct FetchNow: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fetch-now", abstract: "Fetch one item ahead of everything else.",
            discussion: "Example:\n  moctl media fetch-now 17")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The media item's id.") var id: Int64

        func run() throws {
            let connection = try Tool.connect(global.config)
            do {
                let queued = try MediaItems(connection: connection).requeue(ids: [id], failedOnly: false, first: true)
                if queued.isEmpty { Tool.fail("media \(id) is not pending or failed (see moctl media show \(id))") }
                print("media \(id) queued first")
            } catch { Tool.fail("media fetch-now: \(error)") }
        }
    }

    struct Path: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the local file of a stored item (for scripts: moctl media path 17 | xargs file).",
            discussion: "Example:\n  moctl media path 17")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The media item's id.") var id: Int64

        func run() throws {
            let (config, connection) = try Tool.load(global.config)
            let found: MediaItems.Row?
            do { found = try MediaItems(connection: connection).row(id) } catch { Tool.fail("media path: \(error)") }
            guard let path = found?.path else { Tool.fail("media \(id) is not stored") }
            print(config.media.directory + "/" + path)
        }
    }
}

extension MediaItems.Row: ListedRow {
    var textLine: String {
        "\(String(id).leftPadded(7))  \(state.fitted(8))  deadline \(expiresAt)  attempts \(attempts)"
            + (size.map { "  \($0) bytes" } ?? "") + (lastError.map { "  last error: \($0)" } ?? "")
    }

    /// The members of this item's JSON object (also nested in `moctl messages show --json`).
    func writeJSON(to o: inout JSONWriter.ObjectWriter) {
        o.field("id", id)
        o.field("message_id", messageID)
        o.field("state", state)
        o.field("uri", uri)
        o.field("content_type", contentType)
        o.field("sniffed_content_type", sniffedType)
        o.field("size", size)
        o.field("sha256", sha256)
        o.field("path", path)
        o.field("expires_at", expiresAt)
        o.field("attempts", attempts)
        o.field("last_error", lastError)
        o.field("stored_at", storedAt)
    }
}
