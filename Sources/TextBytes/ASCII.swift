/// The ASCII bytes the JSON grammar and CM's timestamps are built from (the XML target adds its own).
/// Shared within the package by the JSON and XML scanners and CMWebhook; pure, safe from any thread.
package enum ASCII {
    package static let tab = UInt8(ascii: "\t")
    package static let lineFeed = UInt8(ascii: "\n")
    package static let carriageReturn = UInt8(ascii: "\r")
    package static let space = UInt8(ascii: " ")
    package static let quote = UInt8(ascii: "\"")
    package static let plus = UInt8(ascii: "+")
    package static let comma = UInt8(ascii: ",")
    package static let minus = UInt8(ascii: "-")
    package static let dot = UInt8(ascii: ".")
    package static let slash = UInt8(ascii: "/")
    package static let zero = UInt8(ascii: "0")
    package static let nine = UInt8(ascii: "9")
    package static let colon = UInt8(ascii: ":")
    package static let upperE = UInt8(ascii: "E")
    package static let lowerE = UInt8(ascii: "e")
    package static let upperT = UInt8(ascii: "T")
    package static let upperZ = UInt8(ascii: "Z")
    package static let openBracket = UInt8(ascii: "[")
    package static let backslash = UInt8(ascii: "\\")
    package static let closeBracket = UInt8(ascii: "]")
    package static let openBrace = UInt8(ascii: "{")
    package static let closeBrace = UInt8(ascii: "}")

    package static func isDigit(_ byte: UInt8) -> Bool {
        byte >= zero && byte <= nine
    }
}
