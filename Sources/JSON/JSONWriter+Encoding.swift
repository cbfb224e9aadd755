import TextBytes

/// The JSON text of scalars, strings and separators, appended to a byte buffer. Pure functions.
extension JSONWriter {
    /// `null` for `nil`, otherwise the scalar's text.
    static func append(_ scalar: Scalar?, to bytes: inout [UInt8]) {
        switch scalar {
        case nil:
            bytes.append(contentsOf: "null".utf8)
        case .string(let text)?:
            appendString(text, to: &bytes)
        case .integer(let value)?:
            appendInteger(value, to: &bytes)
        case .double(let value)?:
            if value.isFinite {
                bytes.append(contentsOf: value.description.utf8)
            } else {
                bytes.append(contentsOf: "null".utf8)
            }
        case .bool(let value)?:
            bytes.append(contentsOf: (value ? "true" : "false").utf8)
        }
    }

    /// Decimal digits, `-` first when negative; `Int64.min` included.
    static func appendInteger(_ value: Int64, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(ASCII.minus) }
        var magnitude = value.magnitude
        let firstDigit = bytes.count
        repeat {
            bytes.append(ASCII.zero + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[firstDigit...].reverse()   // the digits were written least significant first
    }

    /// `text` quoted, with `"`, `\`, U+0000–U+001F, U+2028 and U+2029 escaped and everything else copied as UTF-8.
    static func appendString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(ASCII.quote)
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                let length: Int
                if byte < 0x20 || byte == ASCII.quote || byte == ASCII.backslash {
                    length = 1
                } else if byte == 0xE2, index + 2 < utf8.count, utf8[index + 1] == 0x80,
                          utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9 {
                    length = 3   // U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR
                } else {
                    index += 1
                    continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                appendEscape(length == 1 ? UInt32(byte) : 0x2028 + UInt32(utf8[index + 2] - 0xA8), to: &bytes)
                index += length
                runStart = index
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        bytes.append(ASCII.quote)
    }

    /// The escape for one scalar that must not appear raw: the short forms where JSON has them, else `\uXXXX`.
    private static func appendEscape(_ scalar: UInt32, to bytes: inout [UInt8]) {
        bytes.append(ASCII.backslash)
        switch scalar {
        case 0x22: bytes.append(ASCII.quote)
        case 0x5C: bytes.append(ASCII.backslash)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            bytes.append(UInt8(ascii: "u"))
            for shift in stride(from: 12, through: 0, by: -4) {
                bytes.append(hexDigits[Int((scalar >> UInt32(shift)) & 0xF)])
            }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `"key":` with the key escaped like any string.
    static func appendKey(_ key: String, to bytes: inout [UInt8]) {
        appendString(key, to: &bytes)
        bytes.append(ASCII.colon)
    }
}
