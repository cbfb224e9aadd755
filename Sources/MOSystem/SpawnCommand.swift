import Glibc

/// A request checked and turned into what `posix_spawn` takes: the program path, `argv` (program name first) and
/// `envp` (sorted by name, so the child's environment order does not depend on hashing).
///
/// Owned by one `ProcessRunner.run` call and used only on its thread.
struct SpawnCommand: ~Copyable {
    let executable: String
    let workingDirectory: String?
    let arguments: CStringVector
    let environment: CStringVector

    /// Refuses what C strings cannot carry faithfully, naming the offending argument or variable (never its value).
    init(_ request: ProcessRequest) throws(ProcessError.Reason) {
        guard request.executable.hasPrefix("/"), !request.executable.utf8.contains(0) else {
            throw .notAbsolutePath
        }
        for (index, argument) in request.arguments.enumerated() where argument.utf8.contains(0) {
            throw .nulInArgument(index: index + 1)
        }
        let names = request.environment.keys.sorted()
        for name in names {
            if name.isEmpty || name.utf8.contains(UInt8(ascii: "=")) || name.utf8.contains(0) {
                throw .invalidEnvironmentName(name)
            }
            if request.environment[name]!.utf8.contains(0) {
                throw .nulInEnvironmentValue(name: name)
            }
        }
        if let directory = request.workingDirectory, directory.utf8.contains(0) {
            throw .nulInWorkingDirectory
        }
        executable = request.executable
        workingDirectory = request.workingDirectory
        arguments = CStringVector([request.executable] + request.arguments)
        environment = CStringVector(names.map { "\($0)=\(request.environment[$0]!)" })
    }

    /// Starts the program with `stdin`, `stdout` and `stderr` (descriptors of 3 or above, close-on-exec) as its
    /// fds 0, 1 and 2 and nothing else open, in a new process group of its own, with an empty signal mask and
    /// every signal at its default disposition (the daemon's threads block SIGTERM and SIGINT, and a mask or an
    /// ignored signal would otherwise pass through `exec`). Returns the child's pid, which is also its group id.
    func spawn(stdin: Int32, stdout: Int32, stderr: Int32) throws(ProcessError.Reason) -> pid_t {
        let actions = SpawnFileActions()
        try actions.check(posix_spawn_file_actions_adddup2(actions.pointer, stdin, 0), "posix_spawn_file_actions_adddup2")
        try actions.check(posix_spawn_file_actions_adddup2(actions.pointer, stdout, 1), "posix_spawn_file_actions_adddup2")
        try actions.check(posix_spawn_file_actions_adddup2(actions.pointer, stderr, 2), "posix_spawn_file_actions_adddup2")
        // Our own descriptors are close-on-exec already; this also keeps out any that another library opened
        // without it (glibc 2.34 and later; older ones rely on close-on-exec alone).
        if let addCloseFrom = GlibcExtensions.addCloseFrom {
            try actions.check(addCloseFrom(actions.pointer, 3), "posix_spawn_file_actions_addclosefrom_np")
        }
        if let workingDirectory {
            guard let addChdir = GlibcExtensions.addChdir else { throw .workingDirectoryUnsupported }
            try actions.check(addChdir(actions.pointer, workingDirectory), "posix_spawn_file_actions_addchdir_np")
        }

        let attributes = SpawnAttributes()
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        // Every bit set by hand: glibc's `sigfillset` leaves out its two internal signals (32 and 33), and its
        // `posix_spawn` then sets them to SIG_IGN in the child, which `exec` keeps.
        var everySignal = sigset_t()
        _ = withUnsafeMutableBytes(of: &everySignal) { $0.initializeMemory(as: UInt8.self, repeating: 0xff) }
        let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        try attributes.check(posix_spawnattr_setflags(attributes.pointer, Int16(flags)), "posix_spawnattr_setflags")
        try attributes.check(posix_spawnattr_setpgroup(attributes.pointer, 0), "posix_spawnattr_setpgroup")
        try attributes.check(posix_spawnattr_setsigmask(attributes.pointer, &emptyMask), "posix_spawnattr_setsigmask")
        try attributes.check(posix_spawnattr_setsigdefault(attributes.pointer, &everySignal),
                             "posix_spawnattr_setsigdefault")

        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, actions.pointer, attributes.pointer, arguments.pointers,
                                 environment.pointers)
        guard result == 0 else { throw .spawnFailed(errno: result) }
        return pid
    }
}

/// A posix_spawn object (file actions, attributes) at a stable address, destroyed and freed when the owner goes out
/// of scope.
///
/// Owned by one spawn on one thread.
struct SpawnObject<Value>: ~Copyable {
    let pointer: UnsafeMutablePointer<Value>
    private let destroy: (UnsafeMutablePointer<Value>) -> Int32

    init(initialize: (UnsafeMutablePointer<Value>) -> Int32,
         destroy: @escaping (UnsafeMutablePointer<Value>) -> Int32) {
        pointer = .allocate(capacity: 1)
        _ = initialize(pointer)
        self.destroy = destroy
    }

    /// A posix_spawn setter's result: 0, or the error it returns (these calls return it rather than set errno).
    func check(_ result: Int32, _ call: String) throws(ProcessError.Reason) {
        guard result == 0 else { throw .systemCall(call, errno: result) }
    }

    deinit {
        _ = destroy(pointer)
        pointer.deallocate()
    }
}

typealias SpawnFileActions = SpawnObject<posix_spawn_file_actions_t>
typealias SpawnAttributes = SpawnObject<posix_spawnattr_t>

extension SpawnObject where Value == posix_spawn_file_actions_t {
    init() { self.init(initialize: posix_spawn_file_actions_init, destroy: posix_spawn_file_actions_destroy) }
}

extension SpawnObject where Value == posix_spawnattr_t {
    init() { self.init(initialize: posix_spawnattr_init, destroy: posix_spawnattr_destroy) }
}
