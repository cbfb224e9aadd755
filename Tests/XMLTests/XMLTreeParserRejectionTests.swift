import MOTestFixtures
import Testing
import XML

/// One input the XML parser must reject, and exactly how.
struct XMLRejection: Sendable, CustomTestStringConvertible {
    let label: String
    let input: [UInt8]
    let kind: XMLError.Kind
    let offset: Int

    init(_ label: String, _ input: [UInt8], _ kind: XMLError.Kind, at offset: Int) {
        self.label = label
        self.input = input
        self.kind = kind
        self.offset = offset
    }

    init(_ label: String, _ text: String, _ kind: XMLError.Kind, at offset: Int) {
        self.init(label, utf8(text), kind, at: offset)
    }

    var testDescription: String { label }
}

@Suite("XMLTreeParser rejects everything outside strict XML 1.0, at the right byte")
struct XMLTreeParserRejectionTests {
    static let structure: [XMLRejection] = [
        XMLRejection("no bytes", [], .noRootElement, at: 0),
        XMLRejection("only whitespace", " \r\n\t", .noRootElement, at: 4),
        XMLRejection("only a byte order mark", [0xEF, 0xBB, 0xBF], .noRootElement, at: 3),
        XMLRejection("only a declaration and a comment", "<?xml version='1.0'?><!-- -->", .noRootElement, at: 29),
        XMLRejection("text before the root", "hello<a/>", .unexpectedCharacter, at: 0),
        XMLRejection("end tag before the root", "</a>", .unexpectedCharacter, at: 1),
        XMLRejection("CDATA before the root", "<![CDATA[x]]><a/>", .unexpectedCharacter, at: 1),
        XMLRejection("space after '<'", "< a/>", .unexpectedCharacter, at: 1),
        XMLRejection("digit starts a name", "<1a/>", .unexpectedCharacter, at: 1),
        XMLRejection("attribute without whitespace before it", "<a x='1'y='2'/>", .unexpectedCharacter, at: 8),
        XMLRejection("attribute without value", "<a x/>", .unexpectedCharacter, at: 4),
        XMLRejection("unquoted attribute value", "<a x=1/>", .unexpectedCharacter, at: 5),
        XMLRejection("'/' not followed by '>'", "<a/ >", .unexpectedCharacter, at: 3),
        XMLRejection("bad byte after '<!' in content", "<a><!x></a>", .unexpectedCharacter, at: 5),
        XMLRejection("end tag with attributes", "<a></a x='1'>", .unexpectedCharacter, at: 7),
        XMLRejection("PI without target", "<a><? x?></a>", .unexpectedCharacter, at: 5),
        XMLRejection("PI target not followed by space", "<a><?x|?></a>", .unexpectedCharacter, at: 6),
        XMLRejection("non-breaking space is not whitespace", "<a\u{A0}x='1'/>", .unexpectedCharacter, at: 2),
    ]

    static let unexpectedEnd: [XMLRejection] = [
        XMLRejection("lone '<'", "<", .unexpectedEnd, at: 1),
        XMLRejection("inside a start tag", "<a", .unexpectedEnd, at: 2),
        XMLRejection("inside an attribute value", "<a x='1", .unexpectedEnd, at: 7),
        XMLRejection("after attribute name", "<a x", .unexpectedEnd, at: 4),
        XMLRejection("'<' at the end of content", "<a><", .unexpectedEnd, at: 4),
        XMLRejection("inside an end tag", "<a></a", .unexpectedEnd, at: 6),
        XMLRejection("inside a comment", "<a><!-- x", .unexpectedEnd, at: 9),
        XMLRejection("inside a comment after '--'", "<a><!-- x --", .unexpectedEnd, at: 12),
        XMLRejection("inside CDATA", "<a><![CDATA[x]]", .unexpectedEnd, at: 15),
        XMLRejection("inside a PI", "<a><?p x", .unexpectedEnd, at: 8),
        XMLRejection("inside a reference", "<a>&am", .unexpectedEnd, at: 6),
        XMLRejection("after '&'", "<a>&", .unexpectedEnd, at: 4),
        XMLRejection("inside a character reference", "<a>&#12", .unexpectedEnd, at: 7),
        XMLRejection("inside the declaration", "<?xml version='1.0'", .unexpectedEnd, at: 19),
        XMLRejection("partial CDATA opener", "<a><![CDA", .unexpectedEnd, at: 9),
    ]

