import CLibPQ
import Glibc
import Synchronization

/// A message PostgreSQL sent outside a query's result: a `NOTICE` or `WARNING` raised by a statement, or the
/// `FATAL` a backend sends just before it closes an idle connection (server shutdown, `pg_terminate_backend`).
/// libpq's default prints these raw to standard error; a daemon routes them into its structured log instead.
public struct PGNotice: Sendable, Equatable {
    /// Never localized: `NOTICE`, `WARNING`, `FATAL`, … (libpq's own notices say `NOTICE`).
    public let severity: String
    public let sqlState: String?
    /// The primary message, one line as the server wrote it.
    public let message: String

    public init(severity: String, sqlState: String?, message: String) {
        self.severity = severity
        self.sqlState = sqlState
        self.message = message
    }
}

extension PGConnection {
    /// Where every connection's notices go, for the whole process; nil (the default) writes them to standard error
    /// as libpq would. Set once at startup, before connections are opened; read on whichever thread a connection
    /// receives a notice.
    public static var noticeHandler: (@Sendable (PGNotice) -> Void)? {
        get { noticeHandlerSlot.withLock { $0 } }
        set { noticeHandlerSlot.withLock { $0 = newValue } }
    }

    static let noticeHandlerSlot = Mutex<(@Sendable (PGNotice) -> Void)?>(nil)

    /// Installs the receiver on a new connection (called by `init`).
    static func installNoticeReceiver(on connection: OpaquePointer) {
        _ = PQsetNoticeReceiver(connection, pgNoticeReceiver, nil)
    }
}

/// libpq's notice receiver: reads the fields of the notice result and hands them to the process's handler.
private func pgNoticeReceiver(_ argument: UnsafeMutableRawPointer?, _ result: OpaquePointer?) {
    guard let result else { return }
    guard let handler = PGConnection.noticeHandler else {
        if let text = PQresultErrorMessage(result) { _ = write(STDERR_FILENO, text, strlen(text)) }
        return
    }
    let message = errorField(result, "M") ?? PQresultErrorMessage(result).map { String(cString: $0) } ?? ""
    handler(PGNotice(severity: errorField(result, "V") ?? errorField(result, "S") ?? "NOTICE",
                     sqlState: errorField(result, "C"), message: message.trimmingTrailingNewlines))
}

private extension String {
    var trimmingTrailingNewlines: String {
        var text = Substring(self)
        while let last = text.last, last == "\n" || last == "\r" { text = text.dropLast() }
        return String(text)
    }
}
