/// One media attachment referenced by a message. CM deletes the file 30 days after the message.
///
/// `uri` is untrusted: fetch it only from allow-listed hosts. An empty `contentType` or `title` from CM
/// (its way of saying "not given") becomes `nil`. An immutable value; safe to share between threads and tasks.
public struct MediaReference: Sendable, Equatable {
    /// The download address as sent (never empty).
    public var uri: String
    /// The MIME type as the channel reported it, e.g. "image/png"; `nil` when CM sent none, null or "".
    public var contentType: String?
    /// A caption or file name; `nil` when CM sent none, null or "".
    public var title: String?

    public init(uri: String, contentType: String?, title: String?) {
        self.uri = uri
        self.contentType = contentType
        self.title = title
    }
}