    static let unclosed: [XMLRejection] = [
        XMLRejection("root never closed", "<a>text", .unclosedElement, at: 0),
        XMLRejection("innermost open element is named", "<a><b><c/>", .unclosedElement, at: 3),
    ]

    static let mismatched: [XMLRejection] = [
        XMLRejection("different name", "<a></b>", .mismatchedEndTag, at: 3),
        XMLRejection("names are case-sensitive", "<MSG></msg>", .mismatchedEndTag, at: 5),
        XMLRejection("crossed nesting", "<a><b></a></b>", .mismatchedEndTag, at: 6),
        XMLRejection("prefix of the open name", "<abc></ab>", .mismatchedEndTag, at: 5),
    ]

    static let characters: [XMLRejection] = [
        XMLRejection("raw NUL in text", bytes("<a>x", .raw([0x00]), "</a>"), .invalidCharacter, at: 4),
        XMLRejection("control character in text", "<a>\u{1}</a>", .invalidCharacter, at: 3),
        XMLRejection("form feed in an attribute", "<a v='\u{C}'/>", .invalidCharacter, at: 6),
        XMLRejection("escape in a comment", "<a><!-- \u{1B} --></a>", .invalidCharacter, at: 8),
        XMLRejection("vertical tab in CDATA", "<a><![CDATA[\u{B}]]></a>", .invalidCharacter, at: 12),
        XMLRejection("U+FFFE in text", "<a>\u{FFFE}</a>", .invalidCharacter, at: 3),
        XMLRejection("U+FFFF in a PI", "<a><?p \u{FFFF}?></a>", .invalidCharacter, at: 7),
        XMLRejection("control character between tags", "<a/>\u{7}", .invalidCharacter, at: 4),
        XMLRejection("control character before the root", "\u{8}<a/>", .invalidCharacter, at: 0),
    ]

    static let invalidUTF8: [XMLRejection] = [
        XMLRejection("overlong slash in text", bytes("<a>", .raw([0xC0, 0xAF]), "</a>"), .invalidUTF8, at: 3),
        XMLRejection("encoded surrogate", bytes("<a>", .raw([0xED, 0xA0, 0x80]), "</a>"), .invalidUTF8, at: 3),
        XMLRejection("above U+10FFFF", bytes("<a>", .raw([0xF4, 0x90, 0x80, 0x80]), "</a>"), .invalidUTF8, at: 3),
        XMLRejection("stray continuation", bytes("<a v='", .raw([0x80]), "'/>"), .invalidUTF8, at: 6),
        XMLRejection("truncated at the end", bytes("<a>", .raw([0xE2, 0x82])), .invalidUTF8, at: 3),
        XMLRejection("latin-1 byte in a name", bytes("<caf", .raw([0xE9]), "/>"), .invalidUTF8, at: 4),
        XMLRejection("bad byte starting a name", bytes("<", .raw([0xFF]), "/>"), .invalidUTF8, at: 1),
        XMLRejection("bad byte in a comment", bytes("<a><!--", .raw([0xFE]), "--></a>"), .invalidUTF8, at: 7),
        XMLRejection("partial byte order mark", bytes(.raw([0xEF, 0xBB]), "<a/>"), .invalidUTF8, at: 0),
    ]

