/// The part of one output stream that is kept: the first `limit` bytes. Later bytes are counted as truncation and
/// dropped, so the child can go on writing and is never blocked on a full pipe.
///
/// A value owned by one `ProcessRunner.run` call on its thread; pure, tested without processes.
struct OutputCapture: Equatable {
    /// The most bytes kept.
    let limit: Int
    /// The bytes kept so far.
    private(set) var bytes: [UInt8] = []
    /// Bytes arrived that did not fit.
    private(set) var truncated = false

    /// A capture keeping at most `limit` bytes (a negative limit keeps nothing).
    init(limit: Int) {
        self.limit = max(0, limit)
    }

    /// Keeps as much of `chunk` as fits.
    mutating func append(_ chunk: UnsafeRawBufferPointer) {
        let room = limit - bytes.count
        if chunk.count <= room {
            bytes.append(contentsOf: chunk)
        } else {
            bytes.append(contentsOf: chunk.prefix(room))
            truncated = true
        }
    }
}
