import TextBytes

/// Why ``XMLTreeParser`` rejected its input, and the byte offset where it noticed.
///
/// `description` is one line and never echoes payload text: it names the rule, the offset and, for an
/// unsupported encoding, a canonical encoding name from a fixed table (never the declared spelling).
/// An immutable value; safe to share between threads and tasks.
public struct XMLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The rule the input broke.
    public enum Kind: Equatable, Sendable {
        /// No root element: empty input, or only a byte order mark, declaration, comments and whitespace.
        case noRootElement
        /// Bytes that are not UTF-8 (overlong, encoded surrogate, above U+10FFFF, truncated, stray continuation).
        case invalidUTF8
        /// A character XML 1.0 does not allow: a control character other than tab, LF and CR, U+FFFE or U+FFFF.
        case invalidCharacter
        /// A byte that cannot start or continue the expected construct.
        case unexpectedCharacter
        /// The input ended inside markup (a tag, comment, CDATA section, reference, declaration).
        case unexpectedEnd
        /// An XML declaration that breaks production [23] (version missing or not `1.x`, wrong order, bad value).
        case invalidDeclaration
        /// `<?xml …?>` anywhere but the very first bytes (after an optional byte order mark).
        case misplacedDeclaration
        /// A declared encoding, byte order mark or byte pattern for an encoding other than UTF-8 or US-ASCII.
        /// The name comes from a fixed table of known encodings; `nil` when the declared name is not in it.
        case unsupportedEncoding(String?)
        /// A byte above 0x7F in a document that declares `encoding="US-ASCII"`.
        case nonASCIIByte
        /// A `<!DOCTYPE` in markup. Refused outright: no DTD, so no XXE, entity expansion or remote fetch.
        case doctype
        /// `&name;` for a name other than lt, gt, amp, apos and quot.
        case undefinedEntity
        /// An `&` that does not start a well-formed reference (`&;`, `& `, `&#;`, `&#X41;`, no `;`).
        case invalidReference
        /// `&#…;` naming a character XML 1.0 does not allow (`&#0;`, a surrogate, `&#xFFFE;`, above U+10FFFF).
        case invalidCharacterReference
        /// An end tag whose name is not exactly the open element's (names are case-sensitive).
        case mismatchedEndTag
        /// The input ended while an element was still open.
        case unclosedElement
        /// The same attribute name twice on one element.
        case duplicateAttribute
        /// A raw `<` inside an attribute value.
        case lessThanInAttributeValue
        /// `--` inside a comment (including a comment ending in `--->`).
        case invalidComment
        /// `]]>` in character data outside a CDATA section.
        case cdataEndInText
        /// Something other than comments, processing instructions and whitespace after the root element.
        case trailingContent
        /// Elements nested deeper than ``XMLLimits/maxDepth`` (the limit).
        case tooDeep(limit: Int)
        /// More elements than ``XMLLimits/maxElements`` (the limit).
        case tooManyElements(limit: Int)
        /// More attributes on one element than ``XMLLimits/maxAttributes`` (the limit).
        case tooManyAttributes(limit: Int)
    }

    /// The rule the input broke.
    public let kind: Kind

    /// The byte offset into the input (a byte order mark counts) where the problem starts: the offending byte;
    /// the `<` of a DOCTYPE, misplaced declaration, end tag that does not match, or element over a limit; the
    /// `&` of a bad reference; the first byte of a duplicate or surplus attribute's name; the first byte of an
    /// unsupported encoding's name (0 for a byte order mark); the `<` of the innermost element left unclosed;
    /// the input's length when it ended inside markup.
    public let offset: Int

    public init(kind: Kind, offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    /// Whether the input is hostile or over a limit rather than malformed: a DOCTYPE, an unsupported encoding
    /// or a crossed ``XMLLimits`` value. Callers report these as refusals.
    public var isRefusal: Bool {
        switch kind {
        case .doctype, .unsupportedEncoding, .tooDeep, .tooManyElements, .tooManyAttributes: true
        default: false
        }
    }

    /// One line, e.g. `invalid XML at byte 17: end tag does not match the open element` or
    /// `XML refused at byte 38: DOCTYPE is not allowed`.
    public var description: String {
        "\(isRefusal ? "XML refused" : "invalid XML") at byte \(offset): \(kind.summary)"
    }
}

extension XMLError.Kind {
    /// A short phrase naming the problem without payload text.
    public var summary: String {
        switch self {
        case .noRootElement: "no root element"
        case .invalidUTF8: "invalid UTF-8"
        case .invalidCharacter: "character not allowed in XML"
        case .unexpectedCharacter: "unexpected character"
        case .unexpectedEnd: "unexpected end of input"
        case .invalidDeclaration: "malformed XML declaration"
        case .misplacedDeclaration: "XML declaration not at the start of the document"
        case .unsupportedEncoding(let name?): "encoding \(name) is not supported (only UTF-8 and US-ASCII are)"
        case .unsupportedEncoding(nil): "unrecognised encoding is not supported (only UTF-8 and US-ASCII are)"
        case .nonASCIIByte: "byte above 0x7F in a document declared US-ASCII"
        case .doctype: "DOCTYPE is not allowed"
        case .undefinedEntity: "undefined entity reference"
        case .invalidReference: "malformed entity or character reference"
        case .invalidCharacterReference: "character reference to a character not allowed in XML"
        case .mismatchedEndTag: "end tag does not match the open element"
        case .unclosedElement: "element not closed before the end of input"
        case .duplicateAttribute: "duplicate attribute"
        case .lessThanInAttributeValue: "'<' in an attribute value"
        case .invalidComment: "'--' inside a comment"
        case .cdataEndInText: "']]>' in character data"
        case .trailingContent: "content after the root element"
        case .tooDeep(let limit): "elements nested deeper than \(limit)"
        case .tooManyElements(let limit): "more than \(limit) elements"
        case .tooManyAttributes(let limit): "more than \(limit) attributes on one element"
        }
    }
}
