import CLibPQ
import Glibc

/// A notification delivered by `NOTIFY channel, 'payload'` (or `pg_notify`). Value type.
public struct PGNotification: Sendable, Equatable {
    public let channel: String
    public let payload: String
    /// The backend that sent it (for telling our own notifications from other daemons').
    public let senderPID: Int
}

extension PGConnection {
    /// Waits up to `timeout` for notifications on the channels this connection LISTENs to and returns those that
    /// arrived (possibly none). Throws when the connection broke. Used by one listener thread that owns the
    /// connection and does nothing else with it.
    public func waitForNotifications(timeout: Duration) throws(PGError) -> [PGNotification] {
        var received = try drainNotifications()
        if !received.isEmpty { return received }
        let socket = PQsocket(handle)
        guard socket >= 0 else { throw PGError(kind: .connection, message: "the connection has no socket") }
        var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(min(max(timeout / .milliseconds(1), 0), Double(Int32.max)))
        let ready = poll(&poller, 1, max(0, milliseconds))
        if ready < 0 && errno != EINTR {
            throw PGError(kind: .connection, message: "poll failed: \(String(cString: strerror(errno)))")
        }
        received = try drainNotifications()
        return received
    }

    /// Reads whatever the server sent and returns the notifications among it.
    private func drainNotifications() throws(PGError) -> [PGNotification] {
        guard PQconsumeInput(handle) == 1 else {
            throw PGError(kind: .connection, message: String(cString: PQerrorMessage(handle)))
        }
        var notifications: [PGNotification] = []
        while let raw = PQnotifies(handle) {
            // PQnotifies hands over one malloc'd struct: freed here, right after copying its fields.
            let notice = raw.pointee
            notifications.append(PGNotification(channel: String(cString: notice.relname),
                                                payload: notice.extra.map { String(cString: $0) } ?? "",
                                                senderPID: Int(notice.be_pid)))
            PQfreemem(raw)
        }
        return notifications
    }
}
