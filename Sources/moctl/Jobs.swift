import ArgumentParser
import MOReceiver
import MOStore

struct Jobs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect and steer the work queue: counts, lists, one job's history, retry, discard.",
        discussion: """
            Without a subcommand: how many jobs of each kind are in each state.
            States: available (waiting), running (leased by a worker), retryable (failed, waiting for its backoff),
            completed, discarded (failed for good: the dead letter), cancelled.

            Examples:
              moctl jobs --config /etc/mo-receiver/config.toml
              moctl jobs list --state discarded --handler crm
              moctl jobs show 4711
              moctl jobs retry --discarded
            """,
        subcommands: [Counts.self, List.self, Show.self, Retry.self, Discard.self],
        defaultSubcommand: Counts.self)

    struct Counts: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "counts", abstract: "Jobs by kind and state (the default).",
            discussion: "Example:\n  moctl jobs counts --json")

        @OptionGroup var global: GlobalOptions
        @Flag(name: .long, help: "Print JSON lines instead of a table.") var json = false

        func run() throws {
            let connection = try Tool.connect(global.config)
            let counts: [JobAdmin.Count]
            do { counts = try JobAdmin.counts(on: connection) } catch { Tool.fail("jobs: \(error)") }
            if json {
                for count in counts {
                    print(Tool.jsonObject { o in
                        o.field("kind", count.kind)
                        o.field("state", count.state)
                        o.field("jobs", count.jobs)
                        o.field("oldest_scheduled_at", count.oldestScheduledAt)
                    })
                }
                return
            }
            if counts.isEmpty { print("no jobs"); return }
            print("kind      state        jobs  oldest waiting since")
            for count in counts {
                print(count.kind.fitted(10)
                      + count.state.fitted(10)
                      + String(count.jobs).leftPadded(7) + "  " + (count.oldestScheduledAt ?? ""))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List jobs, newest first.",
            discussion: "Example:\n  moctl jobs list --state retryable --kind dispatch --limit 20")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only jobs in this state (available, running, retryable, completed, discarded, cancelled).")
        var state: String?
        @Option(help: "Only jobs of this kind (dispatch, media_fetch).") var kind: String?
        @Option(help: "Only dispatch jobs of this handler (its [[handlers]] name).") var handler: String?
        @Option(help: "At most this many jobs.") var limit = 50
        @Flag(name: .long, help: "Print JSON lines instead of a table.") var json = false

        func validate() throws {
            if let state, JobState(rawValue: state) == nil {
                throw ValidationError("--state must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard limit > 0 else { throw ValidationError("--limit must be positive") }
        }

        func run() throws {
            let connection = try Tool.connect(global.config)
            let rows: [JobAdmin.Row]
            do {
                rows = try JobAdmin.list(JobAdmin.Filter(state: state, kind: kind, handler: handler, limit: limit),
                                         on: connection)
            } catch { Tool.fail("jobs list: \(error)") }
            for row in rows {
                if json {
                    print(row.jsonLine)
                } else {
                    print("\(String(row.id).leftPadded(8))  \(row.kind.fitted(9))"
                          + "\(row.state.fitted(10)) \(row.attempt)/\(row.maxAttempts)  "
                          + "\(row.scheduledAt)  \(row.args)" + (row.lastError.map { "  last error: \($0)" } ?? ""))
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one job with its whole error history.",
            discussion: "Example:\n  moctl jobs show 4711 --json")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The job's id.") var id: Int64
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() throws {
            let connection = try Tool.connect(global.config)
            let found: JobAdmin.Row?
            do { found = try JobAdmin.show(id, on: connection) } catch { Tool.fail("jobs show: \(error)") }
            guard let row = found else { Tool.fail("no job \(id)") }
            if json { print(row.jsonLine); return }
            print("job \(row.id): \(row.kind), \(row.state), attempt \(row.attempt) of \(row.maxAttempts)")
            print("  args:        \(row.args)")
            print("  unique key:  \(row.uniqueKey ?? "-")")
            print("  created:     \(row.createdAt)")
            print("  scheduled:   \(row.scheduledAt)")
            print("  attempted:   \(row.attemptedAt ?? "never")\(row.attemptedBy.map { " by \($0)" } ?? "")")
            print("  finalized:   \(row.finalizedAt ?? "-")")
            print("  errors:      \(row.errors)")
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run discarded, cancelled or retryable jobs again now (with one more attempt).",
            discussion: """
                Examples:
                  moctl jobs retry 4711 4712
                  moctl jobs retry --discarded --kind dispatch
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Job ids.") var ids: [Int64] = []
        @Flag(help: "Every discarded job (of --kind, when given).") var discarded = false
        @Option(help: "With --discarded: only jobs of this kind.") var kind: String?

        func validate() throws {
            guard discarded != !ids.isEmpty else { throw ValidationError("give job ids or --discarded (not both)") }
        }

        func run() throws {
            let connection = try Tool.connect(global.config)
            let retried: [Int64]
            do {
                retried = try JobAdmin.retry(ids: discarded ? nil : ids, kind: kind, on: connection)
                try connection.execute("NOTIFY mo_jobs")
            } catch { Tool.fail("jobs retry: \(error)") }
            print("\(retried.count) job(s) queued again")
            let missed = Set(ids).subtracting(retried)
            if !missed.isEmpty {
                Tool.fail("not retried (no such job, or running or completed): \(missed.sorted().map(String.init).joined(separator: " "))")
            }
        }
    }

    struct Discard: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give up on waiting jobs (available or retryable): they become discarded.",
            discussion: "Example:\n  moctl jobs discard 4711")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Job ids.") var ids: [Int64]

        func run() throws {
            let connection = try Tool.connect(global.config)
            let discarded: [Int64]
            do { discarded = try JobAdmin.discard(ids: ids, on: connection) } catch { Tool.fail("jobs discard: \(error)") }
            print("\(discarded.count) job(s) discarded")
            let missed = Set(ids).subtracting(discarded)
            if !missed.isEmpty {
                Tool.fail("not discarded (no such job, or running or finished): \(missed.sorted().map(String.init).joined(separator: " "))")
            }
        }
    }
}

extension JobAdmin.Row {
    /// `args` and `errors` are PostgreSQL's text of jsonb columns, spliced in as they are.
    var jsonLine: String {
        Tool.jsonObject { o in
            o.field("id", id)
            o.field("kind", kind)
            o.field("state", state)
            o.field("attempt", attempt)
            o.field("max_attempts", maxAttempts)
            o.field("args", unsafeRawJSON: args)
            o.field("unique_key", uniqueKey)
            o.field("scheduled_at", scheduledAt)
            o.field("attempted_at", attemptedAt)
            o.field("attempted_by", attemptedBy)
            o.field("created_at", createdAt)
            o.field("finalized_at", finalizedAt)
            o.field("errors", unsafeRawJSON: errors)
        }
    }
}
