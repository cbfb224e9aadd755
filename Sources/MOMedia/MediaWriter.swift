/// One media file being stored: `write` the chunks, then `commit()` to store them under their content address, or
/// `abort()` to throw them away.
///
/// Owned by the one thread that downloads the file. A writer that ends without a successful commit (aborted, failed,
/// or released while still writing) leaves nothing behind. After a failed `write` or `commit` the writer is finished
/// and every later call throws `MediaStoreError.writerClosed`.
public protocol MediaWriter: AnyObject {
    /// The bytes written so far.
    var byteCount: Int { get }

    /// Appends `bytes`, which are only read during the call. Throws `tooLarge` as soon as the total would pass the
    /// limit, `diskFull` when the disk or quota is full, `ioError` when the device fails; the file is gone then.
    func write(_ bytes: UnsafeRawBufferPointer) throws(MediaStoreError)

    /// Makes the bytes durable and stores them under their content address. If the same content is stored already,
    /// the existing file is kept and this write is dropped (`StoredMedia.alreadyStored`).
    func commit() throws(MediaStoreError) -> StoredMedia

    /// Throws the bytes away. Does nothing after `commit()` or a failure; calling it twice is harmless.
    func abort()
}

extension MediaWriter {
    /// Appends `bytes`.
    public func write(_ bytes: [UInt8]) throws(MediaStoreError) {
        // `withUnsafeBytes` cannot rethrow a typed error; carry it out by hand.
        let failure: MediaStoreError? = bytes.withUnsafeBytes { buffer in
            do throws(MediaStoreError) {
                try write(buffer)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }
}
