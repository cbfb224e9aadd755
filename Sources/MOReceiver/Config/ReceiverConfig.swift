import MOPolicy

/// The daemon's settings, validated. Built from the TOML file by `ReceiverConfig.load(path:)` (see
/// ReceiverConfig+TOML.swift); every key is documented in config.example.toml. Value type.
public struct ReceiverConfig: Sendable {
    public struct HTTP: Sendable, Equatable {
        /// Numeric address and port to listen on; port 0 picks a free one (tests).
        public var host = "127.0.0.1"
        public var port: UInt16 = 8080
        /// "" or "/cm": the webhooks are served at {prefix}/mo, {prefix}/status, {prefix}/events.
        public var pathPrefix = "/cm"
        /// Optional secret path segment: {prefix}/{token}/mo. Compared in constant time.
        public var pathToken: String?
        public var maxBodyBytes = 256 * 1024
        public var threads = 2
        public var connectionLimit = 1024
        public var connectionTimeoutSeconds = 15
    }

    public struct Trust: Sendable, Equatable {
        public var allowedSources = CIDRSet.cmSources
        public var trustedProxies = CIDRSet([])
        public var clientIPHeader = ClientIPHeader.none
    }

    public struct Database: Sendable, Equatable {
        public var url = ""
        public var connectTimeoutSeconds = 2
        /// A request not committed within this time is answered 503 (CM retries).
        public var requestTimeoutMilliseconds = 1_500
        public var statementTimeoutMilliseconds = 5_000
    }

    public struct Ingest: Sendable, Equatable {
        /// The HTTP status for a malformed payload that was kept in quarantine. CM retries anything but 200 every
        /// 5 minutes for a month, and the bytes are safe in quarantine, so 200 by default; 400 or 422 let CM's portal
        /// show the failure, at the price of those retries.
        public var malformedStatus = 200
        /// Group commit: requests that arrive while a transaction is in flight share the next one.
        public var batching = true
        public var maxBatchItems = 64
        public var maxBatchBytes = 4 * 1024 * 1024
        /// Writer threads (database connections) committing batches in parallel.
        public var writers = 1
    }

    public struct Log: Sendable, Equatable {
        public enum Format: String, Sendable, CaseIterable {
            /// journal when started by systemd (JOURNAL_STREAM is set), text otherwise.
            case auto
            /// "2026-11-22T10:00:00.000Z info ingest: message key=value" for a terminal.
            case text
            /// "<6>message key=value": syslog priority prefixes that journald reads.
            case journal
            /// One JSON object per line.
            case json
        }
        public var level = "info"
        public var format = Format.auto
        /// Log phone numbers in full. Off by default: logs are personal data too.
        public var pii = false
    }

    public struct Dispatch: Sendable, Equatable {
        /// Hold a message's handlers until its media are stored or have finally failed, so handlers get files.
        public var waitForMedia = true
    }

    /// CM's send API (auto-replies, moctl send).
    public struct CM: Sendable, Equatable {
        public var sendURL = "https://gw.messaging.cm.com/v1.0/message"
        /// The product token, read from `product_token_file` or the systemd credential `cm-product-token`.
        /// Never logged.
        public var productToken: [UInt8]?
        /// Send the token in the body (`messages.authentication.productToken`, every endpoint takes it) instead of
        /// the `X-CM-PRODUCTTOKEN` header (seed 000: "currently only works in Europe, using our Cloudflare endpoint").
        public var tokenInBody = true
        public var timeoutMilliseconds = 10_000
        /// `customGrouping3` of every message we send: identifies this daemon in CM's reports and in status reports.
        public var grouping = "mo-receiver"
        /// Permit an http:// send_url (tests with a fake gateway); never in production.
        public var allowHTTP = false
    }

    /// The media downloader (`[media]`).
    public struct Media: Sendable, Equatable {
        public var enabled = true
        public var directory = "/var/lib/mo-receiver/media"
        public var workers = 2
        public var maxBytes = 100 * 1024 * 1024
        /// Host names (exact, or "*.example.com" for subdomains) media may be fetched from.
        public var allowedHosts: [String] = []
        public var connectTimeoutMilliseconds = 5_000
        public var timeoutSeconds = 300
        /// Abort a download slower than this many bytes per second over `lowSpeedSeconds`.
        public var lowSpeedBytesPerSecond = 1_024
        public var lowSpeedSeconds = 30
        public var atRiskHours = 72
        public var deleteAfterDownload = false
        /// Tests only: permit http:// URLs, IP-literal hosts and any port (a local media server).
        public var allowHTTPForTests = false
        /// Tests only: permit connections to loopback addresses.
        public var allowLoopbackForTests = false
    }

    /// The admin listener (`[admin]`): /healthz, /readyz, /metrics.
    public struct Admin: Sendable, Equatable {
        /// Off when nil (`listen = ""`).
        public var host: String? = "127.0.0.1"
        public var port: UInt16 = 9180
    }

    public var http = HTTP()
    public var admin = Admin()
    public var trust = Trust()
    public var database = Database()
    public var ingest = Ingest()
    public var log = Log()
    public var cm = CM()
    public var media = Media()
    public var queue = QueueSettings()
    public var dispatch = Dispatch()
    /// `[retention]`: how long stored things are kept (docs/retention.md).
    public var retention = RetentionSettings()
    /// `[[handlers]]`: what can be done with a stored item, by name.
    public var handlers: [HandlerSpec] = []
    /// `[[routes]]`: which handlers run for which items. All matching routes apply (see docs/queue.md).
    public var routes: [Route] = []
    /// `[[numbers]]` `claimed_keywords`: keywords claimed on shared numbers, stripped before routes' keywords,
    /// auto-reply rules and STOP/START are matched.
    public var keywordClaims = KeywordClaims()

    public init() {}
}
