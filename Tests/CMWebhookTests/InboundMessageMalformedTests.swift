import CMWebhook
import JSON
import MOTestFixtures
import Testing

/// A malformed fixture, the error it must raise and that error's description.
struct BadFixture: Sendable, CustomTestStringConvertible {
    let name: String
    let error: PayloadError
    let description: String

    var testDescription: String { name }
}

@Suite("InboundMessage rejects each malformed fixture with the exact error")
struct InboundMessageMalformedTests {
    static let fixtures: [BadFixture] = [
        BadFixture(
            name: "malformed-not-json.txt",
            error: .invalidJSON(JSONError(kind: .unexpectedCharacter, offset: 0)),
            description: "MO payload is not valid JSON: invalid JSON at byte 0: unexpected character"
        ),
        BadFixture(
            name: "malformed-no-sender.json",
            error: .missingField("from.number"),
            description: "MO payload has no from.number"
        ),
        BadFixture(
            name: "malformed-text-number.json",
            error: .wrongType(field: "message.text", expected: "string", found: "number"),
            description: "MO payload field message.text is a number, expected string"
        ),
        BadFixture(
            name: "malformed-array-root.json",
            error: .notAnObject(found: "array"),
            description: "MO payload is not a JSON object (found array)"
        ),
        BadFixture(
            name: "malformed-duplicate-key.json",
            error: .invalidJSON(JSONError(kind: .duplicateKey("from"), offset: 329)),
            description: #"MO payload is not valid JSON: invalid JSON at byte 329: duplicate key "from""#
        ),
    ]

    @Test("a malformed fixture throws its exact PayloadError", arguments: fixtures)
    func throwsExactError(_ bad: BadFixture) {
        #expect(throws: bad.error) { try InboundMessage(json: fixture(bad.name)) }
    }

    @Test("the error's description is the documented single line", arguments: fixtures)
    func describes(_ bad: BadFixture) {
        #expect(bad.error.description == bad.description)
        #expect(!bad.description.contains("\n"))
    }

    @Test("the duplicate key offset points at the second \"from\" in the file")
    func duplicateOffsetIsTheSecondKey() {
        let body = fixture("malformed-duplicate-key.json")
        #expect(Array(body[329..<335]) == Array(#""from""#.utf8))
        #expect(body[..<329].firstRange(of: Array(#""from""#.utf8)) != nil)
    }

    @Test("an empty body is invalid JSON at byte 0")
    func emptyBody() {
        #expect(throws: PayloadError.invalidJSON(JSONError(kind: .empty, offset: 0))) {
            try InboundMessage(json: [])
        }
    }
}
