import ArgumentParser
import Digest
import JSON
import MOPolicy
import MOReceiver
import MOStore
import MOSystem

struct Quarantine: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Requests kept because they could not be understood: list, show, replay with today's parser, drop.",
        discussion: """
            A malformed payload is answered 200 'quarantined' (ingest.malformed_status; CM retries anything else for a
            month) and kept byte for byte with the reason. Nothing else shows it: look here, or at moctl status.
            States: open (waiting for you), replayed (parsed and stored since), dropped (given up on; CM's retries
            of it are still counted on the row and answered as before).

            Examples:
              moctl quarantine list --since 1d
              moctl quarantine show 812 --body
              moctl quarantine replay 812            # after an upgrade that understands it
              moctl quarantine replay --all
              moctl quarantine drop 812 --yes
            """,
        subcommands: [List.self, Show.self, Replay.self, Drop.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List quarantined requests, newest first.",
            discussion: "Example:\n  moctl quarantine list --state all --endpoint status --json")

        @OptionGroup var global: GlobalOptions
        @Option(help: "open (default), replayed, dropped or all.") var state = "open"
        @Option(help: "Only this endpoint (mo, status, event).") var endpoint: String?
        @Option(help: "Only requests received since then: an age (2h, 7d) or an ISO 8601 date or time.")
        var since: String?
        @Option(help: "At most this many.") var limit = 50
        @Flag(name: .long, help: "Print JSON lines instead of a table.") var json = false

        func validate() throws {
            guard QuarantineStore.State(rawValue: state) != nil else {
                throw ValidationError("--state must be one of "
                                      + QuarantineStore.State.allCases.map(\.rawValue).joined(separator: ", "))
            }
            if let endpoint, ItemKind(rawValue: endpoint) == nil {
                throw ValidationError("--endpoint must be one of mo, status, event")
            }
            if let since { _ = try Since.parse(since) }
            guard limit > 0 else { throw ValidationError("--limit must be positive") }
        }

        func run() throws {
            let connection = try Tool.connect(global.config)
            let rows: [QuarantineStore.Row]
            do {
                rows = try QuarantineStore(connection: connection).list(
                    state: QuarantineStore.State(rawValue: state)!, endpoint: endpoint, since: try since.map(Since.parse),
                    limit: limit)
            } catch { Tool.fail("quarantine list: \(error)") }
            Tool.printList(rows, json: json, empty: "no quarantined requests")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one quarantined request: where it came from, why, and (with --body) its bytes.",
            discussion: """
                The body is printed as received when it is valid UTF-8 text, otherwise as hex. Bodies hold personal
                data: mind where you paste them.

                Examples:
                  moctl quarantine show 812
                  moctl quarantine show 812 --body > payload.json
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The request's id (webhook_requests.id).") var id: Int64
        @Flag(help: "Print only the body, as received (for saving or piping).") var body = false
        @Flag(name: .long, help: "Print JSON (the body as text, or hex when it is not UTF-8).") var json = false

        func run() throws {
            let connection = try Tool.connect(global.config)
            let found: (row: QuarantineStore.Row, body: [UInt8])?
            do { found = try QuarantineStore(connection: connection).show(id) } catch { Tool.fail("quarantine show: \(error)") }
            guard let found else { Tool.fail("no quarantined request \(id)") }
            let (row, bytes) = found
            let text = String(validating: bytes, as: UTF8.self)
            if body {
                StandardStream.output.write(bytes)
                return
            }
            if json {
                print(Tool.jsonObject { o in
                    row.writeJSON(to: &o)
                    o.field("content_type", row.contentType)
                    o.field("client_ip", row.clientIP)
                    o.field("body", text)
                    o.field("body_hex", text == nil ? bytes.hexString : nil)
                })
                return
            }
            print("quarantined request \(row.id): \(row.endpoint) \(row.method), \(row.state.rawValue)")
            print("  reason:       \(row.reason)")
            print("  received:     \(row.receivedAt)    last seen: \(row.lastSeenAt)    deliveries: \(row.seenCount)")
            print("  from:         \(row.clientIP)    content type: \(row.contentType ?? "-")    \(row.size) bytes")
            if let replayed = row.replayedAt {
                print("  replayed:     \(replayed) as request \(row.replayedRequestID.map(String.init) ?? "(since purged)")")
            }
            if let dropped = row.droppedAt { print("  dropped:      \(dropped)") }
            print("  body:         " + (text.map { $0.count > 400 ? String($0.prefix(400)) + "… (--body for all)" : $0 }
                                        ?? "\(bytes.count) bytes, not UTF-8 (--body prints them)"))
        }
    }

    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Parse quarantined requests again with this version's parser; store the ones it understands now.",
            discussion: """
                Uses the daemon's own decoder and ingest statement: a request that parses now is stored with its
                normalized rows and its dispatch jobs (handlers run as for a new delivery), and the quarantined row is
                marked replayed. One that still does not parse stays open with today's reason. Each request is its own
                transaction. With --all, progress is shown on a terminal; the summary is printed at the end.

                Examples:
                  moctl quarantine replay 812 813
                  moctl quarantine replay --all --endpoint mo
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Request ids.") var ids: [Int64] = []
        @Flag(help: "Every open quarantined request (of --endpoint, when given), oldest first.") var all = false
        @Option(help: "With --all: only this endpoint (mo, status, event).") var endpoint: String?
        @Flag(name: .long, help: "Print one JSON line per request.") var json = false

        func validate() throws {
            guard all != !ids.isEmpty else { throw ValidationError("give request ids or --all (not both)") }
            if let endpoint, ItemKind(rawValue: endpoint) == nil {
                throw ValidationError("--endpoint must be one of mo, status, event")
            }
        }

        func run() throws {
            let (config, connection) = try Tool.load(global.config)
            let store = QuarantineStore(connection: connection)
            var progress = ProgressLine()
            var counts = (stored: 0, malformed: 0, skipped: 0)
            var failed = false
            let route = IngestDecoding.router(for: config)
            func replay(_ id: Int64) {
                let outcome: QuarantineStore.ReplayOutcome
                do {
                    outcome = try store.replay(id, mediaJobs: config.media.enabled, decode: IngestDecoding.payload,
                                               route: route)
                } catch {
                    failed = true
                    progress.finish()
                    StandardStream.error.write("moctl: quarantine replay \(id): \(error)\n")
                    return
                }
                switch outcome {
                case .stored(let newID):
                    counts.stored += 1
                    if json { print(Self.replayLine(id, "stored") { $0.field("request_id", newID) }) }
                    else if !all { print("\(id): stored as request \(newID)") }
                case .stillMalformed(let reason):
                    counts.malformed += 1
                    if json { print(Self.replayLine(id, "malformed") { $0.field("reason", reason) }) }
                    else if !all { print("\(id): still malformed: \(reason)") }
                case .alreadyReplayed(let newID):
                    counts.skipped += 1
                    if json { print(Self.replayLine(id, "already_replayed") { $0.field("request_id", newID) }) }
                    else { print("\(id): replayed before\(newID.map { " (request \($0))" } ?? "")") }
                case .notFound:
                    counts.skipped += 1
                    failed = true
                    if json { print(Self.replayLine(id, "not_found") { _ in }) }
                    else { StandardStream.error.write("moctl: no quarantined request \(id)\n") }
                }
                let done = counts.stored + counts.malformed + counts.skipped
                progress.update("replaying: \(done) done, \(counts.stored) stored, \(counts.malformed) still malformed")
            }
            if all {
                var after: Int64 = 0
                while true {
                    let batch: [Int64]
                    do { batch = try store.openIDs(endpoint: endpoint, after: after, limit: 500) } catch {
                        Tool.fail("quarantine replay: \(error)")
                    }
                    if batch.isEmpty { break }
                    for id in batch { replay(id) }
                    after = batch.last!
                }
            } else {
                for id in ids { replay(id) }
            }
            progress.finish()
            if !json || all {
                StandardStream.error.write(
                    "\(counts.stored) stored, \(counts.malformed) still malformed, \(counts.skipped) skipped\n")
            }
            if failed { throw ExitCode(Tool.ExitCode.failure) }
        }

        /// One `--json` line of a replay: the id, the result, then what `details` writes.
        static func replayLine(_ id: Int64, _ result: String, _ details: (inout JSONWriter.ObjectWriter) -> Void) -> String {
            Tool.jsonObject { o in
                o.field("id", id)
                o.field("result", result)
                details(&o)
            }
        }
    }

    struct Drop: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give up on quarantined requests: mark them dropped, or with --delete remove them and their bytes.",
            discussion: """
                Needs --yes. A dropped request leaves the open list; CM's retries of the same bytes still land on it
                (counted, answered as before). --delete removes the row: a later retry would be quarantined anew.

                Examples:
                  moctl quarantine drop 812 --yes
                  moctl quarantine drop 812 813 --delete --yes
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Request ids.") var ids: [Int64]
        @Flag(help: "Delete the rows (and the bytes) instead of marking them dropped.") var delete = false
        @Flag(help: "Confirm: without it nothing is changed.") var yes = false

        func validate() throws {
            guard yes else {
                throw ValidationError("dropping \(ids.count) quarantined request(s)\(delete ? " and deleting their bytes" : "") needs --yes")
            }
        }

        func run() throws {
            let connection = try Tool.connect(global.config)
            let dropped: [Int64]
            do { dropped = try QuarantineStore(connection: connection).drop(ids: ids, delete: delete) } catch {
                Tool.fail("quarantine drop: \(error)")
            }
            print("\(dropped.count) request(s) \(delete ? "deleted" : "dropped")")
            let missed = Set(ids).subtracting(dropped)
            if !missed.isEmpty {
                Tool.fail("not \(delete ? "deleted" : "dropped") (no such open quarantined request): \(missed.sorted().map(String.init).joined(separator: " "))")
            }
        }
    }
}

extension QuarantineStore.Row: ListedRow {
    var textLine: String {
        "\(String(id).leftPadded(8))  \(receivedAt)  \(endpoint.fitted(6)) \(state.rawValue.fitted(8))  seen \(seenCount)x  "
            + "\(size) bytes  \(reason)"
    }

    /// The members of this request's JSON object (`quarantine show --json` adds the body and its headers).
    func writeJSON(to o: inout JSONWriter.ObjectWriter) {
        o.field("id", id)
        o.field("endpoint", endpoint)
        o.field("method", method)
        o.field("state", state.rawValue)
        o.field("received_at", receivedAt)
        o.field("last_seen_at", lastSeenAt)
        o.field("seen_count", seenCount)
        o.field("reason", reason)
        o.field("size", size)
        o.field("replayed_at", replayedAt)
        o.field("replayed_request_id", replayedRequestID)
        o.field("dropped_at", droppedAt)
    }
}
