import MOTestFixtures
import Testing
import XML

/// One document the parser must accept, and the exact tree it must produce.
struct XMLAcceptance: Sendable, CustomTestStringConvertible {
    let label: String
    let input: [UInt8]
    let root: XMLTreeElement

    init(_ label: String, _ input: [UInt8], _ root: XMLTreeElement) {
        self.label = label
        self.input = input
        self.root = root
    }

    init(_ label: String, _ text: String, _ root: XMLTreeElement) {
        self.init(label, utf8(text), root)
    }

    var testDescription: String { label }
}

private typealias Element = XMLTreeElement
private typealias Attribute = XMLTreeElement.Attribute

@Suite("XMLTreeParser accepts strict XML 1.0 and builds the exact tree")
struct XMLTreeParserAcceptanceTests {
    static let prologs: [XMLAcceptance] = [
        XMLAcceptance("no declaration", "<a/>", Element(name: "a")),
        XMLAcceptance("UTF-8 byte order mark", bytes(.raw([0xEF, 0xBB, 0xBF]), "<a/>"), Element(name: "a")),
        XMLAcceptance("version only", #"<?xml version="1.0"?><a/>"#, Element(name: "a")),
        XMLAcceptance("version 1.1 is read as 1.0", #"<?xml version="1.1"?><a/>"#, Element(name: "a")),
        XMLAcceptance("lower-case utf-8", #"<?xml version="1.0" encoding="utf-8"?><a/>"#, Element(name: "a")),
        XMLAcceptance("US-ASCII in any case", #"<?xml version="1.0" encoding="us-ascii"?><a/>"#, Element(name: "a")),
        XMLAcceptance("ASCII", #"<?xml version="1.0" encoding="ASCII"?><a/>"#, Element(name: "a")),
        XMLAcceptance("all three, single quotes", "<?xml version='1.0' encoding='UTF-8' standalone='no'?><a/>", Element(name: "a")),
        XMLAcceptance("spaces around equals", "<?xml version = \"1.0\"\n\tstandalone = \"yes\" ?>\r\n<a/>", Element(name: "a")),
        XMLAcceptance("BOM then declaration", bytes(.raw([0xEF, 0xBB, 0xBF]), #"<?xml version="1.0"?><a/>"#), Element(name: "a")),
        XMLAcceptance("xml-stylesheet is a processing instruction", "<?xml-stylesheet href='x'?><a/>", Element(name: "a")),
        XMLAcceptance("comments, PIs and whitespace around the root",
                      "\n<!-- c --><?pi data?>\n<a/>\n<!-- after --><?pi?>\r\n", Element(name: "a")),
    ]

    static let structure: [XMLAcceptance] = [
        XMLAcceptance("nested children in order", "<a><b/><c><d/></c><b/></a>", Element(name: "a", children: [
            Element(name: "b"), Element(name: "c", children: [Element(name: "d")]), Element(name: "b"),
        ])),
        XMLAcceptance("own text is concatenated around children", "<a>x<b>inner</b>y<c/>z</a>", Element(
            name: "a", children: [Element(name: "b", text: "inner"), Element(name: "c")], text: "xyz")),
        XMLAcceptance("whitespace between children is kept in text", "<a>\n  <b/>\n</a>",
                      Element(name: "a", children: [Element(name: "b")], text: "\n  \n")),
        XMLAcceptance("attributes in order, both quote styles", #"<a x="1" y='2' z="it's" w='say "hi"'/>"#, Element(name: "a", attributes: [
            Attribute(name: "x", value: "1"), Attribute(name: "y", value: "2"),
            Attribute(name: "z", value: "it's"), Attribute(name: "w", value: "say \"hi\""),
        ])),
        XMLAcceptance("whitespace around attribute equals and before the end", "<a x = \"1\"\n></a >",
                      Element(name: "a", attributes: [Attribute(name: "x", value: "1")])),
        XMLAcceptance("names with colon, dash, dot, underscore and digits", "<ns:a-b.c_1 xmlns:ns='u'/>",
                      Element(name: "ns:a-b.c_1", attributes: [Attribute(name: "xmlns:ns", value: "u")])),
        XMLAcceptance("non-ASCII names", "<café naïve='ja'><日本/></café>", Element(
            name: "café", attributes: [Attribute(name: "naïve", value: "ja")], children: [Element(name: "日本")])),
        XMLAcceptance("attribute names differing only in case are distinct", "<a X='1' x='2'/>",
                      Element(name: "a", attributes: [Attribute(name: "X", value: "1"), Attribute(name: "x", value: "2")])),
        XMLAcceptance("empty element with explicit end tag", "<a></a>", Element(name: "a")),
    ]

    static let text: [XMLAcceptance] = [
        XMLAcceptance("predefined entities", "<a>&lt;&gt;&amp;&apos;&quot;</a>", Element(name: "a", text: "<>&'\"")),
        XMLAcceptance("decimal and hex character references", "<a>&#65;&#x42;&#x00043;&#x1F600;&#233;</a>",
                      Element(name: "a", text: "ABC😀é")),
        XMLAcceptance("upper-case hex digits", "<a>&#xE9;&#xe9;</a>", Element(name: "a", text: "éé")),
        XMLAcceptance("CDATA keeps markup characters", "<a><![CDATA[<b>&amp;</b> ]] ]>]]></a>",
                      Element(name: "a", text: "<b>&amp;</b> ]] ]>")),
        XMLAcceptance("empty CDATA", "<a>x<![CDATA[]]>y</a>", Element(name: "a", text: "xy")),
        XMLAcceptance("CR LF and lone CR become LF in text", "<a>1\r\n2\r3\n4</a>", Element(name: "a", text: "1\n2\n3\n4")),
        XMLAcceptance("CR LF becomes LF in CDATA", "<a><![CDATA[1\r\n2\r]]></a>", Element(name: "a", text: "1\n2\n")),
        XMLAcceptance("a referenced CR is kept", "<a>1&#13;&#10;2</a>", Element(name: "a", text: "1\r\n2")),
        XMLAcceptance("comments and PIs inside text are dropped", "<a>x<!-- no - > ? --><?p q?>y</a>",
                      Element(name: "a", text: "xy")),
        XMLAcceptance("tab, DEL, C1 controls, NBSP and astral characters are allowed",
                      "<a>\t\u{7F}\u{85}\u{A0}\u{10FFFD}</a>", Element(name: "a", text: "\t\u{7F}\u{85}\u{A0}\u{10FFFD}")),
        XMLAcceptance("']]' and ']>' are fine in text", "<a>]] ]></a>", Element(name: "a", text: "]] ]>")),
        XMLAcceptance("'>' is fine in text", "<a>a > b</a>", Element(name: "a", text: "a > b")),
    ]

    static let attributeValues: [XMLAcceptance] = [
        XMLAcceptance("literal tab, LF, CR LF and CR each become one space", "<a v='1\t2\n3\r\n4\r5'/>",
                      Element(name: "a", attributes: [Attribute(name: "v", value: "1 2 3 4 5")])),
        XMLAcceptance("referenced whitespace is kept", "<a v='1&#9;2&#10;3&#13;4'/>",
                      Element(name: "a", attributes: [Attribute(name: "v", value: "1\t2\n3\r4")])),
        XMLAcceptance("references in attribute values", "<a v=\"&lt;&amp;&quot;&#x263A;\"/>",
                      Element(name: "a", attributes: [Attribute(name: "v", value: "<&\"☺")])),
        XMLAcceptance("'>' is fine in an attribute value", "<a v='x>y'/>",
                      Element(name: "a", attributes: [Attribute(name: "v", value: "x>y")])),
        XMLAcceptance("empty attribute value", "<a v=''/>", Element(name: "a", attributes: [Attribute(name: "v", value: "")])),
    ]

    @Test("a well-formed prolog is accepted", arguments: prologs)
    func prolog(_ case: XMLAcceptance) throws {
        #expect(try XMLTreeParser.parse(`case`.input) == `case`.root)
    }

    @Test("elements and attributes build the exact tree", arguments: structure)
    func tree(_ case: XMLAcceptance) throws {
        #expect(try XMLTreeParser.parse(`case`.input) == `case`.root)
    }

    @Test("character data, references and CDATA become the element's text", arguments: text)
    func characterData(_ case: XMLAcceptance) throws {
        #expect(try XMLTreeParser.parse(`case`.input) == `case`.root)
    }

    @Test("attribute values are resolved and whitespace-normalised", arguments: attributeValues)
    func attributeValue(_ case: XMLAcceptance) throws {
        #expect(try XMLTreeParser.parse(`case`.input) == `case`.root)
    }

    @Test("documents exactly at each limit are accepted")
    func exactlyAtLimits() throws {
        let deep = String(repeating: "<a>", count: 32) + String(repeating: "</a>", count: 32)
        #expect(throws: Never.self) { try XMLTreeParser.parse(utf8(deep)) }
        let wide = "<r>" + String(repeating: "<e/>", count: 9_999) + "</r>"
        #expect(try XMLTreeParser.parse(utf8(wide)).children.count == 9_999)
        let attributes = (0..<64).map { " a\($0)='\($0)'" }.joined()
        #expect(try XMLTreeParser.parse(utf8("<r\(attributes)/>")).attributes.count == 64)
    }

    @Test("custom limits are honoured")
    func customLimits() throws {
        let limits = XMLLimits(maxDepth: 2, maxElements: 3, maxAttributes: 1)
        #expect(throws: Never.self) { try XMLTreeParser.parse(utf8("<a x='1'><b/><b/></a>"), limits: limits) }
        #expect(throws: XMLError(kind: .tooDeep(limit: 2), offset: 6)) {
            try XMLTreeParser.parse(utf8("<a><b><c/></b></a>"), limits: limits)
        }
    }

    @Test("names and values compare by exact scalars, not canonical equivalence")
    func exactScalarEquality() {
        #expect(Element(name: "é") != Element(name: "e\u{301}"))
        #expect(Attribute(name: "a", value: "é") != Attribute(name: "a", value: "e\u{301}"))
        #expect(Element(name: "a", text: "x") != Element(name: "a", text: "y"))
    }

    @Test("lookups ignore ASCII case only")
    func caseInsensitiveLookups() throws {
        let root = try XMLTreeParser.parse(utf8("<Root Sent='1' sent='2' K='k'><msg n='1'/><MSG n='2'/><Other/></Root>"))
        #expect(root.isNamed("ROOT") && root.isNamed("root"))
        #expect(root.children(named: "Msg").map { $0.attribute(named: "N") } == ["1", "2"])
        #expect(root.firstChild(named: "other")?.name == "Other")
        #expect(root.firstChild(named: "missing") == nil)
        #expect(root.attribute(named: "SENT") == "1")
        #expect(root.attributes(named: "SENT").count == 2)
        #expect(root.attribute(named: "\u{212A}") == nil)  // KELVIN SIGN does not fold to K
    }
}
