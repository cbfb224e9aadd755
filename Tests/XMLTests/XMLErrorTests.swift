import MOTestFixtures
import Testing
import XML

@Suite("XMLError descriptions are one line, leak no payload, and say whether input was refused")
struct XMLErrorTests {
    static let allKinds: [XMLError.Kind] = [
        .noRootElement, .invalidUTF8, .invalidCharacter, .unexpectedCharacter, .unexpectedEnd, .invalidDeclaration,
        .misplacedDeclaration, .unsupportedEncoding("UTF-16"), .unsupportedEncoding(nil), .nonASCIIByte, .doctype,
        .undefinedEntity, .invalidReference, .invalidCharacterReference, .mismatchedEndTag, .unclosedElement,
        .duplicateAttribute, .lessThanInAttributeValue, .invalidComment, .cdataEndInText, .trailingContent,
        .tooDeep(limit: 32), .tooManyElements(limit: 10_000), .tooManyAttributes(limit: 64),
    ]

    @Test("each kind has a fixed one-line description with the offset", arguments: [
        (XMLError.Kind.noRootElement, "invalid XML at byte 7: no root element"),
        (.invalidUTF8, "invalid XML at byte 7: invalid UTF-8"),
        (.invalidCharacter, "invalid XML at byte 7: character not allowed in XML"),
        (.unexpectedCharacter, "invalid XML at byte 7: unexpected character"),
        (.unexpectedEnd, "invalid XML at byte 7: unexpected end of input"),
        (.invalidDeclaration, "invalid XML at byte 7: malformed XML declaration"),
        (.misplacedDeclaration, "invalid XML at byte 7: XML declaration not at the start of the document"),
        (.unsupportedEncoding("UTF-16LE"), "XML refused at byte 7: encoding UTF-16LE is not supported (only UTF-8 and US-ASCII are)"),
        (.unsupportedEncoding(nil), "XML refused at byte 7: unrecognised encoding is not supported (only UTF-8 and US-ASCII are)"),
        (.nonASCIIByte, "invalid XML at byte 7: byte above 0x7F in a document declared US-ASCII"),
        (.doctype, "XML refused at byte 7: DOCTYPE is not allowed"),
        (.undefinedEntity, "invalid XML at byte 7: undefined entity reference"),
        (.invalidReference, "invalid XML at byte 7: malformed entity or character reference"),
        (.invalidCharacterReference, "invalid XML at byte 7: character reference to a character not allowed in XML"),
        (.mismatchedEndTag, "invalid XML at byte 7: end tag does not match the open element"),
        (.unclosedElement, "invalid XML at byte 7: element not closed before the end of input"),
        (.duplicateAttribute, "invalid XML at byte 7: duplicate attribute"),
        (.lessThanInAttributeValue, "invalid XML at byte 7: '<' in an attribute value"),
        (.invalidComment, "invalid XML at byte 7: '--' inside a comment"),
        (.cdataEndInText, "invalid XML at byte 7: ']]>' in character data"),
        (.trailingContent, "invalid XML at byte 7: content after the root element"),
        (.tooDeep(limit: 32), "XML refused at byte 7: elements nested deeper than 32"),
        (.tooManyElements(limit: 10_000), "XML refused at byte 7: more than 10000 elements"),
        (.tooManyAttributes(limit: 64), "XML refused at byte 7: more than 64 attributes on one element"),
    ])
    func descriptions(kind: XMLError.Kind, expected: String) {
        let error = XMLError(kind: kind, offset: 7)
        #expect(error.description == expected)
        #expect("\(error)" == expected)
        #expect(!expected.contains("\n"))
    }

    @Test("the description table covers every kind")
    func descriptionsCoverEveryKind() {
        #expect(Set(Self.allKinds.map(\.summary)).count == Self.allKinds.count)
    }

    @Test("only DOCTYPE, encodings and limits are refusals", arguments: allKinds)
    func refusals(kind: XMLError.Kind) {
        let expected: Bool
        switch kind {
        case .doctype, .unsupportedEncoding, .tooDeep, .tooManyElements, .tooManyAttributes: expected = true
        default: expected = false
        }
        #expect(XMLError(kind: kind, offset: 0).isRefusal == expected)
    }

    @Test("errors compare by kind and offset")
    func equality() {
        #expect(XMLError(kind: .doctype, offset: 1) == XMLError(kind: .doctype, offset: 1))
        #expect(XMLError(kind: .doctype, offset: 1) != XMLError(kind: .doctype, offset: 2))
        #expect(XMLError(kind: .unsupportedEncoding("UTF-16"), offset: 0) != XMLError(kind: .unsupportedEncoding(nil), offset: 0))
        #expect(XMLError(kind: .tooDeep(limit: 1), offset: 0) != XMLError(kind: .tooDeep(limit: 2), offset: 0))
    }

    @Test("a declared encoding name outside the known table is never echoed")
    func unknownEncodingNotEchoed() {
        let input = utf8("<?xml version='1.0' encoding='CANARY-7f3e9b'?><a/>")
        do {
            _ = try XMLTreeParser.parse(input)
            Issue.record("expected a refusal")
        } catch {
            #expect(error == XMLError(kind: .unsupportedEncoding(nil), offset: 30))
            #expect(!error.description.contains("7f3e9b"))
        }
    }
}
