import CMWebhook
import Testing

@Suite("CMSendRecipient writes numbers as 00 + country code, as seed 001 asks")
struct SendRecipientTests {
    @Test("international numbers become 00 + country code + number",
          arguments: [
              ("+31 (0)76 - 572 70 00", "0031765727000"),   // seed 001's own example
              ("+31765727000", "0031765727000"),
              ("0031765727000", "0031765727000"),
              ("+31612345678", "0031612345678"),
              ("0031 6 1234 5678", "0031612345678"),
              ("+44 7911 123456", "00447911123456"),
              ("+1 (423) 251-5465", "0014232515465"),
              ("+49.30.1234567", "0049301234567"),
              ("  +31612345678 ", "0031612345678"),
              ("+3197005159375", "003197005159375"),
              ("+123456789012345", "00123456789012345"),     // 15 digits, E.164's limit
          ])
    func international(input: String, expected: String) {
        #expect(CMSendRecipient.normalize(input) == expected)
    }

    @Test("ids and forms that cannot be placed in a country are left exactly as given",
          arguments: [
              "1263071591262494721",                     // a Twitter snowflake (seed 001)
              "31612345678",                             // bare digits: a number or an id, we cannot tell
              "0612345678",                              // national format
              "0b9a1c2e-53e4-4bb4-9d3e-1f2a3b4c5d6e",    // an Apple Messages for Business id
              "17841400000000000abc",                    // an id with letters
              "CMTelecom",                               // alphanumeric
              "+31abc123",                               // letters after the +
              "00CM12",                                  // letters after 00
              "+",                                       // no digits
              "00",
              "+ ",
              "+0612345678",                             // no country code starts with 0
              "000612345678",
              "+1234567890123456",                       // 16 digits: longer than E.164
              "+31 6 1234_5678",                         // a character that is not a separator
              "",
          ])
    func leftAlone(input: String) {
        #expect(CMSendRecipient.normalize(input) == input)
    }

    @Test("normalizing twice changes nothing", arguments: ["+31612345678", "0031612345678", "CMTelecom", "1263071591262494721"])
    func idempotent(input: String) {
        let once = CMSendRecipient.normalize(input)
        #expect(CMSendRecipient.normalize(once) == once)
    }
}
