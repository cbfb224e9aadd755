import CCurl

/// A `curl_slist` of request header lines. Owns the list and frees it in `deinit`; libcurl copies each line in.
/// Lives for one `perform`, on its thread.
final class HeaderList {
    private(set) var pointer: UnsafeMutablePointer<curl_slist>?

    init() {}

    deinit {
        curl_slist_free_all(pointer)
    }

    /// False when libcurl could not allocate; the list is left as it was.
    func append(_ line: String) -> Bool {
        guard let next = curl_slist_append(pointer, line) else { return false }
        pointer = next
        return true
    }
}
