import Glibc

/// Why a program could not be started. Nothing ran: there is no exit status and no output.
///
/// A plain value thrown by `ProcessRunner.run` to its caller's thread. `description` is one line an operator can
/// act on: it names the program (and the working directory when one was set) and the cause, and never quotes
/// argument or environment values, which may hold secrets.
public struct ProcessError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The cause.
    public enum Reason: Error, Equatable, Sendable {
        /// The program was not given as an absolute path (no `PATH` search is made).
        case notAbsolutePath
        /// Argument `index` (1 is the first after the program name) contains a NUL byte, which C strings cannot hold.
        case nulInArgument(index: Int)
        /// An environment variable name is empty or contains `=` or a NUL byte.
        case invalidEnvironmentName(String)
        /// The value of the environment variable `name` contains a NUL byte.
        case nulInEnvironmentValue(name: String)
        /// The working directory contains a NUL byte.
        case nulInWorkingDirectory
        /// The C library is older than glibc 2.29 and cannot start a program in another directory.
        case workingDirectoryUnsupported
        /// A system call the runner needed failed with `errno` (for example `pipe2` with EMFILE).
        case systemCall(String, errno: Int32)
        /// `posix_spawn` failed with `errno`: the program (or the working directory) is missing, not executable,
        /// not a valid executable file, or the system is out of processes or memory.
        case spawnFailed(errno: Int32)
    }

    /// The program, as given in the request.
    public let executable: String
    /// The working directory, as given in the request.
    public let workingDirectory: String?
    /// The cause.
    public let reason: Reason

    public init(executable: String, workingDirectory: String?, reason: Reason) {
        self.executable = executable
        self.workingDirectory = workingDirectory
        self.reason = reason
    }

    public var description: String {
        var program = "cannot start \(escaped(executable))"
        if let workingDirectory {
            program += " in \(escaped(workingDirectory))"
        }
        return switch reason {
        case .notAbsolutePath:
            "\(program): the program must be given as an absolute path"
        case .nulInArgument(let index):
            "\(program): argument \(index) contains a NUL byte"
        case .invalidEnvironmentName(let name):
            "\(program): environment variable name '\(escaped(name))' is empty or contains '=' or a NUL byte"
        case .nulInEnvironmentValue(let name):
            "\(program): the value of environment variable \(escaped(name)) contains a NUL byte"
        case .nulInWorkingDirectory:
            "\(program): the working directory contains a NUL byte"
        case .workingDirectoryUnsupported:
            "\(program): this C library cannot start a program in another directory (glibc 2.29 or later is needed)"
        case .systemCall(let call, let code):
            "\(program): \(call) failed: \(errorText(code))"
        case .spawnFailed(let code):
            "\(program): \(errorText(code))"
        }
    }
}

/// `strerror` for `code`, through the thread-safe `strerror_r`.
public func errorText(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard strerror_r(code, &buffer, buffer.count) == 0 else { return "error \(code)" }
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}

/// `text` with control characters, backslashes and NUL written as escapes, so an error stays one line.
public func escaped(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case _ where scalar.value < 0x20 || scalar.value == 0x7f || (0x80..<0xa0).contains(scalar.value):
            result += "\\u{\(String(scalar.value, radix: 16))}"
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result
}
