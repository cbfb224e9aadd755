import Curl
import Digest
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LibPQ
import Logging
import MOPolicy
import MOStore
import MOMedia
import Synchronization

extension SHA256: StreamingDigest {
    public func finalizeHex() -> String { finalize().hexString }
}

/// Runs `media_fetch` jobs (earliest deadline first): checks the URL against `media.allowed_hosts`, downloads with
/// every connection's address checked (no loopback, private, link-local or metadata addresses), follows at most
/// three redirects itself (each checked again), streams into the content-addressed store and records the result.
/// Failures retry with backoff until CM's deadline; after it the item is `expired`. Shared by the media worker
/// threads; each call borrows a curl handle.
final class MediaFetcher: JobRunner {
    let kinds: [JobKind] = [.mediaFetch]
    let byDeadline = true
    let settings: ReceiverConfig.Media
    let urls: MediaURLPolicy
    let destinations: DestinationPolicy
    let store: any MediaStorage
    let logger: Logger
    let metrics: Metrics?
    let handles = CurlHandlePool()
    private let lastHousekeeping = Mutex<ContinuousClock.Instant?>(nil)

    static let maxRedirects = 3

    init(settings: ReceiverConfig.Media, metrics: Metrics? = nil, logger: Logger) throws(MediaStoreError) {
        self.settings = settings
        self.metrics = metrics
        // CM's own media hosts, plus what the operator allows. Not Instagram's CDN by default: CM's Instagram
        // documentation forbids storing Instagram media (only the CDN URL may be kept).
        let hosts = MediaHostPattern.cmMediaHosts + settings.allowedHosts.compactMap { try? MediaHostPattern(parsing: $0) }
        urls = MediaURLPolicy(settings: MediaURLPolicy.Settings(
            allowedHosts: hosts, allowPlainHTTP: settings.allowHTTPForTests,
            allowIPLiteralHosts: settings.allowHTTPForTests,
            allowedPorts: settings.allowHTTPForTests ? Set(1...65_535) : []))
        destinations = DestinationPolicy(settings: DestinationPolicy.Settings(
            allowLoopback: settings.allowLoopbackForTests,
            allowedPorts: settings.allowHTTPForTests ? Set(1...65_535) : [443]))
        store = try FileMediaStore(root: settings.directory, digest: { SHA256() })
        self.logger = logger
    }

    /// What one download attempt came to.
    enum Attempt {
        case stored(StoredMedia, sniffedType: String)
        /// Never worth another try (URL refused, too large, the host refused for good).
        case refused(String)
        /// Try again later (network, timeout, 5xx, disk full); `after` overrides the backoff.
        case failed(String, after: Duration?)
    }

    func run(_ job: Job, batch _: BatchRun, on connection: PGConnection) throws(PGError) -> JobResult {
        housekeeping(connection)
        let items = MediaItems(connection: connection)
        let id: Int64
        switch job.args {
        case .success(.mediaFetch(let args)): id = args.mediaID
        case .success: return .discard(reason: "no worker runs jobs of kind '\(job.kind)'")
        case .failure(let error): return .discard(reason: error.description)
        }
        guard let item = try items.item(id) else {
            return .discard(reason: "the media item no longer exists")
        }
        guard item.state == "pending" else { return .completed }
        var metadata: Logger.Metadata = ["media.id": "\(id)", "job.attempt": "\(job.attempt)"]
        if item.secondsLeft <= 0 {
            let reason = "CM's deadline passed before the file could be stored"
            try items.recordFinal(id, state: "expired", error: reason)
            logger.error("media expired before it was stored", metadata: metadata)
            metrics?.mediaDownloads.increment(["expired"])
            try wakeDispatch(of: item.messageID, on: connection)
            return .discard(reason: reason)
        }
        let outcome: Attempt
        do {
            outcome = download(try urls.check(item.uri))
        } catch {
            outcome = .refused("media URL refused: \(error)")
        }
        switch outcome {
        case .stored(let stored, let sniffed):
            try items.recordStored(id, path: stored.relativePath, sha256: stored.sha256Hex, size: stored.byteCount,
                                   sniffedType: sniffed)
            metadata["media.bytes"] = "\(stored.byteCount)"
            metadata["media.deduplicated"] = "\(stored.alreadyStored)"
            logger.info("media stored", metadata: metadata)
            metrics?.mediaDownloads.increment(["stored"])
            metrics?.mediaBytes.increment([], by: Double(stored.byteCount))
            if settings.deleteAfterDownload, let url = try? urls.check(item.uri) {
                try items.recordDeletion(id, error: deleteAtSource(url))
            }
            try wakeDispatch(of: item.messageID, on: connection)
            return .completed
        case .refused(let reason):
            try items.recordFinal(id, state: "failed", error: reason)
            metadata["media.error"] = "\(reason)"
            logger.error("media refused for good", metadata: metadata)
            metrics?.mediaDownloads.increment(["failed"])
            try wakeDispatch(of: item.messageID, on: connection)
            return .discard(reason: reason)
        case .failed(let reason, let after):
            try items.recordFailure(id, error: reason)
            metadata["media.error"] = "\(reason)"
            logger.warning("media download failed; will retry before the deadline", metadata: metadata)
            metrics?.mediaDownloads.increment(["retry"])
            // Never wait past the deadline: the last tries come closer together as it nears.
            let backoff = after ?? Backoff(maxDelay: .seconds(3_600)).delay(afterAttempt: job.attempt,
                                                                          jitter: Double.random(in: 0..<1))
            let room = Duration.seconds(max(1, Int(item.secondsLeft / 2)))
            return .retry(reason: reason, delay: min(backoff, room))
        }
    }

