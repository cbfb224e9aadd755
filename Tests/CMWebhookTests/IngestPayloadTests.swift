import CMWebhook
import MOTestFixtures
import Testing

@Suite("IngestPayload: a webhook body's form picks its decoder, a refusal is malformed, an empty body a probe")
struct IngestPayloadTests {
    @Test("an MO body is legacy XML when it starts with '<', JSON otherwise")
    func inboundMessageForms() {
        #expect(kind(IngestPayload(inboundMessage: fixture("legacy-minimal.xml"), method: "POST")) == "inboundMessage")
        #expect(kind(IngestPayload(inboundMessage: fixture("bom.json"), method: "PUT")) == "inboundMessage")
    }

    @Test("a status report is read as a query string for a GET or a form-encoded body, else as JSON or XML",
          arguments: [
              ("GET", nil, fixtureLine("query-encoded.txt", in: "status")),
              ("POST", "application/x-www-form-urlencoded; charset=utf-8", fixtureLine("query-encoded.txt", in: "status")),
              ("POST", "application/x-www-form-urlencoded", String(decoding: fixture("json-template.json", in: "status"), as: UTF8.self)),
              ("POST", "text/xml", String(decoding: fixture("xml-current.xml", in: "status"), as: UTF8.self)),
          ] as [(String, String?, String)])
    func statusReportForms(method: String, contentType: String?, body: String) {
        let payload = IngestPayload(statusReports: Array(body.utf8), method: method, contentType: contentType)
        #expect(kind(payload) == "statusReports")
    }

    @Test("an event is JSON")
    func eventForm() {
        #expect(kind(IngestPayload(event: fixture("push-client-installed.json", in: "events"), method: "POST")) == "event")
    }

    @Test("a GET to the MO or event webhook is kept as malformed, with the form named")
    func getIsMalformed() {
        #expect(reason(IngestPayload(inboundMessage: utf8("from=1"), method: "GET"))
                    == "MO payload came in a form no decoder knows: a GET query string")
        #expect(reason(IngestPayload(event: utf8("type=x"), method: "GET"))?.hasSuffix("a GET query string") == true)
    }

    @Test("a body no decoder takes is malformed with the decoder's reason, unless it carries no content (a probe)")
    func refusalOrProbe() {
        #expect(reason(IngestPayload(inboundMessage: utf8("{\"from\":"), method: "POST")) != nil)
        #expect(reason(IngestPayload(statusReports: fixture("malformed-mismatched-tag.xml", in: "status"),
                                     method: "POST", contentType: "text/xml")) != nil)
        for body in ["", "  \r\n", "{}", "[]", "null", "<MESSAGES/>"] {
            #expect(kind(IngestPayload(inboundMessage: utf8(body), method: "POST")) == "probe", "\(body)")
            #expect(kind(IngestPayload(statusReports: utf8(body), method: "POST", contentType: nil)) == "probe", "\(body)")
            #expect(kind(IngestPayload(event: utf8(body), method: "POST")) == "probe", "\(body)")
        }
        #expect(kind(IngestPayload(inboundMessage: [], method: "GET")) == "probe")
    }

    private func kind(_ payload: IngestPayload) -> String {
        switch payload {
        case .inboundMessage: "inboundMessage"
        case .statusReports: "statusReports"
        case .event: "event"
        case .raw: "raw"
        case .probe: "probe"
        case .malformed: "malformed"
        }
    }

    private func reason(_ payload: IngestPayload) -> String? {
        if case .malformed(let reason) = payload { return reason }
        return nil
    }
}
