import LibPQ
import Logging
import MOReceiver
import Testing

@Suite("Database notices in the log")
struct DatabaseNoticesTests {
    @Test("a notice is one log line: FATAL and WARNING as warnings, NOTICE as notice, with severity and SQLSTATE")
    func noticeLogLine() {
        let sink = LineSink.capturing()
        let logger = Logger(label: "pg") { LineLogHandler(label: $0, level: .debug, format: .journal, sink: sink) }
        DatabaseNotices.log(PGNotice(severity: "FATAL", sqlState: "57P01",
                                     message: "terminating connection due to administrator command"), to: logger)
        DatabaseNotices.log(PGNotice(severity: "NOTICE", sqlState: "00000", message: "two\nlines"), to: logger)
        DatabaseNotices.log(PGNotice(severity: "DEBUG1", sqlState: nil, message: "detail"), to: logger)
        let lines = sink.captured
        #expect(lines.count == 3)
        #expect(lines.first == #"<4>pg: database message db.message="terminating connection due to administrator command" db.severity=FATAL db.sqlstate=57P01"#)
        #expect(lines.dropFirst().first?.hasPrefix("<5>pg: database message") == true)
        #expect(lines.last?.hasPrefix("<7>pg: database message") == true)
        #expect(lines.allSatisfy { !$0.contains("\n") })
    }
}