    static let declarations: [XMLRejection] = [
        XMLRejection("no version", "<?xml encoding='UTF-8'?><a/>", .invalidDeclaration, at: 6),
        XMLRejection("empty declaration", "<?xml?><a/>", .invalidDeclaration, at: 5),
        XMLRejection("version 2.0", "<?xml version='2.0'?><a/>", .invalidDeclaration, at: 15),
        XMLRejection("version 1.", "<?xml version='1.'?><a/>", .invalidDeclaration, at: 15),
        XMLRejection("mixed quotes", "<?xml version='1.0\"?><a/>", .invalidDeclaration, at: 18),
        XMLRejection("standalone before encoding", "<?xml version='1.0' standalone='yes' encoding='UTF-8'?><a/>", .invalidDeclaration, at: 37),
        XMLRejection("standalone maybe", "<?xml version='1.0' standalone='maybe'?><a/>", .invalidDeclaration, at: 32),
        XMLRejection("encoding name starting with a digit", "<?xml version='1.0' encoding='8859'?><a/>", .invalidDeclaration, at: 30),
        XMLRejection("no space between pseudo-attributes", "<?xml version='1.0'encoding='UTF-8'?><a/>", .invalidDeclaration, at: 19),
        XMLRejection("upper-case keyword", "<?xml VERSION='1.0'?><a/>", .invalidDeclaration, at: 6),
        XMLRejection("declaration after whitespace", " <?xml version='1.0'?><a/>", .misplacedDeclaration, at: 1),
        XMLRejection("declaration after a comment", "<!-- --><?xml version='1.0'?><a/>", .misplacedDeclaration, at: 8),
        XMLRejection("declaration inside the root", "<a><?xml version='1.0'?></a>", .misplacedDeclaration, at: 3),
        XMLRejection("upper-case XML target", "<?XML version='1.0'?><a/>", .misplacedDeclaration, at: 0),
        XMLRejection("US-ASCII declared, UTF-8 sent", "<?xml version='1.0' encoding='US-ASCII'?><a>é</a>", .nonASCIIByte, at: 44),
    ]

    static let encodings: [XMLRejection] = [
        XMLRejection("UTF-16LE byte order mark", [0xFF, 0xFE, 0x3C, 0x00, 0x61, 0x00], .unsupportedEncoding("UTF-16LE"), at: 0),
        XMLRejection("UTF-16BE byte order mark", [0xFE, 0xFF, 0x00, 0x3C, 0x00, 0x61], .unsupportedEncoding("UTF-16BE"), at: 0),
        XMLRejection("UTF-32LE byte order mark", [0xFF, 0xFE, 0x00, 0x00, 0x3C, 0x00, 0x00, 0x00], .unsupportedEncoding("UTF-32LE"), at: 0),
        XMLRejection("UTF-32BE byte order mark", [0x00, 0x00, 0xFE, 0xFF], .unsupportedEncoding("UTF-32BE"), at: 0),
        XMLRejection("UTF-16LE without a byte order mark", [0x3C, 0x00, 0x3F, 0x00], .unsupportedEncoding("UTF-16LE"), at: 0),
        XMLRejection("UTF-16BE without a byte order mark", [0x00, 0x3C, 0x00, 0x3F], .unsupportedEncoding("UTF-16BE"), at: 0),
        XMLRejection("UTF-32LE without a byte order mark", [0x3C, 0x00, 0x00, 0x00], .unsupportedEncoding("UTF-32LE"), at: 0),
        XMLRejection("UTF-32BE without a byte order mark", [0x00, 0x00, 0x00, 0x3C], .unsupportedEncoding("UTF-32BE"), at: 0),
        XMLRejection("declared UTF-16", "<?xml version='1.0' encoding='utf-16'?><a/>", .unsupportedEncoding("UTF-16"), at: 30),
        XMLRejection("declared ISO-8859-1", "<?xml version='1.0' encoding='ISO-8859-1'?><a/>", .unsupportedEncoding("ISO-8859-1"), at: 30),
        XMLRejection("declared latin1", "<?xml version='1.0' encoding='latin1'?><a/>", .unsupportedEncoding("ISO-8859-1"), at: 30),
        XMLRejection("declared ISO-8859-15", "<?xml version='1.0' encoding='iso-8859-15'?><a/>", .unsupportedEncoding("ISO-8859-15"), at: 30),
        XMLRejection("declared windows-1252", "<?xml version='1.0' encoding='Windows-1252'?><a/>", .unsupportedEncoding("windows-1252"), at: 30),
        XMLRejection("declared Shift_JIS", "<?xml version='1.0' encoding='shift_jis'?><a/>", .unsupportedEncoding("Shift_JIS"), at: 30),
        XMLRejection("declared UTF8 without the hyphen", "<?xml version='1.0' encoding='UTF8'?><a/>", .unsupportedEncoding("UTF8"), at: 30),
        XMLRejection("unknown encoding name is not echoed", "<?xml version='1.0' encoding='x-secret-7f3e'?><a/>", .unsupportedEncoding(nil), at: 30),
    ]

