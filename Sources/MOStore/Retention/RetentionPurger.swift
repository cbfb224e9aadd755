import LibPQ

/// Deletes what is older than the configured ages (docs/retention.md), in batches of short transactions so no
/// lock is held for long and ingest and the queue go on meanwhile. Used by `moctl purge` and the daemon's periodic
/// purge, each on its own thread with its own connection; an advisory lock lets only one purge run at a time
/// across every daemon and moctl sharing the database.
public struct RetentionPurger {
    /// How old things get before they go; nil keeps them forever.
    public struct Ages: Sendable, Equatable {
        /// Raw request bodies (quarantined requests are deleted whole).
        public var rawPayloads: Duration?
        /// Normalized rows (inbound messages, status reports, events, media rows, auto-reply decisions, outbound
        /// messages) and what is left of their requests.
        public var normalizedRows: Duration?
        /// Downloaded media files.
        public var mediaFiles: Duration?
        /// Completed and cancelled jobs.
        public var completedJobs: Duration?
        /// Discarded jobs (the dead letter).
        public var discardedJobs: Duration?

        public init(rawPayloads: Duration?, normalizedRows: Duration?, mediaFiles: Duration?, completedJobs: Duration?,
                    discardedJobs: Duration?) {
            self.rawPayloads = rawPayloads
            self.normalizedRows = normalizedRows
            self.mediaFiles = mediaFiles
            self.completedJobs = completedJobs
            self.discardedJobs = discardedJobs
        }
    }

    /// The parts of a purge, in the order they run (files first: a message is kept while its file is).
    public enum Part: String, Sendable, CaseIterable {
        case mediaFiles = "media files"
        case rawPayloads = "raw payloads"
        case normalizedRows = "normalized rows"
        case outboundMessages = "outbound messages"
        case finishedJobs = "finished jobs"
    }

    /// What a purge did (or, dry, would do) per part: rows deleted or emptied, and rows kept because something
    /// still needs them.
    public struct Report: Sendable, Equatable {
        public var purged: [Part: Int] = [:]
        public var kept: [Part: Int] = [:]
        public var batches = 0
        public var filesDeleted = 0

        public init() {}

        public var total: Int { purged.values.reduce(0, +) }
    }

    public enum PurgeError: Error, Sendable, CustomStringConvertible {
        case database(PGError)
        /// Another purge holds the lock.
        case busy

        public var description: String {
            switch self {
            case .database(let error): "\(error)"
            case .busy: "another purge is running (a daemon or moctl); try again when it is done"
            }
        }
    }

    public let connection: PGConnection
    public let batchSize: Int

    public init(connection: PGConnection, batchSize: Int = 5_000) {
        self.connection = connection
        self.batchSize = max(1, batchSize)
    }

    /// 'mo-receiver retention' as a 64-bit number: one purge at a time per database.
    static let lockKey = 0x6d6f_7265_7465_6e74

    /// Runs every part whose age is set. `progress` is called after each batch with the part and its running
    /// total; `removeFile` is given each media path (relative to media.directory) no stored item uses any more,
    /// after the batch that freed it committed, and answers whether it deleted the file. `shouldStop` is polled between batches (daemon shutdown).
    public func purge(_ ages: Ages, progress: (Part, Int) -> Void = { _, _ in },
                      removeFile: (String) -> Bool = { _ in false },
                      shouldStop: () -> Bool = { false }) throws(PurgeError) -> Report {
        do {
            guard try connection.execute("SELECT pg_try_advisory_lock(\(Self.lockKey))").bool(0, 0) == true else {
                throw PurgeError.busy
            }
        } catch let error as PGError {
            throw .database(error)
        } catch {
            throw .busy
        }
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock(\(Self.lockKey))") }
        var report = Report()
        do {
            if let age = ages.mediaFiles {
                try purgeMediaFiles(age, &report, progress, removeFile, shouldStop)
            }
            if let age = ages.rawPayloads {
                try repeatBatches(.rawPayloads, &report, progress, shouldStop) { () throws(PGError) -> (Int, Bool) in
                    let row = try connection.execute(RetentionStatements.rawPayloads, [age.seconds.pgValue, batchSize.pgValue])
                    let done = (row.int(0, 0) ?? 0) + (row.int(0, 1) ?? 0)
                    return (done, done == batchSize)
                }
            }
            if let age = ages.normalizedRows {
                try purgeNormalizedRows(age, &report, progress, shouldStop)
                try repeatBatches(.outboundMessages, &report, progress, shouldStop) { () throws(PGError) -> (Int, Bool) in
                    let done = try connection.execute(RetentionStatements.outboundMessages,
                                                      [age.seconds.pgValue, batchSize.pgValue]).int(0, 0) ?? 0
                    return (done, done == batchSize)
                }
            }
            if ages.completedJobs != nil || ages.discardedJobs != nil {
                let jobs = JobStore(connection: connection)
                try repeatBatches(.finishedJobs, &report, progress, shouldStop) { () throws(PGError) -> (Int, Bool) in
                    let done = try jobs.clean(finishedAge: ages.completedJobs, discardedAge: ages.discardedJobs,
                                              limit: batchSize)
                    return (done, done == batchSize)
                }
            }
        } catch {
            throw .database(error)
        }
        return report
    }

