import CMWebhook
import Testing

@Suite("DeliveryStatus maps CM's status code, and anything else is unknown")
struct DeliveryStatusTests {
    @Test("each code as sent maps to its documented status", arguments: [
        ("0" as String?, DeliveryStatus.accepted),
        ("1", .rejected),
        ("2", .delivered),
        ("3", .failed),
        ("4", .read),
        (" 2 ", .delivered),
        ("\t4\r\n", .read),
        ("200", .unknown),
        ("5", .unknown),
        ("02", .unknown),
        ("-1", .unknown),
        ("2.0", .unknown),
        ("", .unknown),
        ("x", .unknown),
        ("Delivered", .unknown),
        (nil, .unknown),
    ])
    func maps(code: String?, expected: DeliveryStatus) {
        #expect(DeliveryStatus(code: code) == expected)
    }

    @Test("the legacy CODE 200 is kept raw beside an unknown status, whatever the error code says")
    func legacy200() {
        let report = StatusReport(form: .xml, codeRaw: "200", errorCodeRaw: "0", errorDescription: "No Error")
        #expect(report.status == .unknown)
        #expect(report.codeRaw == "200")
        #expect(report.errorCode == 0)
    }
}