    /// One download, following redirects ourselves so every hop's URL is checked like the first.
    func download(_ first: MediaURL) -> Attempt {
        var url = first
        for _ in 0...Self.maxRedirects {
            let sink = MediaSink(store: store, maxBytes: settings.maxBytes)
            var refusal: String?
            var request = HTTPClientRequest(method: "GET", url: url.absoluteString)
            request.connectTimeout = .milliseconds(settings.connectTimeoutMilliseconds)
            request.timeout = .seconds(settings.timeoutSeconds)
            request.lowSpeed = (settings.lowSpeedBytesPerSecond, settings.lowSpeedSeconds)
            request.maxResponseBytes = settings.maxBytes
            request.allowedProtocols = settings.allowHTTPForTests ? ["http", "https"] : ["https"]
            let response: HTTPClientResponse
            do {
                response = try handles.with { curl throws(CurlError) in
                    try curl.perform(request, sink: sink.write, addressFilter: { address, port in
                        if case .refused(let why) = self.destinations.decide(numericHost: address, port: port) {
                            refusal = why.description
                            return false
                        }
                        return true
                    })
                }
            } catch {
                sink.abort()
                if let storeError = sink.error { return Self.attempt(storeError) }
                if let refusal { return .refused("connection refused by the destination policy: \(refusal)") }
                switch error.kind {
                case .tooLarge: return .refused("the file is larger than media.max_bytes (\(settings.maxBytes) bytes)")
                case .protocolRefused: return .refused("media download: \(error)")
                default: return .failed("media download: \(error)", after: nil)
                }
            }
            switch response.status {
            case 200..<300:
                do {
                    let stored = try sink.commit()
                    return .stored(stored, sniffedType: sink.sniffedType)
                } catch {
                    return Self.attempt(error)
                }
            case 301, 302, 303, 307, 308:
                sink.abort()
                guard let location = response.value(of: "Location") else {
                    return .refused("the media host redirected without a Location")
                }
                do {
                    url = try urls.resolveRedirect(location: location, from: url)
                } catch {
                    return .refused("redirect refused: \(error)")
                }
            case 408, 425, 429, 500..<600:
                sink.abort()
                return .failed("the media host answered \(response.status)", after: nil)
            default:
                sink.abort()
                return .refused("the media host answered \(response.status)")
            }
        }
        return .refused("more than \(Self.maxRedirects) redirects")
    }

    static func attempt(_ error: MediaStoreError) -> Attempt {
        switch error {
        case .tooLarge(let limit): return .refused("the file is larger than media.max_bytes (\(limit) bytes)")
        case .diskFull: return .failed("media store: \(error)", after: .seconds(300))
        default: return .failed("media store: \(error)", after: nil)
        }
    }

