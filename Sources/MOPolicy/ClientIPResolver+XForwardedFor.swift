// X-Forwarded-For: a comma list of bare addresses, possibly over several header lines.

extension ClientIPResolver {
    func readXForwardedFor(_ lines: [String], into chain: inout HopChain) throws(Failure) {
        var number = 0
        for line in lines {
            let bytes = Substring(line).utf8
            var start = bytes.startIndex
            while true {
                let end = bytes[start...].firstIndex(of: ASCII.comma) ?? bytes.endIndex
                number += 1
                guard number <= maxEntries else { throw tooManyEntries("entry") }
                let entry = ASCII.trimmingOWS(bytes[start..<end])
                guard let address = IPAddress.parse(entry) else {
                    throw Failure(headerName: "X-Forwarded-For", detail: "entry \(number) \(Self.xffProblem(entry))")
                }
                chain.append(address)
                if end == bytes.endIndex { break }
                start = bytes.index(after: end)
            }
        }
    }

    /// Names what is wrong with an entry that is not an address, for the operator; never quotes the entry.
    static func xffProblem(_ entry: Substring.UTF8View) -> String {
        if entry.isEmpty { return "is empty" }
        if entry.contains(ASCII.percent) { return "has a zone id" }
        if entry.contains(ASCII.openBracket) || entry.contains(ASCII.closeBracket) {
            return "has brackets (X-Forwarded-For takes bare addresses)"
        }
        if let colon = entry.lastIndex(of: ASCII.colon),
           IPAddress.parseV4(entry[entry.startIndex..<colon]) != nil {
            return "has a port (X-Forwarded-For takes bare addresses)"
        }
        if hasIPv4LeadingZero(entry) { return "has an IPv4 octet with a leading zero" }
        return "is not an IP address"
    }

    /// Four dot-separated decimal parts where one has a leading zero ("031.169.56.10"): inet_aton reads it as octal.
    static func hasIPv4LeadingZero(_ text: Substring.UTF8View) -> Bool {
        let parts = text.split(separator: ASCII.dot, omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(ASCII.isDigit) }) else { return false }
        return parts.contains { $0.count > 1 && $0.first == UInt8(ascii: "0") }
    }
}