    static let doctypes: [XMLRejection] = [
        XMLRejection("internal subset", "<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>", .doctype, at: 0),
        XMLRejection("after the declaration", "<?xml version='1.0'?>\n<!DOCTYPE a SYSTEM 'a.dtd'><a/>", .doctype, at: 22),
        XMLRejection("lower case keyword", "<!doctype a><a/>", .doctype, at: 0),
        XMLRejection("after a comment", "<!-- x --><!DOCTYPE a><a/>", .doctype, at: 10),
        XMLRejection("inside the root", "<a><!DOCTYPE a></a>", .doctype, at: 3),
        XMLRejection("after the root", "<a/><!DOCTYPE a>", .doctype, at: 4),
        XMLRejection("keyword cut short", "<!DOCTYP a><a/>", .unexpectedCharacter, at: 1),
    ]

    static let references: [XMLRejection] = [
        XMLRejection("undefined entity", "<a>&nbsp;</a>", .undefinedEntity, at: 3),
        XMLRejection("entity names are case-sensitive", "<a>&AMP;</a>", .undefinedEntity, at: 3),
        XMLRejection("undefined entity in an attribute", "<a v='&xxe;'/>", .undefinedEntity, at: 6),
        XMLRejection("bare ampersand", "<a>a & b</a>", .invalidReference, at: 5),
        XMLRejection("empty name", "<a>&;</a>", .invalidReference, at: 3),
        XMLRejection("no semicolon", "<a>&amp </a>", .invalidReference, at: 3),
        XMLRejection("no digits", "<a>&#;</a>", .invalidReference, at: 3),
        XMLRejection("no hex digits", "<a>&#x;</a>", .invalidReference, at: 3),
        XMLRejection("upper-case X", "<a>&#X41;</a>", .invalidReference, at: 3),
        XMLRejection("hex digit in a decimal reference", "<a>&#1a;</a>", .invalidReference, at: 3),
        XMLRejection("reference to NUL", "<a>&#0;</a>", .invalidCharacterReference, at: 3),
        XMLRejection("hex reference to NUL", "<a v='&#x0;'/>", .invalidCharacterReference, at: 6),
        XMLRejection("reference to a control character", "<a>&#x1B;</a>", .invalidCharacterReference, at: 3),
        XMLRejection("reference to a high surrogate", "<a>&#xD800;</a>", .invalidCharacterReference, at: 3),
        XMLRejection("reference to a low surrogate", "<a>&#57343;</a>", .invalidCharacterReference, at: 3),
        XMLRejection("reference to U+FFFE", "<a>&#xFFFE;</a>", .invalidCharacterReference, at: 3),
        XMLRejection("reference above U+10FFFF", "<a>&#x110000;</a>", .invalidCharacterReference, at: 3),
        XMLRejection("huge reference does not overflow", "<a>&#99999999999999999999999;</a>", .invalidCharacterReference, at: 3),
    ]