    /// `media.delete_after_download`: one DELETE to the same URL (CM answers 204); nil when it worked, else why not.
    /// Never retried: the file expires at CM anyway.
    private func deleteAtSource(_ url: MediaURL) -> String? {
        var request = HTTPClientRequest(method: "DELETE", url: url.absoluteString)
        request.connectTimeout = .milliseconds(settings.connectTimeoutMilliseconds)
        request.timeout = .seconds(30)
        request.maxResponseBytes = 64 * 1024
        request.allowedProtocols = settings.allowHTTPForTests ? ["http", "https"] : ["https"]
        do {
            let response = try handles.with { curl throws(CurlError) in
                try curl.perform(request, addressFilter: { address, port in
                    self.destinations.decide(numericHost: address, port: port) == .allowed
                })
            }
            if (200..<300).contains(response.status) { return nil }
            logger.warning("media delete at the source refused", metadata: ["media.status": "\(response.status)"])
            return "the media host answered \(response.status) to DELETE"
        } catch {
            logger.warning("media delete at the source failed", metadata: ["media.error": "\(error)"])
            return "DELETE failed: \(error)"
        }
    }

    /// A message waiting for its media is dispatched as soon as its last item is settled.
    private func wakeDispatch(of messageID: Int64, on connection: PGConnection) throws(PGError) {
        try connection.execute("""
            UPDATE jobs SET scheduled_at = now()
            WHERE kind = 'dispatch' AND state = 'available' AND args->>'item' = 'mo'
              AND (args->>'id')::bigint = \(messageID)
            """)
    }

    /// At most every five minutes: warn about media at risk, and sweep temporary files of interrupted downloads.
    private func housekeeping(_ connection: PGConnection) {
        let now = ContinuousClock.now
        let due = lastHousekeeping.withLock { last -> Bool in
            if let last, now - last < .seconds(300) { return false }
            last = now
            return true
        }
        guard due else { return }
        if let swept = try? store.sweep(olderThan: .seconds(3_600)), swept > 0 {
            logger.notice("removed temporary files of interrupted downloads", metadata: ["media.swept": "\(swept)"])
        }
        if let risk = try? MediaItems(connection: connection).atRisk(hours: settings.atRiskHours), risk.count > 0 {
            logger.warning("media at risk: not stored and CM deletes them soon", metadata: [
                "media.at_risk": "\(risk.count)", "media.soonest_deadline": "\(risk.soonest ?? "")",
                "media.at_risk_hours": "\(settings.atRiskHours)",
            ])
        }
    }
}

/// Receives one download's body: the first `MediaSniffer.prefixLength` bytes (or the whole body, if shorter) decide
/// the sniffed type and the file's extension, then everything goes to the store's writer. Lives for one `perform`
/// on one thread.
final class MediaSink {
    let store: any MediaStorage
    let maxBytes: Int
    private var writer: (any MediaWriter)?
    private var head: [UInt8] = []
    private(set) var sniffedType = MediaSniffer.octetStream
    private(set) var error: MediaStoreError?

    init(store: any MediaStorage, maxBytes: Int) {
        self.store = store
        self.maxBytes = maxBytes
    }

    func write(_ chunk: UnsafeRawBufferPointer) -> Bool {
        do throws(MediaStoreError) {
            if let writer {
                try writer.write(chunk)
                return true
            }
            head.append(contentsOf: chunk)
            if head.count >= MediaSniffer.prefixLength { try startWriting() }
            return true
        } catch {
            self.error = error
            return false
        }
    }

    /// Sniffs the head, opens the writer and hands it the head.
    private func startWriting() throws(MediaStoreError) {
        sniffedType = MediaSniffer.mimeType(of: head.prefix(MediaSniffer.prefixLength))
        let writer = try store.beginWrite(fileExtension: MediaFileName.extension(forMIME: sniffedType), maxBytes: maxBytes)
        self.writer = writer
        try writer.write(head)
        head = []
    }

    func commit() throws(MediaStoreError) -> StoredMedia {
        if writer == nil { try startWriting() }
        return try writer!.commit()
    }

    func abort() {
        writer?.abort()
        writer = nil
        head = []
    }
}
