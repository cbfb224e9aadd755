import Glibc

/// Threads of our own, as Foundation's `Thread` gave them (which full Foundation alone has): a detached POSIX
/// thread with a name, for blocking work that must not occupy Swift's cooperative pool; and a sleep of the calling
/// thread. Whoever starts a thread learns of its end by its own means (a semaphore, a flag).
public enum SystemThread {
    /// Starts a detached thread named `name` (the kernel keeps its first 15 bytes) that runs `body` once.
    /// Stops the process when no thread can be created, as Foundation's `Thread.start()` does.
    public static func detach(name: String, _ body: @escaping @Sendable () -> Void) {
        // Retained for the new thread; released by `threadMain` (takeRetainedValue) below.
        let context = Unmanaged.passRetained(ThreadStart(name: name, body: body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let status = pthread_create(&thread, &attributes, threadMain, context)
        guard status == 0 else {
            Unmanaged<ThreadStart>.fromOpaque(context).release()
            preconditionFailure("cannot create thread \(name): error \(status)")
        }
    }

    /// Blocks the calling thread for `duration` (continuing after a signal handler interrupts the sleep).
    public static func sleep(for duration: Duration) {
        guard duration > .zero else { return }
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1 && errno == EINTR {
            request = remaining
        }
    }
}

/// What a new thread runs, carried through `pthread_create`'s context pointer.
private final class ThreadStart {
    let name: String
    let body: @Sendable () -> Void

    init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }

    func run() {
        // Linux thread names are at most 15 bytes and a NUL; a longer name would be refused whole.
        var bytes = Array(name.utf8.prefix(15))
        bytes.append(0)
        _ = GlibcExtensions.setThreadName?(pthread_self(), bytes.map { CChar(bitPattern: $0) })
        body()
    }
}

/// The new thread's entry point. The context was retained by `SystemThread.detach` (passRetained) above.
private func threadMain(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    Unmanaged<ThreadStart>.fromOpaque(context!).takeRetainedValue().run()
    return nil
}
