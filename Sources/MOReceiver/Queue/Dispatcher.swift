import LibPQ
import Logging
import MOPolicy
import MOStore
import Synchronization

/// What a worker pool runs: the job kinds it claims, in which order, and how to run one. Shared by the pool's
/// threads; each call uses the calling worker's connection.
protocol JobRunner: Sendable {
    var kinds: [String] { get }
    /// Claim earliest deadline first (media) rather than by priority and schedule.
    var byDeadline: Bool { get }
    /// Runs, in bulk, the jobs of a claimed batch that can share their work, and returns their results; the others
    /// go through `run` one by one.
    func runTogether(_ jobs: [Job], on connection: PGConnection) throws(PGError) -> [Int64: JobResult]
    func run(_ job: Job, on connection: PGConnection) throws(PGError) -> JobResult
}

extension JobRunner {
    func runTogether(_ jobs: [Job], on connection: PGConnection) throws(PGError) -> [Int64: JobResult] { [:] }
}

/// Runs the daemon's job kinds: `dispatch` (one handler on one item; ingest writes these) and `route` (a stored
/// webhook request → one `dispatch` job per item and matching handler; only earlier versions wrote these, so a
/// queue upgraded with route jobs still waiting drains). Shared by the worker threads; each call uses the calling
/// worker's connection.
final class Dispatcher: JobRunner {
    struct Entry: Sendable {
        let handler: any EventHandler
        let maxAttempts: Int
    }

    let kinds = ["route", "dispatch"]
    let byDeadline = false

    let routing: Routing
    /// The configured handlers by name; replaced whole by a config reload (a job already running keeps the
    /// handler it started with).
    private let handlerTable: Mutex<[String: Entry]>
    /// Documents read for a worker's claimed batch in one query per kind, by the worker's connection; each job takes
    /// its own when it runs, if read within the last second (fresh enough: media states only move forward, and a
    /// pending item just makes the job wait). A batch of 16 dispatches then costs 1–3 queries instead of 16.
    private let prefetched = Mutex<[ObjectIdentifier: Prefetch]>([:])

    struct Prefetch {
        var at: ContinuousClock.Instant
        var documents: [String: EventDocument]
    }
    /// Hold a message's dispatch until its media are stored or finally failed (`dispatch.wait_for_media`).
    let waitForMedia: Bool
    /// Whether the media downloader runs (`media.enabled`). Without it, pending media count as finally failed.
    let mediaDownloads: Bool
    /// Where stored media live: documents carry absolute paths.
    let mediaRoot: String
    let logger: Logger

    init(routing: Routing, handlers: [String: Entry], waitForMedia: Bool, mediaDownloads: Bool, mediaRoot: String,
         logger: Logger) {
        self.mediaRoot = mediaRoot
        self.routing = routing
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

    var handlers: [String: Entry] { handlerTable.withLock { $0 } }

    func replaceHandlers(_ handlers: [String: Entry]) {
        handlerTable.withLock { $0 = handlers }
    }

    func run(_ job: Job, on connection: PGConnection) throws(PGError) -> JobResult {
        switch job.kind {
        case "route": return try route([job], on: connection)[job.id] ?? .discard(reason: "route job not run")
        case "dispatch": return try dispatch(job, on: connection)
        default: return .discard(reason: "no worker runs jobs of kind '\(job.kind)'")
        }
    }

    /// Route jobs run together: one query for all their items, one statement for all the dispatch jobs. The
    /// documents of the batch's dispatch jobs are read here too, one query per kind; the jobs themselves then run
    /// one by one (`run`), each taking its document.
    func runTogether(_ jobs: [Job], on connection: PGConnection) throws(PGError) -> [Int64: JobResult] {
        let routeJobs = jobs.filter { $0.kind == "route" }
        let results = routeJobs.isEmpty ? [:] : try route(routeJobs, on: connection)
        var wanted: [RouteKind: [Int64]] = [:]
        for job in jobs where job.kind == "dispatch" {
            if let kind = job.args["item"].flatMap(RouteKind.init(rawValue:)), let id = job.id("id") {
                wanted[kind, default: []].append(id)
            }
        }
        var documents: [String: EventDocument] = [:]
        if wanted.values.reduce(0, { $0 + $1.count }) > 1 {
            for (kind, ids) in wanted {
                for (id, document) in try EventDocuments.documents(kind: kind, ids: ids, mediaRoot: mediaRoot, on: connection) {
                    documents["\(kind.rawValue):\(id)"] = document
                }
            }
        }
        let key = ObjectIdentifier(connection)
        prefetched.withLock { $0[key] = documents.isEmpty ? nil : Prefetch(at: .now, documents: documents) }
        return results
    }

    /// The batch's prefetched document for an item, when it is fresh (several handlers of one item share it).
    private func takePrefetched(_ kind: RouteKind, _ id: Int64, on connection: PGConnection) -> EventDocument? {
        prefetched.withLock { all -> EventDocument? in
            guard let batch = all[ObjectIdentifier(connection)], ContinuousClock.now - batch.at < .seconds(1) else {
                return nil
            }
            return batch.documents["\(kind.rawValue):\(id)"]
        }
    }

    /// Enqueues one dispatch job per item of each request and handler its routes name. Idempotent (unique keys),
    /// so running it twice after a crash enqueues nothing new.
    private func route(_ jobs: [Job], on connection: PGConnection) throws(PGError) -> [Int64: JobResult] {
        var results: [Int64: JobResult] = [:]
        var requests: [Int64] = []
        for job in jobs {
            if let requestID = job.id("request_id") {
                requests.append(requestID)
                results[job.id] = .completed
            } else {
                results[job.id] = .discard(reason: "route job without request_id")
            }
        }
        var dispatches: [JobStore.NewJob] = []
        for (_, id, item) in try EventDocuments.items(ofRequests: requests, on: connection) {
            for handler in routing.handlers(for: item) {
                dispatches.append(.dispatch(kind: item.kind, id: id, handler: handler.name,
                                            maxAttempts: handler.maxAttempts))
            }
        }
        try JobStore(connection: connection).enqueue(dispatches)
        return results
    }

    private func dispatch(_ job: Job, on connection: PGConnection) throws(PGError) -> JobResult {
        guard let kind = job.args["item"].flatMap(RouteKind.init(rawValue:)), let id = job.id("id"),
              let name = job.args["handler"] else {
            return .discard(reason: "dispatch job without item, id or handler")
        }
        guard let entry = handlerTable.withLock({ $0[name] }) else {
            return .discard(reason: "handler '\(name)' is not configured (any more); add it back and run `moctl jobs retry \(job.id)`")
        }
        var document = takePrefetched(kind, id, on: connection)
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
                                     maxAttempts: job.maxAttempts, logger: logger, database: connection)
        switch entry.handler.handle(document, context: context) {
        case .done: return .completed
        case .retry(let reason, let after): return .retry(reason: reason, delay: after)
        case .failed(let reason): return .discard(reason: reason)
        }
    }
}
