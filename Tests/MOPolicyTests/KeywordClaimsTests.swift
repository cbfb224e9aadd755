import Testing
@testable import MOPolicy

/// Issue 16 point 11: a message to a shared number starts with the keyword we claimed there (seed 004); the claim
/// is stripped, in one pure function, before routes' keywords, reply rules and STOP/START are compared.
@Suite("KeywordClaims strips the keyword claimed on a shared number")
struct KeywordClaimsTests {
    static let join: Set<String> = ["JOIN"]

    @Test("a leading claimed keyword goes with the whitespace after it; the rest stays exactly as written", arguments: [
        ("JOIN STOP", "STOP"),
        ("join stop", "stop"),
        ("Join Stop please", "Stop please"),
        ("JOIN", ""),
        ("JOIN ", ""),
        ("  JOIN   STOP  ", "STOP  "),
        ("JOIN\tSTOP", "STOP"),
        ("JOIN\nSTOP", "STOP"),
        ("JOIN\r\nSTOP", "STOP"),
        ("JOIN\u{00A0}STOP", "STOP"),
        ("JOIN\u{3000}STOP", "STOP"),
        ("JOIN, stop", "stop"),
        ("JOIN: HELP me", "HELP me"),
        ("\"JOIN\" STOP", "STOP"),
        ("#join START", "START"),
        ("👍 JOIN STOP", "STOP"),
        ("-- JOIN STOP", "STOP"),
        ("JOIN JOIN STOP", "JOIN STOP"),
        ("JOIN  two  spaces  inside", "two  spaces  inside"),
        ("JOIN 👍", "👍"),
    ])
    func stripped(text: String, expected: String) {
        #expect(KeywordClaims.strip(text, claimed: Self.join) == expected)
    }

    @Test("text that does not start with a claimed word is returned unchanged", arguments: [
        "STOP", "STOP JOIN", "JOINSTOP", "JOIN-STOP", "JOINED STOP", "REJOIN STOP", "JO IN STOP", "", "   ", "👍",
        "... !!!", "hello JOIN",
    ])
    func unchanged(text: String) {
        #expect(KeywordClaims.strip(text, claimed: Self.join) == text)
    }

    @Test("no claims strips nothing")
    func noClaims() {
        #expect(KeywordClaims.strip("JOIN STOP", claimed: []) == "JOIN STOP")
        #expect(KeywordClaims().stripped("JOIN STOP", to: "+3197010203040") == "JOIN STOP")
        #expect(KeywordClaims().isEmpty)
    }

    @Test("any of several claims on one number is stripped; letter case and Unicode uppercase compare alike",
          arguments: [
        ("PROMO stop", "stop"), ("join STOP", "STOP"), ("Straße info", "info"), ("STRASSE info", "info"),
        ("café start", "start"), ("CAFÉ start", "start"),
    ])
    func severalClaims(text: String, expected: String) throws {
        let claims = try KeywordClaims([.init(number: "+31 97 010203040", keywords: ["join", "PROMO", "straße", "Café"])])
        #expect(claims.stripped(text, to: "0031970102030 40") == expected)
    }

    @Test("the claim applies to its own number only, compared as routes compare numbers", arguments: [
        ("+3197010203040", "STOP"), ("003197010203040", "STOP"), ("3197010203040", "STOP"),
        ("+31 970 1020 3040", "STOP"), ("+3197010203041", "JOIN STOP"), ("1008", "JOIN STOP"),
    ])
    func perNumber(to: String, expected: String) throws {
        let claims = try KeywordClaims([.init(number: "+3197010203040", keywords: ["JOIN"])])
        #expect(claims.stripped("JOIN STOP", to: to) == expected)
    }

    @Test("a message without a to number is compared as received")
    func noToNumber() throws {
        let claims = try KeywordClaims([.init(number: "+3197010203040", keywords: ["JOIN"])])
        #expect(claims.stripped("JOIN STOP", to: nil) == "JOIN STOP")
    }

    @Test("a number without claims is allowed and strips nothing")
    func numberWithoutClaims() throws {
        let claims = try KeywordClaims([.init(number: "+3197010203040", keywords: [])])
        #expect(claims.stripped("JOIN STOP", to: "+3197010203040") == "JOIN STOP")
    }

    @Test("bad entries are refused naming the key", arguments: [
        ([KeywordClaims.Number(number: "+", keywords: ["JOIN"])], "numbers[0].number", "'+' has no letters or digits"),
        ([.init(number: "+3197010203040", keywords: ["JOIN"]), .init(number: "003197010203040", keywords: ["PROMO"])],
         "numbers[1].number", "is the same number as numbers[0].number"),
        ([.init(number: "1008", keywords: ["JOIN", "join"])], "numbers[0].claimed_keywords[1]", "is given twice"),
        ([.init(number: "1008", keywords: ["JOIN NOW"])], "numbers[0].claimed_keywords[0]", "is more than one word"),
        ([.init(number: "1008", keywords: ["OK", "JOIN!"])], "numbers[0].claimed_keywords[1]", "use 'JOIN'"),
        ([.init(number: "1008", keywords: ["👍"])], "numbers[0].claimed_keywords[0]", "has no letters or digits"),
    ])
    func refused(numbers: [KeywordClaims.Number], key: String, fragment: String) {
        do {
            _ = try KeywordClaims(numbers)
            Issue.record("accepted \(numbers)")
        } catch {
            #expect(error.key == key)
            #expect(error.message.contains(fragment), "\(error.message)")
            #expect(error.description.hasPrefix("\(key): "))
        }
    }

    @Test("a route's keywords see the word after the claim; text_pattern sees the text as received")
    func routeTable() throws {
        let claims = try KeywordClaims([.init(number: "+3197010203040", keywords: ["JOIN", "PROMO"])])
        let table = RouteTable([
            try Route(name: "help", kinds: [.mo], keywords: ["HELP"], handlers: ["help"]),
            try Route(name: "promo", kinds: [.mo], textPattern: try RoutePattern("(?i)^promo\\b"), handlers: ["promo"]),
        ], claims: claims)
        func handlers(_ text: String, to: String) -> [String] {
            table.handlers(for: RoutableItem(kind: .mo, channel: "SMS", from: "+31612345678", to: to, text: text))
        }
        #expect(handlers("JOIN HELP", to: "+3197010203040") == ["help"])
        #expect(handlers("PROMO help", to: "003197010203040") == ["help", "promo"])
        #expect(handlers("JOIN HELP", to: "1008").isEmpty)
        #expect(handlers("HELP", to: "+3197010203040") == ["help"])
        #expect(RouteTable(table.routes).handlers(for: RoutableItem(kind: .mo, to: "+3197010203040", text: "JOIN HELP")).isEmpty)
    }
}
