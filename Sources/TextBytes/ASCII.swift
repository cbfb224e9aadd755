/// The ASCII bytes the JSON grammar and CM's timestamps are built from (the XML target adds its own).
/// Shared within the package by the JSON and XML scanners and CMWebhook; pure, safe from any thread. Inlinable
/// constants rather than `static let`s: a global read from another module goes through a lazy-initialization
/// accessor on every use, which showed in the JSON scanner's profile once it lived in a module of its own.
package enum ASCII {
    @inlinable package static var tab: UInt8 { UInt8(ascii: "\t") }
    @inlinable package static var lineFeed: UInt8 { UInt8(ascii: "\n") }
    @inlinable package static var carriageReturn: UInt8 { UInt8(ascii: "\r") }
    @inlinable package static var space: UInt8 { UInt8(ascii: " ") }
    @inlinable package static var quote: UInt8 { UInt8(ascii: "\"") }
    @inlinable package static var plus: UInt8 { UInt8(ascii: "+") }
    @inlinable package static var comma: UInt8 { UInt8(ascii: ",") }
    @inlinable package static var minus: UInt8 { UInt8(ascii: "-") }
    @inlinable package static var dot: UInt8 { UInt8(ascii: ".") }
    @inlinable package static var slash: UInt8 { UInt8(ascii: "/") }
    @inlinable package static var zero: UInt8 { UInt8(ascii: "0") }
    @inlinable package static var nine: UInt8 { UInt8(ascii: "9") }
    @inlinable package static var colon: UInt8 { UInt8(ascii: ":") }
    @inlinable package static var upperE: UInt8 { UInt8(ascii: "E") }
    @inlinable package static var lowerE: UInt8 { UInt8(ascii: "e") }
    @inlinable package static var upperT: UInt8 { UInt8(ascii: "T") }
    @inlinable package static var upperZ: UInt8 { UInt8(ascii: "Z") }
    @inlinable package static var openBracket: UInt8 { UInt8(ascii: "[") }
    @inlinable package static var backslash: UInt8 { UInt8(ascii: "\\") }
    @inlinable package static var closeBracket: UInt8 { UInt8(ascii: "]") }
    @inlinable package static var openBrace: UInt8 { UInt8(ascii: "{") }
    @inlinable package static var closeBrace: UInt8 { UInt8(ascii: "}") }

    @inlinable package static func isDigit(_ byte: UInt8) -> Bool {
        byte >= zero && byte <= nine
    }
}
