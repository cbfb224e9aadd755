import Glibc

/// glibc functions the Swift `Glibc` module does not declare, because the C headers only declare them under
/// `_GNU_SOURCE`/`__USE_MISC`. They are looked up once, by name, in the C library already loaded into the process
/// (`dlsym` with the default handle) and called through C function pointers of their documented signatures.
/// (A C shim target compiled with `_GNU_SOURCE` would be the alternative.)
///
/// Resolved on first use and immutable afterwards: safe from any thread.
enum GlibcExtensions {
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?)
        -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
    typealias SetThreadName = @convention(c) (pthread_t, UnsafePointer<CChar>?) -> Int32

    /// `int pipe2(int fds[2], int flags)`, glibc 2.9.
    static let pipe2: Pipe2? = symbol("pipe2")
    /// `int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *, const char *)`, glibc 2.29.
    static let addChdir: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np")
    /// `int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *, int)`, glibc 2.34.
    static let addCloseFrom: AddCloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
    /// `int pthread_setname_np(pthread_t, const char *)`, glibc 2.12.
    static let setThreadName: SetThreadName? = symbol("pthread_setname_np")

    private static func symbol<Function>(_ name: String) -> Function? {
        // A nil handle is RTLD_DEFAULT: the global symbol scope, which includes libc.
        guard let address = dlsym(nil, name) else { return nil }
        return unsafeBitCast(address, to: Function.self)
    }
}
