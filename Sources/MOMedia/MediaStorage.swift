/// Where downloaded media are kept, by content address: the bytes decide the name, never the payload.
///
/// `FileMediaStore` keeps them in a local directory; an S3-compatible store can implement the same protocol later.
/// Implementations are shared by the daemon's media worker threads and must be safe to call from any thread. Their
/// calls block on I/O, so call them from worker threads, never from a Swift concurrency task.
public protocol MediaStorage: Sendable {
    /// Starts storing one media file. The writer takes the bytes in as many chunks as they arrive and stores them
    /// under their content address on `commit()`; nothing is visible under a final name before that.
    ///
    /// - Parameters:
    ///   - fileExtension: chosen by the caller from the media's MIME type (`"jpg"`, `"pdf"`), 1 to 8 of `a-z` and
    ///     `0-9`, or `nil` for none. Never taken from the payload's file name.
    ///   - maxBytes: the most bytes the file may have; one more is `MediaStoreError.tooLarge`.
    func beginWrite(fileExtension: String?, maxBytes: Int) throws(MediaStoreError) -> any MediaWriter

    /// Where the content at `address` is (or would be): for the file store, an absolute file path inside its root.
    func path(forContentAddress address: ContentAddress) -> String

    /// Whether the content at `address` is stored.
    func exists(_ address: ContentAddress) throws(MediaStoreError) -> Bool

    /// Removes the content at `address`; returns whether there was any. Content is stored once however many media
    /// items share it, so the caller removes it only when no item refers to it any more.
    @discardableResult
    func remove(_ address: ContentAddress) throws(MediaStoreError) -> Bool

    /// Removes the temporary files of writes that never finished (a crash, a killed worker) whose last change is
    /// more than `age` ago, and returns how many it removed. Stored content is never touched, nor are the temporary
    /// files of writes still in progress in this process.
    func sweep(olderThan age: Duration) throws(MediaStoreError) -> Int
}
