import MOTestFixtures
import Testing
import XML

/// A hostile fixture and the exact parser error it must produce.
struct HostileFixture: Sendable, CustomTestStringConvertible {
    let name: String
    let error: XMLError

    init(_ name: String, _ kind: XMLError.Kind, at offset: Int) {
        self.name = name
        self.error = XMLError(kind: kind, offset: offset)
    }

    var testDescription: String { name }
}

@Suite("Hostile XML is refused or rejected quickly, before anything could be fetched or expanded")
struct XMLHostileInputTests {
    static let fixtures: [HostileFixture] = [
        HostileFixture("xxe-file.xml", .doctype, at: 39),
        HostileFixture("xxe-remote.xml", .doctype, at: 22),
        HostileFixture("xxe-parameter-entity.xml", .doctype, at: 22),
        HostileFixture("billion-laughs.xml", .doctype, at: 22),
        HostileFixture("doctype-only.xml", .doctype, at: 0),
        HostileFixture("doctype-lowercase.xml", .doctype, at: 0),
        HostileFixture("doctype-after-root.xml", .doctype, at: 28),
        HostileFixture("doctype-in-content.xml", .doctype, at: 10),
        HostileFixture("entity-without-doctype.xml", .undefinedEntity, at: 19),
        HostileFixture("nul-reference.xml", .invalidCharacterReference, at: 19),
        HostileFixture("trailing-junk.xml", .trailingContent, at: 64),
        HostileFixture("second-root.xml", .trailingContent, at: 63),
        HostileFixture("utf16.xml", .unsupportedEncoding("UTF-16LE"), at: 0),
        HostileFixture("utf16be-no-bom.xml", .unsupportedEncoding("UTF-16BE"), at: 0),
        HostileFixture("utf16-declared.xml", .unsupportedEncoding("UTF-16"), at: 30),
    ]

    @Test("the parser stops a hostile fixture with its exact error, well under a second", arguments: fixtures)
    func parserError(_ hostile: HostileFixture) {
        let input = fixture(hostile.name, in: "hostile")
        let elapsed = ContinuousClock().measure {
            #expect(throws: hostile.error) { try XMLTreeParser.parse(input) }
        }
        #expect(elapsed < .milliseconds(500))
    }

    @Test("every DTD-based attack is refused, not merely rejected")
    func dtdAttacksAreRefusals() {
        for hostile in Self.fixtures where hostile.name.hasPrefix("xxe") || hostile.name.hasPrefix("billion") {
            #expect(hostile.error.isRefusal, "\(hostile.name)")
        }
    }

    @Test("XInclude is just an inert element: nothing is fetched")
    func xincludeIsInert() throws {
        let input = fixture("xinclude.xml", in: "hostile")
        let root = try XMLTreeParser.parse(input)
        let include = try #require(root.firstChild(named: "xi:include"))
        #expect(include.attribute(named: "href") == "file:///etc/passwd")
        #expect(include.children.isEmpty && include.text.isEmpty)
    }

    @Test("100 000 levels of nesting fail at the 33rd start tag, at once")
    func deepNesting() {
        let input = utf8(String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000))
        let elapsed = ContinuousClock().measure {
            #expect(throws: XMLError(kind: .tooDeep(limit: 32), offset: 96)) { try XMLTreeParser.parse(input) }
        }
        #expect(elapsed < .milliseconds(200))
    }

    @Test("a raised depth limit is honoured without recursion")
    func raisedDepthLimit() throws {
        let input = utf8(String(repeating: "<a>", count: 2_000) + "x" + String(repeating: "</a>", count: 2_000))
        var element = try XMLTreeParser.parse(input, limits: XMLLimits(maxDepth: 2_000))
        var depth = 1
        while let child = element.children.first {
            element = child
            depth += 1
        }
        #expect(depth == 2_000 && element.text == "x")
    }

    @Test("a million sibling elements fail at the 10 001st, at once")
    func elementFlood() {
        let input = utf8("<r>" + String(repeating: "<e/>", count: 1_000_000) + "</r>")
        let elapsed = ContinuousClock().measure {
            #expect(throws: XMLError(kind: .tooManyElements(limit: 10_000), offset: 39_999)) { try XMLTreeParser.parse(input) }
        }
        #expect(elapsed < .milliseconds(500))
    }

    @Test("an attribute flood fails at the 65th attribute")
    func attributeFlood() {
        let input = utf8("<r" + (0..<100_000).map { " a\($0)=''" }.joined() + "/>")
        #expect(throws: XMLError(kind: .tooManyAttributes(limit: 64), offset: 441)) { try XMLTreeParser.parse(input) }
    }

    @Test("1 MB of character data in one element parses in linear time")
    func oneMegabyteText() throws {
        let chunk = "Hallo wereld — ünïcödé 👍 &lt;tag&gt; &#x263A; <![CDATA[a]]b]]>\r\n"
        let input = { (scale: Int) in utf8("<a>" + String(repeating: chunk, count: 1_400 * scale) + "</a>") }
        #expect(input(10).count > 1_000_000)
        let root = try XMLTreeParser.parse(input(10))
        #expect(root.text.hasPrefix("Hallo wereld — ünïcödé 👍 <tag> ☺ a]]b\nHallo"))
        #expect(root.text.unicodeScalars.count == 14_000 * 38)
        let inputs = [1: input(1), 10: input(10)]
        let ratio = try growth { scale in _ = try XMLTreeParser.parse(inputs[scale]!) }
        #expect(ratio < 30, "10x the input took \(ratio)x the time")
    }
}
