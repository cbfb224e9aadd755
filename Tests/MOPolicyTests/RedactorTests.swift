import Testing
@testable import MOPolicy

@Suite("Redactor")
struct RedactorTests {
    let redactor = Redactor(pii: false)

    @Test("phone numbers keep the prefix, two characters and the last three", arguments: [
        ("+316012345678", "+31*******678"),
        ("00316012345678", "0031*******678"),
        ("316012345678", "31*******678"),
        ("0612345678", "06*****678"),
        ("1234567", "12**567"),
        ("+123456", "+12*456"),
        ("0012345", "001*345"),
        ("00123456", "0012*456"),
        ("+4915112345678", "+49********678"),
    ])
    func phone(value: String, redacted: String) {
        #expect(redactor.phone(value) == redacted)
    }

    @Test("short codes of up to six characters are kept", arguments: ["", "1", "3010", "12345", "123456", "+12345"])
    func shortCodes(value: String) {
        #expect(redactor.phone(value) == value)
    }

    @Test("with PII logging on, phone numbers are unchanged")
    func piiOn() {
        #expect(Redactor(pii: true).phone("+316012345678") == "+316012345678")
        #expect(Redactor(pii: true).pii)
        #expect(!redactor.pii)
    }

    @Test("the length is kept and never more than three original characters follow the prefix in a row")
    func neverMoreThanThreeInARow() {
        let digits = Array("9876543210987654321098765")
        for prefix in ["", "+", "00"] {
            for length in 7...25 {
                let value = prefix + String(digits.prefix(length - prefix.count))
                let redacted = redactor.phone(value)
                #expect(redacted.count == value.count, "\(value)")
                #expect(redacted.hasPrefix(prefix))
                let afterPrefix = redacted.dropFirst(prefix.count)
                let longestRun = afterPrefix.split(separator: "*").map(\.count).max() ?? 0
                #expect(longestRun <= 3, "\(value) → \(redacted)")
                #expect(afterPrefix.contains("*"))
                #expect(redacted.suffix(3) == value.suffix(3))
            }
        }
    }

    @Test("the canary number never appears in redacted output")
    func canary() {
        #expect(!redactor.phone("+31612345678").contains("612345678"))
        #expect(!redactor.phone("0031612345678").contains("12345"))
    }

    @Test("secrets are always replaced by their length", arguments: [
        ("s3cr3t", "<redacted 6 chars>"), ("", "<redacted 0 chars>"),
        ("0123456789abcdef0123456789abcdef", "<redacted 32 chars>"),
    ])
    func secrets(value: String, redacted: String) {
        #expect(Redactor(pii: false).secret(value) == redacted)
        #expect(Redactor(pii: true).secret(value) == redacted)
    }
}
