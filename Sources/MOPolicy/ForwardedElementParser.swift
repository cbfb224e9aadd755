/// Splits one `Forwarded` header line (RFC 7239 §4) into elements and returns each element's `for=` value.
///
/// Grammar: `forwarded-element *( OWS "," OWS forwarded-element )`, an element is pairs separated by `;`
/// (empty pairs allowed, optional whitespace around `;` tolerated), a pair is `token "=" ( token / quoted-string )`.
/// Keys are case-insensitive; pairs other than `for` are checked for syntax and otherwise ignored.
struct ForwardedElementParser {
    /// A `for=` value: a token, or the content of a quoted string with quoted-pairs resolved.
    struct Node {
        let text: Substring.UTF8View
        let quoted: Bool
    }

    /// One element; `forNode` is nil when it has no `for=` pair.
    struct Element {
        let forNode: Node?
    }

    enum Problem: Error, Equatable {
        case empty
        case badSyntax
        case duplicateFor
        /// An unquoted `for=` value followed by `:` or starting with `[` (a port or IPv6 address needs quotes).
        case unquotedColonOrBracket
    }

    private let bytes: Substring.UTF8View
    private var index: Substring.UTF8View.Index
    private var finished = false

    init(line: String) {
        bytes = Substring(line).utf8
        index = bytes.startIndex
    }

    /// `true` until the last element of the line was read (an empty line and a trailing comma still hold one).
    var hasMore: Bool { !finished }

    /// The next element; call only while `hasMore`.
    mutating func next() throws(Problem) -> Element {
        skipOWS()
        var node: Node?
        var hasContent = false
        while let byte = current, byte != ASCII.comma {
            if byte == ASCII.semicolon {   // an empty pair, or the separator after one
                advance()
                skipOWS()
                hasContent = true
                continue
            }
            let key = token()
            guard !key.isEmpty, current == ASCII.equals else { throw .badSyntax }
            advance()
            let isFor = ASCII.equalsIgnoringCase(key, "for")
            if isFor, current == ASCII.openBracket { throw .unquotedColonOrBracket }
            let value = try self.value()
            if isFor {
                guard node == nil else { throw .duplicateFor }
                node = value
                if !value.quoted, current == ASCII.colon { throw .unquotedColonOrBracket }
            }
            hasContent = true
            skipOWS()
            guard current == nil || current == ASCII.semicolon || current == ASCII.comma else { throw .badSyntax }
        }
        if current == ASCII.comma {
            advance()
        } else {
            finished = true
        }
        guard hasContent else { throw .empty }
        return Element(forNode: node)
    }

    private var current: UInt8? { index == bytes.endIndex ? nil : bytes[index] }

    private mutating func advance() { index = bytes.index(after: index) }

    private mutating func skipOWS() {
        while let byte = current, ASCII.isOWS(byte) { advance() }
    }

    private mutating func token() -> Substring.UTF8View {
        let start = index
        while let byte = current, ASCII.isTokenCharacter(byte) { advance() }
        return bytes[start..<index]
    }

    private mutating func value() throws(Problem) -> Node {
        guard current == ASCII.quote else {
            let text = token()
            guard !text.isEmpty else { throw .badSyntax }
            return Node(text: text, quoted: false)
        }
        advance()
        let start = index
        var escaped = false
        while true {
            guard let byte = current else { throw .badSyntax }   // unterminated
            if byte == ASCII.quote { break }
            if byte == ASCII.backslash {
                advance()
                guard let next = current, Self.isQuotedPairCharacter(next) else { throw .badSyntax }
                escaped = true
            } else if !Self.isQuotedTextCharacter(byte) {
                throw .badSyntax
            }
            advance()
        }
        let content = bytes[start..<index]
        advance()   // the closing quote
        guard escaped else { return Node(text: content, quoted: true) }
        return Node(text: Self.unescaped(content), quoted: true)
    }

    /// RFC 9110 `qdtext`: HTAB, SP, 0x21, 0x23–0x5B, 0x5D–0x7E, obs-text.
    private static func isQuotedTextCharacter(_ byte: UInt8) -> Bool {
        byte == ASCII.tab || byte == ASCII.space || byte == 0x21 || (0x23...0x5B).contains(byte)
            || (0x5D...0x7E).contains(byte) || byte >= 0x80
    }

    /// RFC 9110 `quoted-pair` second character: HTAB, SP, VCHAR, obs-text.
    private static func isQuotedPairCharacter(_ byte: UInt8) -> Bool {
        byte == ASCII.tab || (0x20...0x7E).contains(byte) || byte >= 0x80
    }

    private static func unescaped(_ content: Substring.UTF8View) -> Substring.UTF8View {
        var result: [UInt8] = []
        result.reserveCapacity(content.count)
        var pendingEscape = false
        for byte in content {
            if !pendingEscape, byte == ASCII.backslash {
                pendingEscape = true
                continue
            }
            pendingEscape = false
            result.append(byte)
        }
        return Substring(String(decoding: result, as: UTF8.self)).utf8
    }
}
