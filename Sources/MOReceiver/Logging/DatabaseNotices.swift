import LibPQ
import Logging

/// PostgreSQL's notices as log lines: one line per notice, in the daemon's format, instead of libpq's raw lines on
/// standard error. The FATAL a backend sends before closing an idle connection (a server restart, an operator's
/// `pg_terminate_backend`) is the usual one; the connection's owner logs its own consequences (reconnecting).
public enum DatabaseNotices {
    /// Routes every connection's notices of this process to `logger` (the daemon calls this once at start).
    public static func route(to logger: Logger) {
        PGConnection.noticeHandler = { notice in log(notice, to: logger) }
    }

    public static func log(_ notice: PGNotice, to logger: Logger) {
        var metadata: Logger.Metadata = ["db.severity": "\(notice.severity)", "db.message": "\(notice.message)"]
        if let sqlState = notice.sqlState { metadata["db.sqlstate"] = "\(sqlState)" }
        logger.log(level: level(of: notice.severity), "database message", metadata: metadata)
    }

    /// FATAL and ERROR outside a query mean a connection is about to close: a warning, since the owner reconnects.
    static func level(of severity: String) -> Logger.Level {
        switch severity {
        case "PANIC", "FATAL", "ERROR", "WARNING": .warning
        case "NOTICE": .notice
        case "INFO", "LOG": .info
        default: .debug
        }
    }
}
