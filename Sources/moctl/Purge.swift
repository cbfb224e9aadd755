import ArgumentParser
import MOPolicy
import MOReceiver
import MOStore

struct Purge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Delete what is older than the retention ages ([retention]), in short batches, as the daemon does periodically.",
        discussion: """
            Parts, in order: media files (retention.media_files_days), raw payloads (raw_payloads_days: bodies
            emptied, quarantined requests deleted), normalized rows and outbound messages (normalized_rows_days),
            finished jobs ([queue] completed_retention_hours, discarded_retention_days). A part whose age is 0 is
            kept forever. Rows something still needs (an unfinished job, a stored media file) are kept and counted.
            Each batch (retention.batch_size rows) is its own short transaction; one purge runs at a time per
            database. Progress is shown on a terminal; the summary is printed at the end. See docs/retention.md.

            Examples:
              moctl purge --dry-run
              moctl purge
              moctl purge --only raw-payloads --older-than 60d
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Count what would be purged (before the checks that keep rows still needed); change nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Use this age for every part that runs instead of the configured ones (e.g. 120d, 36h).",
                               valueName: "age"))
    var olderThan: String?

    @Option(help: "Run only these parts (repeatable): media-files, raw-payloads, normalized-rows, finished-jobs.")
    var only: [String] = []

    @Flag(name: .long, help: "Print the summary as one JSON object.") var json = false

    static let partNames = ["media-files", "raw-payloads", "normalized-rows", "finished-jobs"]

    func validate() throws {
        if let olderThan {
            let seconds: Int
            do { seconds = try TimeBound.age(parsing: olderThan) } catch { throw ValidationError("--older-than: \(error)") }
            guard seconds >= 3_600 else { throw ValidationError("--older-than must be at least 1h") }
        }
        for part in only where !Self.partNames.contains(part) {
            throw ValidationError("--only must be one of \(Self.partNames.joined(separator: ", "))")
        }
    }

    /// The ages to purge with: configured, overridden by --older-than, restricted by --only.
    func purgeAges(_ config: ReceiverConfig) throws -> RetentionPurger.Ages {
        var ages = config.retentionAges
        if let olderThan {
            let age = Duration.seconds(try TimeBound.age(parsing: olderThan))
            ages = RetentionPurger.Ages(rawPayloads: age, normalizedRows: age, mediaFiles: age, completedJobs: age,
                                        discardedJobs: age)
        }
        if !only.isEmpty {
            if !only.contains("media-files") { ages.mediaFiles = nil }
            if !only.contains("raw-payloads") { ages.rawPayloads = nil }
            if !only.contains("normalized-rows") { ages.normalizedRows = nil }
            if !only.contains("finished-jobs") { ages.completedJobs = nil; ages.discardedJobs = nil }
        }
        return ages
    }

    func run() throws {
        let (config, connection) = try Tool.load(global.config)
        let ages = try purgeAges(config)
        let report: RetentionPurger.Report
        var progress = ProgressLine()
        do {
            if dryRun {
                report = try RetentionPurger(connection: connection, batchSize: config.retention.batchSize).dryRun(ages)
            } else {
                var shown: RetentionPurger.Part?
                report = try Retention.purge(config: config, ages: ages, on: connection, progress: { part, done in
                    // Each part is drawn at least once; within a part, at most ten times a second.
                    progress.update("purging \(part.rawValue): \(done)", force: part != shown)
                    shown = part
                })
            }
        } catch {
            progress.finish()
            Tool.fail("purge: \(error)")
        }
        progress.finish()
        let parts = RetentionPurger.Part.allCases
        if json {
            print(Tool.jsonObject { o in
                o.field("dry_run", dryRun)
                for part in parts { o.field(part.rawValue.replacing(" ", with: "_"), report.purged[part] ?? 0) }
                o.field("kept", report.kept.values.reduce(0, +))
                o.field("files_deleted", report.filesDeleted)
                o.field("batches", report.batches)
            })
            return
        }
        func age(_ value: Duration?) -> String {
            guard let value else { return "kept forever" }
            let seconds = value.components.seconds
            return seconds % 86_400 == 0 ? "older than \(seconds / 86_400)d" : "older than \(seconds / 3_600)h"
        }
        let described: [RetentionPurger.Part: String] = [
            .mediaFiles: age(ages.mediaFiles), .rawPayloads: age(ages.rawPayloads),
            .normalizedRows: age(ages.normalizedRows), .outboundMessages: age(ages.normalizedRows),
            .finishedJobs: ages.completedJobs == nil && ages.discardedJobs == nil ? "kept forever"
                : "completed \(age(ages.completedJobs)), discarded \(age(ages.discardedJobs))",
        ]
        print(dryRun ? "would purge:" : "purged:")
        for part in parts {
            print("  \(part.rawValue.fitted(18)) \(String(report.purged[part] ?? 0).leftPadded(9))"
                  + "  (\(described[part] ?? ""))"
                  + ((report.kept[part] ?? 0) > 0 ? "  \(report.kept[part]!) kept: still needed" : ""))
        }
        if !dryRun { print("  \(report.filesDeleted) media file(s) deleted, \(report.batches) batch(es)") }
    }
}
