/// The fields of a stored item that routes look at.
///
/// A pure value type usable from any thread; the ingest pipeline builds one per stored item and asks a
/// ``RouteTable`` for its handlers. Fields are as received (not normalized); `nil` means the item has no such field.
/// - `mo`: `from` is the customer's number or id, `to` our number, `text` the message text.
/// - `status`: `to` is the recipient (the customer); `from` and `text` are `nil`.
/// - `event`: `from` and `to` as CM sent them; `text` is `nil`.
public struct RoutableItem: Sendable, Equatable {
    public var kind: ItemKind
    /// CM's channel name, e.g. `"WhatsApp"` or `"SMS"`.
    public var channel: String?
    public var from: String?
    public var to: String?
    public var text: String?

    public init(kind: ItemKind, channel: String? = nil, from: String? = nil, to: String? = nil, text: String? = nil) {
        self.kind = kind
        self.channel = channel
        self.from = from
        self.to = to
        self.text = text
    }
}
