import CMWebhook
import Testing

@Suite("CMSendChannel maps channel names onto the send API's allowedChannels")
struct SendChannelTests {
    @Test("every name seed 001 lists for allowedChannels, plus Instagram, maps to itself in any case",
          arguments: ["SMS", "Viber", "RCS", "Apple Business Chat", "WhatsApp", "Twitter", "Instagram"])
    func sendNamesMapToThemselves(name: String) {
        #expect(CMSendChannel.sendName(for: name) == name)
        #expect(CMSendChannel.sendName(for: name.lowercased()) == name)
        #expect(CMSendChannel.sendName(for: name.uppercased()) == name)
        #expect(CMSendChannel.sendName(for: "  \(name)\t") == name)
    }

    @Test("the inbound webhook's names map to the send API's",
          arguments: [("Apple Messages for Business", "Apple Business Chat"),
                      ("apple messages for business", "Apple Business Chat"),
                      ("ABC", "Apple Business Chat"), ("whatsapp", "WhatsApp"), ("sms", "SMS"), ("rcs", "RCS")])
    func inboundNames(inbound: String, send: String) {
        #expect(CMSendChannel.sendName(for: inbound) == send)
    }

    @Test("an empty, blank or unknown name has no send name (never [\"\"])",
          arguments: ["", "   ", "Carrier Pigeon", "Facebook Messenger", "Telegram", "Apple", "WhatsApp Business"])
    func unmappable(name: String) {
        #expect(CMSendChannel.sendName(for: name) == nil)
    }
}
