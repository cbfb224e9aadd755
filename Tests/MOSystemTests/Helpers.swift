import Foundation
import Glibc
@testable import MOSystem
import MOTestSupport

/// A request for `/bin/sh -c script`, with `PATH` set so the script can find the usual tools.
func shell(_ script: String, stdin: [UInt8] = [], timeout: Duration = .seconds(10), killGrace: Duration = .seconds(2),
           maxOutputBytes: Int = 1 << 20, environment: [String: String] = ["PATH": "/usr/bin:/bin"]) -> ProcessRequest {
    ProcessRequest(executable: "/bin/sh", arguments: ["-c", script], environment: environment, stdin: stdin,
                   timeout: timeout, killGrace: killGrace, maxOutputBytes: maxOutputBytes)
}

/// Bytes as UTF-8 text, for readable expectations.
func text(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self)
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

/// How many pipe ends this process has open.
func openPipeCount() throws -> Int {
    let directory = "/proc/self/fd"
    return try FileManager.default.contentsOfDirectory(atPath: directory).count { entry in
        // An entry can close between the listing and the look.
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\(entry)"))?.hasPrefix("pipe:") == true
    }
}

/// Whether `pid` is gone or a zombie, waiting up to `patience` for it (a reparented orphan is reaped by init, which
/// in a container may never happen, so a zombie counts as gone).
func processEnds(_ pid: pid_t, within patience: Duration = .seconds(2)) -> Bool {
    let deadline = ContinuousClock.now + patience
    repeat {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        // "pid (comm) S ...": the state follows the last ')'.
        if let close = stat.lastIndex(of: ")"), stat[stat.index(after: close)...].hasPrefix(" Z") { return true }
        usleep(20_000)
    } while ContinuousClock.now < deadline
    return false
}

/// The pid a script printed on the first line of its stdout.
func firstLinePID(_ output: [UInt8]) -> pid_t? {
    text(output).split(separator: "\n").first.flatMap { pid_t($0) }
}
