import TextBytes

/// The state behind ``XMLTreeParser``: the input, a read index and the elements still open.
///
/// Lives on the caller's stack for the duration of one `parse` call. Iterative rather than recursive, so
/// nesting costs heap (bounded by ``XMLLimits/maxDepth``), never call stack.
struct XMLScanner {
    /// An element whose start tag has been read and whose end tag has not.
    struct OpenElement {
        /// Offset of its `<`.
        let start: Int
        /// Where its name sits in the input, to compare the end tag's name byte for byte.
        let nameRange: Range<Int>
        let name: String
        let attributes: [XMLTreeElement.Attribute]
        var children: [XMLTreeElement] = []
        /// Its own character data so far, as UTF-8.
        var text: [UInt8] = []

        var finished: XMLTreeElement {
            XMLTreeElement(name: name, attributes: attributes, children: children,
                           text: String(decoding: text, as: UTF8.self))
        }
    }

    let bytes: [UInt8]
    let limits: XMLLimits
    var index = 0
    var elementCount = 0
    var open: [OpenElement] = []

    init(bytes: [UInt8], limits: XMLLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// Encoding signature, declaration, misc, the root element, misc, end.
    mutating func parseDocument() throws(XMLError) -> XMLTreeElement {
        try skipEncodingSignature()
        try parseDeclarationIfPresent()
        try skipMisc()
        guard index < bytes.count else { throw XMLError(kind: .noRootElement, offset: index) }
        guard bytes[index] == ASCII.lessThan, index + 1 < bytes.count, startsName(at: index + 1) else {
            throw failure(.unexpectedCharacter, at: bytes[index] == ASCII.lessThan ? index + 1 : index)
        }
        let root = try parseRootElement()
        try skipMisc()
        guard index == bytes.count else { throw failure(.trailingContent, at: index) }
        return root
    }

    /// Whitespace, comments and processing instructions (`Misc*`); a DOCTYPE among them is refused.
    /// Stops at anything else, which the caller judges.
    private mutating func skipMisc() throws(XMLError) {
        while true {
            skipWhitespace()
            if hasPrefix("<!--") {
                try skipComment()
            } else if hasPrefix("<?") {
                try skipProcessingInstruction()
            } else if isDoctype(at: index) {
                throw XMLError(kind: .doctype, offset: index)
            } else {
                return
            }
        }
    }

    /// The root element and everything inside it; leaves `index` after its end tag.
    private mutating func parseRootElement() throws(XMLError) -> XMLTreeElement {
        if let empty = try parseStartTag() { return empty }
        // Never hold a copy of `open.last` across the loop body: it would share the element's buffers and make
        // every append below copy them (quadratic time).
        while !open.isEmpty {
            guard index < bytes.count else { throw XMLError(kind: .unclosedElement, offset: open[open.count - 1].start) }
            switch bytes[index] {
            case ASCII.lessThan:
                if let root = try parseMarkupInContent() { return root }
            case ASCII.ampersand:
                let scalar = try parseReference()
                UTF8.encode(scalar) { open[open.count - 1].text.append($0) }
            default:
                try appendCharacterData()
            }
        }
        preconditionFailure("the loop returns when the root element closes")
    }

    /// Markup at a `<` inside an element: a child, an end tag, a comment, CDATA or a processing instruction.
    /// Returns the root once its end tag has been read.
    private mutating func parseMarkupInContent() throws(XMLError) -> XMLTreeElement? {
        guard index + 1 < bytes.count else { throw XMLError(kind: .unexpectedEnd, offset: bytes.count) }
        switch bytes[index + 1] {
        case ASCII.slash:
            return try parseEndTag()
        case ASCII.questionMark:
            try skipProcessingInstruction()
        case ASCII.exclamation:
            if isDoctype(at: index) { throw XMLError(kind: .doctype, offset: index) }
            if index + 2 < bytes.count, bytes[index + 2] == ASCII.openBracket {
                try appendCDATA()
            } else {
                try skipComment()
            }
        default:
            guard startsName(at: index + 1) else { throw failure(.unexpectedCharacter, at: index + 1) }
            if let empty = try parseStartTag() { return attach(empty) }
        }
        return nil
    }

    /// Adds a finished element to its parent; returns it when it is the root.
    mutating func attach(_ element: XMLTreeElement) -> XMLTreeElement? {
        guard !open.isEmpty else { return element }
        open[open.count - 1].children.append(element)
        return nil
    }

    // MARK: - Small readers

    /// Whether the input continues with `literal` at `index`.
    func hasPrefix(_ literal: String) -> Bool {
        bytes[index...].starts(with: literal.utf8)
    }

    /// `<!DOCTYPE` at `offset`, the keyword in any case.
    func isDoctype(at offset: Int) -> Bool {
        let keyword = "<!DOCTYPE".utf8
        guard bytes.count - offset >= keyword.count else { return false }
        return ASCII.equalIgnoringCase(bytes[offset..<offset + keyword.count], keyword)
    }

    /// Consumes `literal`, or throws at the first byte that differs (unexpected end if the input runs out).
    mutating func expectLiteral(_ literal: String) throws(XMLError) {
        for byte in literal.utf8 {
            guard index < bytes.count, bytes[index] == byte else { throw failure(.unexpectedCharacter, at: index) }
            index += 1
        }
    }

    /// Skips XML whitespace; whether there was any.
    @discardableResult
    mutating func skipWhitespace() -> Bool {
        let start = index
        while index < bytes.count, ASCII.isXMLWhitespace(bytes[index]) { index += 1 }
        return index > start
    }

    /// `kind` at `offset`, unless the input ends there (unexpected end) or holds invalid UTF-8 or a
    /// character XML forbids there.
    func failure(_ kind: XMLError.Kind, at offset: Int) -> XMLError {
        guard offset < bytes.count else { return XMLError(kind: .unexpectedEnd, offset: offset) }
        let byte = bytes[offset]
        if byte >= 0x80, decodeScalar(at: offset) == nil { return XMLError(kind: .invalidUTF8, offset: offset) }
        if byte < 0x20, !ASCII.isXMLWhitespace(byte) { return XMLError(kind: .invalidCharacter, offset: offset) }
        return XMLError(kind: kind, offset: offset)
    }
}
