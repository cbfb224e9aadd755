// Forwarded (RFC 7239): the `for=` node of each element, possibly over several header lines.

extension ClientIPResolver {
    func readForwarded(_ lines: [String], into chain: inout HopChain) throws(Failure) {
        var number = 0
        for line in lines {
            var parser = ForwardedElementParser(line: line)
            while parser.hasMore {
                number += 1
                guard number <= maxEntries else { throw tooManyEntries("element") }
                let element: ForwardedElementParser.Element
                do {
                    element = try parser.next()
                } catch {
                    throw Self.forwardedFailure(number, Self.describe(error))
                }
                guard let node = element.forNode else { throw Self.forwardedFailure(number, "has no for= parameter") }
                do {
                    chain.append(try Self.address(of: node))
                } catch {
                    throw Self.forwardedFailure(number, error.detail)
                }
            }
        }
    }

    private static func forwardedFailure(_ number: Int, _ problem: String) -> Failure {
        Failure(headerName: "Forwarded", detail: "element \(number) \(problem)")
    }

    private static func describe(_ problem: ForwardedElementParser.Problem) -> String {
        switch problem {
        case .empty: "is empty"
        case .badSyntax: "has bad syntax or quoting"
        case .duplicateFor: "has more than one for= parameter"
        case .unquotedColonOrBracket: "has an unquoted for= value with a port or IPv6 address (they must be quoted)"
        }
    }

    /// RFC 7239 §6: `nodename [ ":" node-port ]`, where an IPv6 nodename is bracketed and a value with a colon is
    /// quoted (the parser refuses unquoted ones). `unknown` and obfuscated `_identifiers` carry no address, so they
    /// fail closed.
    static func address(of node: ForwardedElementParser.Node) throws(ForwardedNodeProblem) -> IPAddress {
        let text = node.text
        if ASCII.equalsIgnoringCase(text, "unknown") { throw .unknown }
        if text.first == ASCII.underscore { throw .obfuscated }
        if text.contains(ASCII.percent) { throw .zoneID }

        if text.first == ASCII.openBracket {
            guard let close = text.firstIndex(of: ASCII.closeBracket) else { throw .badSyntax }
            let host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard host.contains(ASCII.colon), let address = IPAddress.parse(host) else { throw .bracketsWithoutIPv6 }
            if let first = rest.first {
                guard first == ASCII.colon else { throw .badSyntax }
                guard isNodePort(rest.dropFirst()) else { throw .invalidPort }
            }
            return address
        }

        var host = text
        if let colon = text.firstIndex(of: ASCII.colon) {
            if IPAddress.parseV6(text) != nil { throw .unbracketedIPv6 }
            host = text[text.startIndex..<colon]
            guard isNodePort(text[text.index(after: colon)...]) else {
                throw IPAddress.parseV4(host) == nil ? .notAnAddress : .invalidPort
            }
        }
        guard let v4 = IPAddress.parseV4(host) else {
            throw hasIPv4LeadingZero(host) ? .leadingZero : .notAnAddress
        }
        return .v4(v4)
    }

    /// `port = 1*5DIGIT` (at most 65535) or `obfport = "_" 1*(ALPHA / DIGIT / "." / "_" / "-")`.
    static func isNodePort(_ text: Substring.UTF8View) -> Bool {
        guard let first = text.first else { return false }
        if first == ASCII.underscore {
            let rest = text.dropFirst()
            return !rest.isEmpty && rest.allSatisfy { byte in
                ASCII.isAlpha(byte) || ASCII.isDigit(byte) || byte == ASCII.dot || byte == ASCII.underscore
                    || byte == UInt8(ascii: "-")
            }
        }
        guard text.count <= 5 else { return false }
        var value = 0
        for byte in text {
            guard let digit = ASCII.decimalValue(byte) else { return false }
            value = value * 10 + Int(digit)
        }
        return value <= 65535
    }
}
