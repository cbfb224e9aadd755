import Glibc

/// A NULL-terminated array of NUL-terminated C strings (`argv`, `envp`), allocated once and freed when the owner
/// goes out of scope.
///
/// Owned by one `ProcessRunner.run` call and used only on its thread. The strings must not contain NUL (the caller
/// checks, so a NUL cannot silently cut an argument short).
struct CStringVector: ~Copyable {
    let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    let count: Int

    init(_ strings: [String]) {
        count = strings.count
        pointers = .allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() {
            let utf8 = Array(string.utf8)
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count + 1)
            utf8.withUnsafeBytes { bytes in
                UnsafeMutableRawPointer(copy).copyMemory(from: bytes.baseAddress ?? UnsafeRawPointer(copy), byteCount: bytes.count)
            }
            copy[utf8.count] = 0
            pointers[index] = copy
        }
        pointers[strings.count] = nil
    }

    deinit {
        for index in 0..<count {
            pointers[index]?.deallocate()
        }
        pointers.deallocate()
    }
}