    /// How many rows each part would purge now (before the checks that keep rows still needed).
    public func dryRun(_ ages: Ages) throws(PGError) -> Report {
        let row = try connection.execute(RetentionStatements.dryRun, [
            ages.mediaFiles, ages.rawPayloads, ages.normalizedRows, ages.completedJobs, ages.discardedJobs,
        ].map { $0.map(\.seconds).pgValue })
        var report = Report()
        for (index, part) in Part.allCases.enumerated() {
            report.purged[part] = row.int(0, index) ?? 0
        }
        return report
    }

    // MARK: - Parts

    /// Runs `batch` until it says it is done; each call is one transaction.
    private func repeatBatches(_ part: Part, _ report: inout Report, _ progress: (Part, Int) -> Void,
                               _ shouldStop: () -> Bool,
                               _ batch: () throws(PGError) -> (Int, Bool)) throws(PGError) {
        var total = 0
        while !shouldStop() {
            let (done, more) = try batch()
            report.batches += 1
            total += done
            progress(part, total)
            if !more { break }
        }
        report.purged[part, default: 0] += total
    }

    private func purgeMediaFiles(_ age: Duration, _ report: inout Report, _ progress: (Part, Int) -> Void,
                                 _ removeFile: (String) -> Bool, _ shouldStop: () -> Bool) throws(PGError) {
        var deleted = 0
        try repeatBatches(.mediaFiles, &report, progress, shouldStop) { () throws(PGError) -> (Int, Bool) in
            let result = try connection.execute(RetentionStatements.mediaFiles, [age.seconds.pgValue, batchSize.pgValue])
            let touched = result.int(0, 0) ?? 0
            let freed = (0..<result.rowCount).compactMap { result.string($0, 1) }
            if !freed.isEmpty {
                // Checked again after the batch committed, right before the unlinks: a download that stored the
                // same content since keeps its file.
                let unused = try connection.execute(RetentionStatements.unusedPaths, [PGTextArray(freed).pgValue])
                for row in 0..<unused.rowCount {
                    if let path = unused.string(row, 0), removeFile(path) { deleted += 1 }
                }
            }
            return (touched, touched == batchSize)
        }
        report.filesDeleted += deleted
    }

    private func purgeNormalizedRows(_ age: Duration, _ report: inout Report, _ progress: (Part, Int) -> Void,
                                     _ shouldStop: () -> Bool) throws(PGError) {
        let horizon = try connection.execute(RetentionStatements.normalizedHorizon, [age.seconds.pgValue])
        guard horizon.rowCount == 1, let last = horizon.int(0, 0) else { return }
        var cursor = 0
        var deleted = 0
        var kept = 0
        while !shouldStop() {
            let row = try connection.execute(RetentionStatements.normalizedRows, [
                age.seconds.pgValue, batchSize.pgValue, cursor.pgValue, last.pgValue,
            ])
            guard let next = row.int(0, 0) else { break }
            cursor = next
            deleted += row.int(0, 2) ?? 0
            kept += row.int(0, 3) ?? 0
            report.batches += 1
            progress(.normalizedRows, deleted)
        }
        report.purged[.normalizedRows, default: 0] += deleted
        report.kept[.normalizedRows, default: 0] += kept
    }
}
