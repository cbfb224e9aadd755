#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MOStore
import MOSystem

/// `type = "exec"`: runs a program with the event document on stdin. Settings: `command` (an array: absolute path
/// first, then arguments; no shell), `timeout_ms` (default 30000), `environment` (extra "NAME=value" entries).
/// Exit 0 is done, 75 (EX_TEMPFAIL) retry, anything else (or a signal, or the timeout) a permanent failure except a
/// timeout, which retries. stdout and stderr (first 4 KiB each) go into the job's error history on failure.
/// The program also gets MO_EVENT_KIND, MO_EVENT_ID, MO_JOB_ID, MO_ATTEMPT, MO_HANDLER in its environment.
/// Stateless; safe from any thread.
struct ExecHandler: EventHandler {
    let command: [String]
    let timeout: Duration
    let environment: [String: String]

    static let outputLimit = 4_096

    static func make(_ spec: HandlerSpec, _ environment: HandlerEnvironment) throws(HandlerSettings.Problem) -> any EventHandler {
        let settings = spec.settings
        try settings.refuseUnknown(known: ["command", "timeout_ms", "environment"], type: spec.type)
        guard let command = try settings.strings("command"), let program = command.first else {
            throw HandlerSettings.Problem("command", "is required: an array with the program's absolute path first, e.g. command = [\"/usr/local/bin/on-message\", \"--verbose\"]")
        }
        guard program.hasPrefix("/") else {
            throw HandlerSettings.Problem("command", "'\(program)' must be an absolute path (no shell and no PATH search are used)")
        }
        guard FileManager.default.isExecutableFile(atPath: program) else {
            throw HandlerSettings.Problem("command", "'\(program)' does not exist or is not executable")
        }
        var extra: [String: String] = [:]
        for entry in try settings.strings("environment") ?? [] {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw HandlerSettings.Problem("environment", "'\(entry)' must be NAME=value")
            }
            extra[String(parts[0])] = String(parts[1])
        }
        let timeout = try settings.int("timeout_ms", in: 100...3_600_000) ?? 30_000
        return ExecHandler(command: command, timeout: .milliseconds(timeout), environment: extra)
    }

    func handle(_ event: EventDocument, context: HandlerContext) -> JobResult {
        var environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"]
        environment.merge(self.environment) { _, configured in configured }
        environment["MO_EVENT_KIND"] = event.kind.rawValue
        environment["MO_EVENT_ID"] = String(event.id)
        environment["MO_JOB_ID"] = String(context.jobID)
        environment["MO_ATTEMPT"] = String(context.attempt)
        environment["MO_HANDLER"] = context.handlerName
        let request = ProcessRequest(executable: command[0], arguments: Array(command.dropFirst()),
                                     environment: environment, stdin: Array(event.json.utf8), timeout: timeout,
                                     maxOutputBytes: Self.outputLimit)
        let result: ProcessResult
        do {
            result = try ProcessRunner.run(request)
        } catch {
            return .retry(reason: "exec: \(error)")
        }
        return Self.outcome(result, program: command[0])
    }

    /// The last component of `path`, as `NSString.lastPathComponent` gives it: "/usr/local/bin/hook" → "hook",
    /// "/opt/hooks/" → "hooks", "/" → "/" (and "//" → "").
    static func fileName(_ path: String) -> String {
        if let last = path.split(separator: "/").last { return String(last) }
        return path == "/" ? "/" : ""
    }

    /// Pure: what a finished program means for the job.
    static func outcome(_ result: ProcessResult, program: String) -> JobResult {
        let name = fileName(program)
        switch result.termination {
        case .exited(0):
            return .completed
        case .exited(75):
            return .retry(reason: "exec: \(name) exited 75 (try again)" + output(result))
        case .exited(let code):
            return .discard(reason: "exec: \(name) exited \(code)" + output(result))
        case .signaled(let signal):
            return .discard(reason: "exec: \(name) was killed by signal \(signal)" + output(result))
        case .timedOut:
            return .retry(reason: "exec: \(name) did not finish within its timeout and was killed" + output(result))
        }
    }

    private static func output(_ result: ProcessResult) -> String {
        var text = ""
        for (name, bytes, truncated) in [("stderr", result.stderr, result.stderrTruncated),
                                         ("stdout", result.stdout, result.stdoutTruncated)] where !bytes.isEmpty {
            text += "; \(name): " + String(decoding: bytes, as: UTF8.self) + (truncated ? "…" : "")
        }
        return text
    }
}
