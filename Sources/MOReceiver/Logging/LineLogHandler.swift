import Glibc
import JSON
import Logging
import MOSystem
import Synchronization

/// Writes one line per event to standard error: plain text for a terminal, syslog priority prefixes for journald
/// (`<6>message key=value`), or one JSON object per line. Messages are constant; data goes in metadata.
/// Lines are written whole under a lock, from any thread.
public struct LineLogHandler: LogHandler {
    public enum Format: Sendable {
        case text
        case journal
        case json
    }

    public var metadata: Logger.Metadata = [:]
    /// The level: the process-wide one (`ProcessLogLevel`, changed by a config reload) unless set on this handler.
    public var logLevel: Logger.Level {
        get { ownLevel ?? shared?.level ?? .info }
        set { ownLevel = newValue }
    }
    private var ownLevel: Logger.Level?
    private let shared: ProcessLogLevel?
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let format: Format
    private let sink: LineSink

    public init(label: String, level: Logger.Level, format: Format, sink: LineSink = .standardError) {
        self.label = label
        self.ownLevel = level
        self.shared = nil
        self.format = format
        self.sink = sink
    }

    /// A handler whose level follows `shared` (the daemon's, so SIGHUP can change it for every logger at once).
    public init(label: String, shared: ProcessLogLevel, format: Format, sink: LineSink = .standardError) {
        self.label = label
        self.ownLevel = nil
        self.shared = shared
        self.format = format
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let pairs = merged.sorted { $0.key < $1.key }
        let line: String
        switch format {
        case .text:
            line = "\(Self.timestamp()) \(event.level) \(label): \(event.message)" + Self.keyValues(pairs)
        case .journal:
            line = "<\(Self.priority(event.level))>\(label): \(event.message)" + Self.keyValues(pairs)
        case .json:
            var writer = JSONWriter()
            writer.object { o in
                o.field("ts", Self.timestamp())
                o.field("level", "\(event.level)")
                o.field("logger", label)
                o.field("msg", "\(event.message)")
                for (key, value) in pairs { o.field(key, "\(value)") }
            }
            line = writer.string
        }
        sink.write(line)
    }

    /// syslog priorities as journald reads them (sd-daemon.h).
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    static func keyValues(_ pairs: [(key: String, value: Logger.Metadata.Value)]) -> String {
        var text = ""
        for (key, value) in pairs {
            let rendered = "\(value)"
            let needsQuotes = rendered.isEmpty || rendered.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }
            text += " \(key)=" + (needsQuotes ? JSONWriter.quoted(rendered) : rendered)
        }
        return text
    }

    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = time_t(now.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return "\(padded(Int(parts.tm_year) + 1900, 4))-\(padded(Int(parts.tm_mon) + 1, 2))-\(padded(Int(parts.tm_mday), 2))"
            + "T\(padded(Int(parts.tm_hour), 2)):\(padded(Int(parts.tm_min), 2)):\(padded(Int(parts.tm_sec), 2))"
            + ".\(padded(Int(now.tv_nsec / 1_000_000), 3))Z"
    }

    /// `value` (not negative) in `radix` with zeros in front up to `width` digits, as printf's `%0*d` and `%0*x`.
    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Where log lines go: standard error, or a buffer that tests read.
public final class LineSink: Sendable {
    private let capturing: Bool
    private let lines = Mutex<[String]>([])

    private init(capturing: Bool) {
        self.capturing = capturing
    }

    public static let standardError = LineSink(capturing: false)

    /// A sink that keeps lines in memory, for tests.
    public static func capturing() -> LineSink { LineSink(capturing: true) }

    public var captured: [String] { lines.withLock { $0 } }

    func write(_ line: String) {
        if capturing {
            lines.withLock { $0.append(line) }
            return
        }
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        StandardStream.error.write(bytes)
    }
}
