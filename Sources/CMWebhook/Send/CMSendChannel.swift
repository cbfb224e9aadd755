/// The channel names CM's send API takes in `allowedChannels`, and the one table that maps the names inbound
/// webhooks use onto them.
///
/// Seed 001 ("allowedChannels"): "Can be any combination of: SMS , Viber , RCS , Apple Business Chat and WhatsApp ,
/// or Twitter", plus Instagram, which CM documents on its Instagram messaging pages. The inbound webhook names some
/// channels differently: seed 002 lists "Apple Messages for Business" where the send API says "Apple Business Chat",
/// and seed 001's feature tables say "ABC". Names are matched ignoring case and surrounding whitespace.
///
/// Stateless: call from any thread.
public enum CMSendChannel {
    /// The send API's names, as CM spells them.
    public static let sendNames = ["SMS", "Viber", "RCS", "Apple Business Chat", "WhatsApp", "Twitter", "Instagram"]

    /// Inbound (and older or shorter) names, lowercased, to the send API's name. Every send name maps to itself.
    private static let table: [String: String] = {
        var table: [String: String] = [:]
        for name in sendNames { table[name.lowercased()] = name }
        table["apple messages for business"] = "Apple Business Chat"   // seed 002, the inbound webhook
        table["abc"] = "Apple Business Chat"                           // seed 001, "Supported by: RCS, Viber, ABC"
        return table
    }()

    /// The `allowedChannels` name for a channel as an inbound message or an operator names it; `nil` for an empty
    /// name or one the table does not know (the caller falls back to configured channels, or does not send).
    public static func sendName(for channel: String) -> String? {
        let key = channel.trimmingBlanks().lowercased()
        guard !key.isEmpty else { return nil }
        return table[key]
    }
}
