import Glibc

/// What one `FileMediaStore` remembers across its writers, behind a mutex:
/// - the temporary files of writes in progress, which `sweep` must leave alone however old they are;
/// - the directories whose entry in their parent is known to be durable (this process fsynced the parent after
///   seeing them), so each shard directory costs one parent fsync per process life, not one per commit. That also
///   covers a directory another thread created a moment ago and has not fsynced yet.
///
/// Owned by the store, shared by all its writers: any thread. The mutex is held only to read or change the sets,
/// never across a system call.
final class MediaStoreLedger: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var writing: Set<String> = []
    private var durableDirectories: Set<String> = []

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Records that the temporary file `name` is being written.
    func beginWriting(_ name: String) {
        locked { _ = writing.insert(name) }
    }

    /// Records that the temporary file `name` is no longer being written (committed, aborted, or failed).
    func endWriting(_ name: String) {
        locked { _ = writing.remove(name) }
    }

    /// Whether the temporary file `name` is being written.
    func isWriting(_ name: String) -> Bool {
        locked { writing.contains(name) }
    }

    /// Whether `directory` (relative to the root) is known to be durable in its parent.
    func isDurable(_ directory: String) -> Bool {
        locked { durableDirectories.contains(directory) }
    }

    /// Records that `directory` (relative to the root) is durable in its parent.
    func markDurable(_ directory: String) {
        locked { _ = durableDirectories.insert(directory) }
    }

    private func locked<Result>(_ body: () -> Result) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}
