import LibPQ
import Logging
import MOPolicy
import MOStore
import Synchronization

/// What a worker pool runs: the job kinds it claims, in which order, and how to run one. Shared by the pool's
/// threads; each call uses the calling worker's connection.
protocol JobRunner: Sendable {
    var kinds: [JobKind] { get }
    /// Claim earliest deadline first (media) rather than by priority and schedule.
    var byDeadline: Bool { get }
    /// Reads ahead, in bulk, what the jobs of a claimed batch need; they then go through `run` one by one, each given
    /// the same `BatchRun`.
    func readAhead(_ jobs: [Job], on connection: PGConnection) throws(PGError) -> BatchRun
    func run(_ job: Job, batch: BatchRun, on connection: PGConnection) throws(PGError) -> JobResult
}

extension JobRunner {
    func readAhead(_ jobs: [Job], on connection: PGConnection) throws(PGError) -> BatchRun { BatchRun() }
}

/// What `readAhead` read for one claimed batch; lives as long as the worker runs that batch.
struct BatchRun {
    /// Documents read in one query per kind for the batch's dispatch jobs, by "kind:id" (several handlers of one
    /// item share one).
    var documents: [String: EventDocument] = [:]
}

/// Runs `dispatch` jobs: one handler on one item (ingest writes these). Shared by the worker threads; each call uses
/// the calling worker's connection.
final class Dispatcher: JobRunner {
    struct Entry: Sendable {
        let handler: any EventHandler
    }

    let kinds: [JobKind] = [.dispatch]
    let byDeadline = false

    /// The configured handlers by name; replaced whole by a config reload (a job already running keeps the
    /// handler it started with).
    private let handlerTable: Mutex<[String: Entry]>
    /// Hold a message's dispatch until its media are stored or finally failed (`dispatch.wait_for_media`).
    let waitForMedia: Bool
    /// Whether the media downloader runs (`media.enabled`). Without it, pending media count as finally failed.
    let mediaDownloads: Bool
    /// Where stored media live: documents carry absolute paths.
    let mediaRoot: String
    let logger: Logger

    init(handlers: [String: Entry], waitForMedia: Bool, mediaDownloads: Bool, mediaRoot: String,
         logger: Logger) {
        self.mediaRoot = mediaRoot
        self.handlerTable = Mutex(handlers)
        self.waitForMedia = waitForMedia
        self.mediaDownloads = mediaDownloads
        self.logger = logger
    }

    /// How long a message waits between checks of its media: a second while it is young (downloads usually finish
    /// within it, and a wake-up can race the check), longer as it ages (a backlog must not poll hot). The media
    /// worker also wakes the dispatch the moment the last item settles.
    static func mediaWait(age seconds: Double) -> Duration {
        .seconds(Int(min(max(seconds / 10, 1), 300)))
    }

    func replaceHandlers(_ handlers: [String: Entry]) {
        handlerTable.withLock { $0 = handlers }
    }

    func run(_ job: Job, batch: BatchRun, on connection: PGConnection) throws(PGError) -> JobResult {
        switch job.args {
        case .success(.dispatch(let args)): return try dispatch(job, args, prefetched: batch.documents, on: connection)
        case .success: return .discard(reason: "no worker runs jobs of kind '\(job.kind)'")
        case .failure(let error): return .discard(reason: error.description)
        }
    }

    /// The documents of the batch's dispatch jobs are read together, one query per kind (a batch of 16 dispatches
    /// costs 1–3 queries instead of 16); the jobs themselves then run one by one (`run`), each taking its document.
    /// They are read moments before use, which is fresh enough: media states only move forward, and a pending item
    /// just makes the job wait.
    func readAhead(_ jobs: [Job], on connection: PGConnection) throws(PGError) -> BatchRun {
        var wanted: [ItemKind: [Int64]] = [:]
        for job in jobs {
            if let args = job.dispatch { wanted[args.item, default: []].append(args.id) }
        }
        var documents: [String: EventDocument] = [:]
        if wanted.values.reduce(0, { $0 + $1.count }) > 1 {
            for (kind, ids) in wanted {
                for (id, document) in try EventDocuments.documents(kind: kind, ids: ids, mediaRoot: mediaRoot, on: connection) {
                    documents["\(kind.rawValue):\(id)"] = document
                }
            }
        }
        return BatchRun(documents: documents)
    }

    private func dispatch(_ job: Job, _ args: DispatchArgs, prefetched: [String: EventDocument],
                          on connection: PGConnection) throws(PGError) -> JobResult {
        let (kind, id, name) = (args.item, args.id, args.handler)
        guard let entry = handlerTable.withLock({ $0[name] }) else {
            return .discard(reason: "handler '\(name)' is not configured (any more); add it back and run `moctl jobs retry \(job.id)`")
        }
        var document = prefetched["\(kind.rawValue):\(id)"]
        if document == nil {
            document = try EventDocuments.document(kind: kind, id: id, mediaRoot: mediaRoot, on: connection)
        }
        guard let document else {
            return .discard(reason: "\(kind.rawValue) \(id) no longer exists (purged)")
        }
        if kind == .mo && waitForMedia && mediaDownloads && document.pendingMedia > 0 {
            return .snooze(Self.mediaWait(age: document.ageSeconds))
        }
        let context = HandlerContext(handlerName: name, jobID: job.id, attempt: job.attempt,
                                     maxAttempts: job.maxAttempts, logger: logger,
                                     replies: ReplyRecords(connection: connection))
        return entry.handler.handle(document, context: context)
    }
}
