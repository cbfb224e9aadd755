// Parsing and printing of IPAddress text, on UTF-8 bytes (no Foundation, no allocation while parsing).

extension IPAddress {
    /// Parses and normalises (IPv4-mapped IPv6 becomes `.v4`).
    static func parse(_ bytes: Substring.UTF8View) -> IPAddress? {
        parseUnnormalized(bytes)?.normalized
    }

    /// Parses without turning IPv4-mapped IPv6 into `.v4` (CIDR parsing needs the IPv6 prefix length first).
    static func parseUnnormalized(_ bytes: Substring.UTF8View) -> IPAddress? {
        // The longest valid text is 45 bytes: "0000:0000:0000:0000:0000:ffff:255.255.255.255".
        guard bytes.count <= 45 else { return nil }
        if bytes.contains(ASCII.colon) {
            guard let value = parseV6(bytes) else { return nil }
            return .v6(high: UInt64(truncatingIfNeeded: value >> 64), low: UInt64(truncatingIfNeeded: value))
        }
        return parseV4(bytes).map(IPAddress.v4)
    }

    /// Exactly four decimal octets `0...255`, no leading zeros, nothing else.
    static func parseV4(_ bytes: Substring.UTF8View) -> UInt32? {
        var result: UInt32 = 0
        var octets = 0
        var value: UInt32 = 0
        var digits = 0
        for byte in bytes {
            if let digit = ASCII.decimalValue(byte) {
                if digits > 0 && value == 0 { return nil }   // leading zero: "01", "00"
                value = value * 10 + UInt32(digit)
                digits += 1
                if value > 255 { return nil }
            } else if byte == ASCII.dot {
                if digits == 0 || octets == 3 { return nil }
                result = result << 8 | value
                octets += 1
                value = 0
                digits = 0
            } else {
                return nil
            }
        }
        guard octets == 3, digits > 0 else { return nil }
        return result << 8 | value
    }

    /// RFC 4291 §2.2: eight groups of 1–4 hex digits, at most one `::`, an optional IPv4 tail in the last 32 bits.
    static func parseV6(_ bytes: Substring.UTF8View) -> UInt128? {
        let end = bytes.endIndex
        var index = bytes.startIndex
        guard index != end else { return nil }
        var head: UInt128 = 0, headGroups = 0   // groups before "::" (all groups when there is none)
        var tail: UInt128 = 0, tailGroups = 0   // groups after "::"
        var compressed = false

        if bytes[index] == ASCII.colon {
            index = bytes.index(after: index)
            guard index != end, bytes[index] == ASCII.colon else { return nil }
            index = bytes.index(after: index)
            compressed = true
            if index == end { return 0 }
        }
        while true {
            guard headGroups + tailGroups < 8 else { return nil }
            let groupStart = index
            var group: UInt128 = 0
            var digits = 0
            while index != end, let nibble = ASCII.hexValue(bytes[index]) {
                digits += 1
                guard digits <= 4 else { return nil }
                group = group << 4 | UInt128(nibble)
                index = bytes.index(after: index)
            }
            if index != end, bytes[index] == ASCII.dot {
                // Embedded IPv4: the last 32 bits, and the end of the text.
                guard headGroups + tailGroups <= 6, let v4 = parseV4(bytes[groupStart..<end]) else { return nil }
                if compressed {
                    tail = tail << 32 | UInt128(v4)
                    tailGroups += 2
                } else {
                    head = head << 32 | UInt128(v4)
                    headGroups += 2
                }
                break
            }
            guard digits > 0 else { return nil }
            if compressed {
                tail = tail << 16 | group
                tailGroups += 1
            } else {
                head = head << 16 | group
                headGroups += 1
            }
            if index == end { break }
            guard bytes[index] == ASCII.colon else { return nil }
            index = bytes.index(after: index)
            guard index != end else { return nil }   // a single trailing ":"
            if bytes[index] == ASCII.colon {
                guard !compressed else { return nil }   // a second "::"
                compressed = true
                index = bytes.index(after: index)
                if index == end { break }
            }
        }
        if compressed {
            // "::" stands for at least one zero group.
            guard headGroups + tailGroups <= 7 else { return nil }
            return head << (16 * (8 - headGroups)) | tail
        }
        guard headGroups == 8 else { return nil }
        return head
    }

    static func dottedQuad(_ value: UInt32) -> String {
        "\(value >> 24).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)"
    }

    static func rfc5952(high: UInt64, low: UInt64) -> String {
        var groups: [UInt16] = []
        groups.reserveCapacity(8)
        for shift in stride(from: 48, through: 0, by: -16) { groups.append(UInt16(truncatingIfNeeded: high >> shift)) }
        for shift in stride(from: 48, through: 0, by: -16) { groups.append(UInt16(truncatingIfNeeded: low >> shift)) }

        // The longest run of zero groups, if it is at least two long; the first one wins a tie.
        var bestStart = -1, bestLength = 0
        var runStart = -1
        for position in 0...8 {
            if position < 8, groups[position] == 0 {
                if runStart < 0 { runStart = position }
            } else if runStart >= 0 {
                let length = position - runStart
                if length > bestLength { bestStart = runStart; bestLength = length }
                runStart = -1
            }
        }
        if bestLength < 2 { bestStart = -1 }

        var text = ""
        var position = 0
        while position < 8 {
            if position == bestStart {
                text += "::"
                position += bestLength
                continue
            }
            if !text.isEmpty, !text.hasSuffix(":") { text += ":" }
            text += String(groups[position], radix: 16)
            position += 1
        }
        return text
    }
}