    static let markup: [XMLRejection] = [
        XMLRejection("duplicate attribute", "<a x='1' y='2' x='3'/>", .duplicateAttribute, at: 15),
        XMLRejection("duplicate attribute, other quotes", "<a x='1' x=\"1\"/>", .duplicateAttribute, at: 9),
        XMLRejection("'<' in an attribute value", "<a v='a<b'/>", .lessThanInAttributeValue, at: 7),
        XMLRejection("'--' in a comment", "<a><!-- a -- b --></a>", .invalidComment, at: 10),
        XMLRejection("comment ending in '--->'", "<a><!-- a ---></a>", .invalidComment, at: 10),
        XMLRejection("'--' in a comment before the root", "<!-- -- --><a/>", .invalidComment, at: 5),
        XMLRejection("']]>' in text", "<a>x]]>y</a>", .cdataEndInText, at: 4),
        XMLRejection("text after the root", "<a/>junk", .trailingContent, at: 4),
        XMLRejection("second root element", "<a/>\n<b/>", .trailingContent, at: 5),
        XMLRejection("CDATA after the root", "<a/><![CDATA[x]]>", .trailingContent, at: 4),
        XMLRejection("stray end tag after the root", "<a></a></a>", .trailingContent, at: 7),
        XMLRejection("entity after the root", "<a/>&amp;", .trailingContent, at: 4),
    ]

    static let limits: [XMLRejection] = [
        XMLRejection("33 levels deep", String(repeating: "<a>", count: 33), .tooDeep(limit: 32), at: 96),
        XMLRejection("root plus 10 000 children", "<r>" + String(repeating: "<e/>", count: 10_000), .tooManyElements(limit: 10_000), at: 39_999),
        XMLRejection("65 attributes", "<r" + (0..<65).map { " a\($0)='1'" }.joined() + "/>", .tooManyAttributes(limit: 64), at: 505),
    ]

    @Test("structural errors", arguments: structure)
    func structuralErrors(_ rejection: XMLRejection) { expectRejection(rejection) }

    @Test("input that ends inside markup", arguments: unexpectedEnd)
    func endsEarly(_ rejection: XMLRejection) { expectRejection(rejection) }

    @Test("an element left open at the end is reported at its start tag", arguments: unclosed)
    func unclosedElement(_ rejection: XMLRejection) { expectRejection(rejection) }

    @Test("an end tag must match the open element exactly", arguments: mismatched)
    func mismatchedTags(_ rejection: XMLRejection) { expectRejection(rejection) }

    @Test("characters XML 1.0 forbids are rejected wherever they appear", arguments: characters)
    func forbiddenCharacters(_ rejection: XMLRejection) { expectRejection(rejection) }

    @Test("invalid UTF-8 is rejected wherever it appears", arguments: invalidUTF8)
    func badUTF8(_ rejection: XMLRejection) { expectRejection(rejection) }

    @Test("a malformed or misplaced XML declaration is rejected", arguments: declarations)
    func badDeclarations(_ rejection: XMLRejection) { expectRejection(rejection) }

    @Test("encodings other than UTF-8 and US-ASCII are refused and named", arguments: encodings)
    func unsupportedEncodings(_ rejection: XMLRejection) { expectRejection(rejection) }

    @Test("any DOCTYPE is refused", arguments: doctypes)
    func doctypesRefused(_ rejection: XMLRejection) { expectRejection(rejection) }

    @Test("only the five predefined entities and allowed characters may be referenced", arguments: references)
    func badReferences(_ rejection: XMLRejection) { expectRejection(rejection) }

    @Test("attribute, comment, CDATA and trailing-content rules", arguments: markup)
    func markupRules(_ rejection: XMLRejection) { expectRejection(rejection) }

    @Test("each limit stops the parse at the element or attribute that crosses it", arguments: limits)
    func limitsEnforced(_ rejection: XMLRejection) { expectRejection(rejection) }

    @Test("every error kind is exercised by a rejection case")
    func everyKindCovered() {
        let all = Self.structure + Self.unexpectedEnd + Self.unclosed + Self.mismatched + Self.characters
            + Self.invalidUTF8 + Self.declarations + Self.encodings + Self.doctypes + Self.references
            + Self.markup + Self.limits
        let covered = Set(all.map { $0.kind.summary })
        for kind in XMLErrorTests.allKinds where kind != .unsupportedEncoding(nil) {
            #expect(covered.contains(kind.summary), "no rejection case for \(kind)")
        }
    }

    private func expectRejection(_ rejection: XMLRejection, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: XMLError(kind: rejection.kind, offset: rejection.offset), sourceLocation: sourceLocation) {
            try XMLTreeParser.parse(rejection.input)
        }
    }
}
