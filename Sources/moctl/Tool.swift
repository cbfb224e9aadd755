import CMWebhook
import Glibc
import JSON
import LibPQ
import MOReceiver
import MOStore
import MOSystem

/// Shared plumbing of the subcommands: load the config, connect, fail with one line and an exit code.
///
/// Exit codes, the same for every subcommand: 0 ok, 1 failure, 2 usage (bad arguments or config), 3 not ready
/// (database unreachable, or its migrations are not current).
enum Tool {
    enum ExitCode {
        static let failure: Int32 = 1
        static let usage: Int32 = 2
        static let notReady: Int32 = 3
    }

    static func connect(_ path: String, requireCurrentSchema: Bool = true) throws -> PGConnection {
        try load(path, requireCurrentSchema: requireCurrentSchema).connection
    }

    /// The config (for commands that need routes or handlers) and a connection whose session reads and prints
    /// times in UTC. Unless told otherwise, refuses (exit 3) a database whose migrations are not all applied.
    static func load(_ path: String, requireCurrentSchema: Bool = true) throws -> (config: ReceiverConfig, connection: PGConnection) {
        let config: ReceiverConfig
        do {
            config = try ReceiverConfig.load(path: path)
        } catch {
            fail("\(error)", code: ExitCode.usage)
        }
        let connection: PGConnection
        do {
            connection = try config.databaseSettings.connect()
            try connection.execute(script: "SET TimeZone = 'UTC'")
        } catch {
            fail("cannot reach the database: \(error.message)", code: ExitCode.notReady)
        }
        if requireCurrentSchema {
            do {
                switch try Migrator().compatibility(on: connection) {
                case .current:
                    break
                case .behind(let pending):
                    fail("\(pending.count) migration(s) pending (\(pending.joined(separator: ", "))): run `moctl migrate --config \(path)`",
                         code: ExitCode.notReady)
                case .ahead(let unknown):
                    // A newer release migrated the database (a rolling upgrade): this moctl reads and repairs on.
                    StandardStream.error.write("moctl: note: the database has \(unknown.count) migration(s) newer than this moctl (\(unknown.joined(separator: ", "))); upgrade it\n")
                }
            } catch {
                fail("the database schema is not usable: \(error)", code: ExitCode.notReady)
            }
        }
        return (config, connection)
    }

    /// One JSON object, written by the project's one JSON writer (escaping and structure are the writer's):
    /// `members` writes its members in order. Every `--json` output is built with it.
    static func jsonObject(_ members: (inout JSONWriter.ObjectWriter) -> Void) -> String {
        var writer = JSONWriter()
        writer.object(members)
        return writer.string
    }

    /// What every list command prints: a line per row, a JSON object each with `--json`, else the row's text line;
    /// `empty` when there are none (in text only: no rows as JSON lines is no lines).
    static func printList<Row: ListedRow>(_ rows: [Row], json: Bool, empty: String) {
        if rows.isEmpty && !json { print(empty) }
        for row in rows { print(json ? row.jsonLine : row.textLine) }
    }

    static func fail(_ message: String, code: Int32 = ExitCode.failure) -> Never {
        StandardStream.error.write("moctl: \(message)\n")
        exit(code)
    }
}

/// A one-line progress display for long operations (replaying thousands of items, purging): redrawn in place on
/// standard error at most ten times a second when that is a terminal, silent when it is a pipe or a file, so
/// scripts and logs only get the final summary. Used on moctl's main thread.
struct ProgressLine {
    let enabled: Bool
    private var lastDraw: ContinuousClock.Instant?

    init(enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.enabled = enabled
    }

    mutating func update(_ text: @autoclosure () -> String, force: Bool = false) {
        guard enabled else { return }
        let now = ContinuousClock.now
        if !force, let lastDraw, now - lastDraw < .milliseconds(100) { return }
        lastDraw = now
        StandardStream.error.write("\r\u{1B}[K\(text())")
    }

    /// Clears the line, before the summary is printed.
    func finish() {
        guard enabled, lastDraw != nil else { return }
        StandardStream.error.write("\r\u{1B}[K")
    }
}

/// A row of a list command: one JSON object (`--json`, and nested in `show --json`), or one text line.
protocol ListedRow {
    /// The members of the row's JSON object.
    func writeJSON(to o: inout JSONWriter.ObjectWriter)
    /// The row as one line of the table.
    var textLine: String { get }
}

extension ListedRow {
    var jsonLine: String { Tool.jsonObject(writeJSON) }
}
