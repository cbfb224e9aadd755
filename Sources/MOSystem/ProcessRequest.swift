/// What to run for one `ProcessRunner.run`: the program, its arguments and environment, the bytes for its stdin,
/// and the limits that bound the run (time, and output kept per stream).
///
/// A plain value built by the caller (the `exec` handler, from operator configuration) and handed to `run`; it
/// holds no resources and may be built and read on any thread.
public struct ProcessRequest: Sendable {
    /// The program, as an absolute path: no `PATH` search is made.
    public var executable: String
    /// The arguments after the program name (`argv[1...]`); `argv[0]` is `executable`.
    public var arguments: [String]
    /// Exactly the environment the program gets: nothing is inherited from the daemon, not even `PATH`.
    public var environment: [String: String]
    /// Written to the program's stdin, which is then closed. A program that exits without reading it all is not an
    /// error.
    public var stdin: [UInt8]
    /// How long the program may run. When it is over, the program's whole process group gets SIGTERM, and the
    /// result is `.timedOut`.
    public var timeout: Duration
    /// How long after SIGTERM the process group gets SIGKILL.
    public var killGrace: Duration
    /// How many bytes of stdout, and separately of stderr, are kept. The rest is read and discarded (the program is
    /// never blocked on a full pipe) and the result says the stream was truncated. Negative counts as 0.
    public var maxOutputBytes: Int
    /// The directory the program starts in; `nil` keeps the daemon's.
    public var workingDirectory: String?

    public init(
        executable: String,
        arguments: [String] = [],
        environment: [String: String] = [:],
        stdin: [UInt8] = [],
        timeout: Duration,
        killGrace: Duration = .seconds(2),
        maxOutputBytes: Int = 1 << 20,
        workingDirectory: String? = nil
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.stdin = stdin
        self.timeout = timeout
        self.killGrace = killGrace
        self.maxOutputBytes = maxOutputBytes
        self.workingDirectory = workingDirectory
    }
}
