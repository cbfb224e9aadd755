import Testing
@testable import MOPolicy

@Suite("RouteAddress.normalize keeps letters and digits and drops a leading 00")
struct RouteAddressTests {
    @Test("the spellings of one number normalize alike", arguments: [
        "+31 6-1234", "0031 61234", "31612 34", "+3161234", "003161234", "(+31) 61 234", "+31.6.1234", " +31 61234 ",
        "+31\t6\u{A0}1234", "+31/6/1234", "+ 31 6 12 34", "00 31 6 1234",
    ])
    func sameNumber(text: String) {
        #expect(RouteAddress.normalize(text) == "3161234")
    }

    @Test("normalization examples", arguments: [
        ("+31612345678", "31612345678"), ("0031612345678", "31612345678"), ("0612345678", "0612345678"),
        ("31612345678", "31612345678"), ("+0031612345678", "31612345678"), ("000031", "0031"), ("00", ""),
        ("+", ""), ("", ""), ("  ", ""), ("---", ""), ("1008", "1008"), ("0800-1234", "08001234"),
        ("urn:mbid:AQAAY3Vz", "urnmbidAQAAY3Vz"), ("17841400000000000", "17841400000000000"),
        ("AbC-123", "AbC123"), ("00abc", "abc"), ("+٣١٦", "٣١٦"), ("tel:+316", "tel316"),
    ])
    func examples(text: String, normalized: String) {
        #expect(RouteAddress.normalize(text) == normalized)
    }

    @Test("letters keep their case, because channel ids are case-sensitive")
    func caseKept() {
        #expect(RouteAddress.normalize("urn:mbid:AbCd") != RouteAddress.normalize("urn:mbid:abcd"))
    }

    @Test("the ASCII fast path keeps exactly the characters the Unicode rule keeps")
    func asciiAgreesWithUnicode() {
        // Every ASCII character alone, between digits, and after "00"; then the same with one non-ASCII character
        // appended, which takes the Unicode path.
        for scalar in (0..<128).compactMap(Unicode.Scalar.init) {
            let character = Character(scalar)
            for text in ["\(character)", "1\(character)2", "00\(character)9"] {
                let expected = String(text.filter { $0.isLetter || $0.isNumber }).droppingLeading00
                #expect(RouteAddress.normalize(text) == expected, "\(scalar.value)")
                #expect(RouteAddress.normalize(text + "é") == expected.appendingAccent, "\(scalar.value)")
            }
        }
    }
}

private extension String {
    var droppingLeading00: String { hasPrefix("00") ? String(dropFirst(2)) : self }
    var appendingAccent: String { self + "é" }
}
