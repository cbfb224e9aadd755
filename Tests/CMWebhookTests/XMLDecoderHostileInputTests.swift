import CMWebhook
import MOTestFixtures
import Testing
import XML

/// The hostile XML fixtures; XMLTests' `XMLHostileInputTests` pins the parser's exact error for each, and these
/// tests that both decoders report that error.
let hostileXMLFixtures = [
    "xxe-file.xml", "xxe-remote.xml", "xxe-parameter-entity.xml", "billion-laughs.xml", "doctype-only.xml",
    "doctype-lowercase.xml", "doctype-after-root.xml", "doctype-in-content.xml", "entity-without-doctype.xml",
    "nul-reference.xml", "trailing-junk.xml", "second-root.xml", "utf16.xml", "utf16be-no-bom.xml",
    "utf16-declared.xml",
]

@Suite("Hostile XML reaches the decoders as refused or not well-formed, and large reports decode in linear time")
struct XMLDecoderHostileInputTests {
    @Test("both XML decoders report a hostile fixture as refused or not well-formed", arguments: hostileXMLFixtures)
    func decoderErrors(_ name: String) throws {
        let input = fixture(name, in: "hostile")
        let error = try #require(throws: XMLError.self) { try XMLTreeParser.parse(input) }
        let problem: PayloadError.Problem = error.isRefusal
            ? .refused("\(error.kind.summary) at byte \(error.offset)")
            : .invalidXML(error.description)
        #expect(throws: PayloadError(.statusReport, problem)) { try StatusReport.reports(xml: input) }
        #expect(throws: PayloadError(.inboundMessage, problem)) { try InboundMessage(legacyXML: input) }
    }

    @Test("XInclude is just an inert element: the status report simply has no MSG")
    func xincludeIsInert() {
        let input = fixture("xinclude.xml", in: "hostile")
        #expect(throws: PayloadError(.statusReport, .missingField("MSG"))) { try StatusReport.reports(xml: input) }
    }

    @Test("a 1 MB status report of 1 400 messages decodes in linear time")
    func oneMegabyteReport() throws {
        let padding = String(repeating: "é&amp;x<![CDATA[<>]]>", count: 30)
        let message = """
            <MSG RECEIVED="2024-03-01T11:05:42"><TO>0031612345679</TO><REFERENCE>ref</REFERENCE>\
            <STATUS><CODE>3</CODE><ERRORCODE>24</ERRORCODE><ERRORDESCRIPTION>\(padding)</ERRORDESCRIPTION></STATUS></MSG>\n
            """
        let input = { (scale: Int) in utf8("<MESSAGES>\n" + String(repeating: message, count: 140 * scale) + "</MESSAGES>") }
        #expect(input(10).count > 1_000_000)
        let reports = try StatusReport.reports(xml: input(10))
        #expect(reports.count == 1_400)
        #expect(reports.last?.errorDescription == String(repeating: "é&x<>", count: 30))
        let inputs = [1: input(1), 10: input(10)]
        let ratio = try growth { scale in _ = try StatusReport.reports(xml: inputs[scale]!) }
        #expect(ratio < 30, "10x the input took \(ratio)x the time")
    }
}
