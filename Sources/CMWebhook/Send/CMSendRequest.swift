import JSON

/// The request side of CM's send API (seed 000 "Authentication", seed 001 "JSON"): the body bytes and the names
/// that go with them. Stateless: call from any thread.
///
/// ```json
/// {"messages":{"authentication":{"productToken":"…"},"msg":[{"from":"…","to":[{"number":"…"}],
///   "body":{"type":"auto","content":"…"},"reference":"…","allowedChannels":["WhatsApp"],"customGrouping3":"…"}]}}
/// ```
public enum CMSendRequest {
    /// The header that carries the product token when it is not in the body (seed 000, "Header authentication":
    /// Europe only, on gw.messaging.cm.com). Header names are case-insensitive.
    public static let productTokenHeader = "X-CM-PRODUCTTOKEN"

    /// The body's media type.
    public static let contentType = "application/json; charset=utf-8"

    /// CM's limit on `msg` entries per call (seed 001: "One HTTP-call can support up to 1000 msg elements").
    public static let maxMessages = 1000

    /// The compact JSON body for `messages`, members in the order of seed 000's example (`from`, `to`, `body`,
    /// `reference`), then `allowedChannels` and `customGrouping3`.
    ///
    /// - `authentication.productToken` is written only when `productTokenInBody` is given; otherwise the caller
    ///   sends ``productTokenHeader``. The token is a secret: never log this body.
    /// - `reference` is left out when empty, `allowedChannels` when empty (CM then uses every channel configured for
    ///   the account; an empty array could be read as "none"), `customGrouping3` when `nil`.
    /// - Nothing is validated here (``CMSendMessage/validate()`` does that); strings are escaped by ``JSONWriter``.
    public static func body(for messages: [CMSendMessage], productTokenInBody: String? = nil) -> [UInt8] {
        var writer = JSONWriter()
        writer.object { root in
            root.object("messages") { envelope in
                if let productTokenInBody {
                    envelope.object("authentication") { $0.field("productToken", productTokenInBody) }
                }
                envelope.array("msg") { list in
                    for message in messages {
                        list.object { msg in write(message, into: &msg) }
                    }
                }
            }
        }
        return writer.bytes
    }

    private static func write(_ message: CMSendMessage, into msg: inout JSONWriter.ObjectWriter) {
        msg.field("from", message.from)
        msg.array("to") { recipients in
            for number in message.to {
                recipients.object { $0.field("number", number) }
            }
        }
        msg.object("body") { body in
            body.field("type", "auto")
            body.field("content", message.content)
        }
        if !message.reference.isEmpty { msg.field("reference", message.reference) }
        if !message.allowedChannels.isEmpty {
            msg.array("allowedChannels") { $0.values(message.allowedChannels) }
        }
        msg.field("customGrouping3", message.customGrouping3, ifNil: .omit)
    }
}

extension CMSendMessage {
    /// The request body for this one message (``CMSendRequest/body(for:productTokenInBody:)``).
    public func requestBody(productTokenInBody: String? = nil) -> [UInt8] {
        CMSendRequest.body(for: [self], productTokenInBody: productTokenInBody)
    }
}
