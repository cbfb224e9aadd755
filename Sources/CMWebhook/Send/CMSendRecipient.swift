/// Recipients in the form CM's send API asks for.
///
/// Seed 001 ("Please use the following format to specify your phone numbers"): the office number
/// "+31 (0)76 - 572 70 00" is entered as "0031765727000", and "Not adhering to this convention might cause incorrect
/// delivery!". Stateless: call from any thread.
public enum CMSendRecipient {
    /// The separators a written phone number may carry between its digits.
    private static let separators: Set<Character> = [" ", "\t", "-", ".", "(", ")", "/"]

    /// An international number written `+31…` or `0031…` (with or without spaces, dashes, dots, slashes,
    /// parentheses and a national trunk `(0)`) becomes `00` + country code + number: `"+31 (0)76 - 572 70 00"` →
    /// `"0031765727000"`, `"+31612345678"` and `"0031 6 1234 5678"` → `"0031612345678"`.
    ///
    /// Anything else is returned unchanged, because it is not a number we can place in a country: alphanumeric ids
    /// (an Apple Messages for Business UUID, an Instagram id), bare digits (a Twitter snowflake such as
    /// `"1263071591262494721"`, or a number whose form we cannot tell), a national number (`"0612345678"`), letters
    /// or other characters after the `+`, a country code starting with 0, no digits at all, or more than 15 digits
    /// (E.164's limit).
    public static func normalize(_ recipient: String) -> String {
        let trimmed = recipient.trimmingBlanks()
        var rest: Substring
        if trimmed.hasPrefix("+") {
            rest = trimmed.dropFirst()
        } else if trimmed.hasPrefix("00") {
            rest = trimmed.dropFirst(2)
        } else {
            return recipient
        }
        var digits = ""
        while let character = rest.first {
            if rest.hasPrefix("(0)") {
                rest = rest.dropFirst(3)
            } else if character.isASCII, character.isNumber {
                digits.append(character)
                rest = rest.dropFirst()
            } else if separators.contains(character) {
                rest = rest.dropFirst()
            } else {
                return recipient
            }
        }
        guard let first = digits.first, first != "0", digits.count <= 15 else { return recipient }
        return "00" + digits
    }
}
