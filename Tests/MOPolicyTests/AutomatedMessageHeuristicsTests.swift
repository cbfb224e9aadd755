import Testing
@testable import MOPolicy

/// The phrase `text` matches with the default phrases.
private func match(_ text: String) -> AutomatedMessageHeuristics.Phrase? {
    AutomatedMessageHeuristics.standard.match(text)
}

private func looksAutomated(_ text: String) -> Bool {
    AutomatedMessageHeuristics.standard.looksAutomated(text)
}

@Suite("AutomatedMessageHeuristics spots machine-written messages, conservatively")
struct AutomatedMessageHeuristicsTests {
    @Test("automatic messages in five languages are recognised", arguments: [
        ("Automatic reply: I am out of the office until Monday.", AutomatedMessageHeuristics.Kind.autoResponder, "en"),
        ("This is an automated message, please do not reply.", .autoResponder, "en"),
        ("I’m driving with Driving Focus turned on. I’ll see your message when I get where I’m going.", .autoResponder, "en"),
        ("Out of office: back on the 12th", .outOfOffice, "en"),
        ("Please do not reply to this message.", .doNotReply, "en"),
        ("Sent from a no-reply number", .doNotReply, "en"),
        ("123456 is your verification code. Do not share it.", .oneTimeCode, "en"),
        ("Your verification code is 481516", .oneTimeCode, "en"),
        ("Your WhatsApp code: 123-456. Don't share this code with others", .oneTimeCode, "en"),
        ("Use 4242 to log in. Don't share this code with anyone.", .oneTimeCode, "en"),
        ("Your message could not be delivered to 0031612345678", .deliveryNotice, "en"),
        ("Dit is een automatisch gegenereerd bericht.", .autoResponder, "nl"),
        ("Automatisch antwoord: ik ben er vrijdag weer", .autoResponder, "nl"),
        ("Afwezigheidsmelding", .outOfOffice, "nl"),
        ("Reageer niet op dit bericht", .doNotReply, "nl"),
        ("Je verificatiecode is 1234. Deel deze code niet.", .oneTimeCode, "nl"),
        ("Automatische Antwort: Ich bin bis 3. Mai nicht erreichbar", .autoResponder, "de"),
        ("ABWESENHEITSNOTIZ", .outOfOffice, "de"),
        ("Bitte antworten Sie nicht auf diese Nachricht", .doNotReply, "de"),
        ("Ihr Bestätigungscode lautet 5555", .oneTimeCode, "de"),
        ("Réponse automatique : je suis absent", .autoResponder, "fr"),
        ("Merci de ne pas répondre à ce SMS", .doNotReply, "fr"),
        ("Votre code de vérification est 7777", .oneTimeCode, "fr"),
        ("Respuesta automática: estoy fuera de la oficina", .autoResponder, "es"),
        ("Por favor, no responda a este mensaje", .doNotReply, "es"),
        ("Tu código de verificación es 9999", .oneTimeCode, "es"),
    ])
    func positives(text: String, kind: AutomatedMessageHeuristics.Kind, language: String) throws {
        let phrase = try #require(match(text))
        #expect(phrase.kind == kind)
        #expect(phrase.language == language)
        #expect(looksAutomated(text))
    }

    @Test("ordinary customer messages are not automated", arguments: [
        "Hi, what are your opening hours?", "STOP", "Where is my order #12345?", "My parcel was not delivered",
        "I didn't receive my verification code", "Can you reply please?", "Why don't you reply?", "Do you reply on Sundays?",
        "I'm out of coffee, do you deliver?", "Is this an automated service?", "Thanks! 👍", "",
        "Hoe laat gaan jullie open?", "Mijn pakket is niet afgeleverd", "Ik heb geen verificatiecode ontvangen",
        "Wann haben Sie geöffnet?", "Ich war nicht im Büro, als das Paket kam", "Mein Paket ist unzustellbar?",
        "Quand êtes-vous ouverts ?", "Vous ne répondez pas à mes messages", "J'ai reçu un message automatique bizarre",
        "¿A qué hora abren?", "No recibí mi código de verificación", "Recibí un mensaje automático",
        "Please do reply soon", "out of stock?", "officially out of patience",
    ])
    func negatives(text: String) {
        #expect(match(text) == nil, "\(text)")
    }

    @Test("case, diacritics, apostrophes and whitespace do not matter", arguments: [
        "REPONSE AUTOMATIQUE", "réponse automatique", "RÉPONSE   AUTOMATIQUE", "réponse\nautomatique",
        "Please DON’T REPLY", "please don't reply", "please don`t reply", "Abwesenheitsnotiz", "abwesenheitsnotiz",
        "DO NOT\tREPLY", "ihr bestatigungscode lautet 1",
    ])
    func normalisation(text: String) {
        #expect(looksAutomated(text), "\(text)")
    }

    @Test("every default phrase matches itself, upper-cased and inside a sentence")
    func phrasesMatchThemselves() {
        for phrase in AutomatedMessageHeuristics.defaultPhrases {
            #expect(match(phrase.text) != nil, "\(phrase.text)")
            #expect(looksAutomated("Hello. " + phrase.text.uppercased() + " Bye."), "\(phrase.text)")
        }
    }

    @Test("every language has auto-responder, out-of-office, do-not-reply and one-time-code phrases")
    func coverage() {
        for language in ["en", "nl", "de", "fr", "es"] {
            let kinds = Set(AutomatedMessageHeuristics.defaultPhrases.filter { $0.language == language }.map(\.kind))
            #expect(kinds.isSuperset(of: [.autoResponder, .doNotReply, .oneTimeCode, .outOfOffice]), "\(language)")
        }
    }

    @Test("only the first 4,096 characters are examined")
    func examinedPrefix() {
        let padding = String(repeating: "a", count: AutomatedMessageHeuristics.examinedCharacters)
        #expect(!looksAutomated(padding + " do not reply"))
        #expect(looksAutomated(String(padding.dropFirst(20)) + " do not reply"))
    }

    @Test("custom phrase lists replace the defaults; empty phrases are refused")
    func customPhrases() throws {
        let custom = try AutomatedMessageHeuristics(phrases: [.init("Bot-Antwort", language: "de", kind: .autoResponder)])
        #expect(custom.looksAutomated("bot-antwort: hallo"))
        #expect(!custom.looksAutomated("do not reply"))
        #expect(throws: AutomatedMessageHeuristicsError.emptyPhrase(index: 1)) {
            try AutomatedMessageHeuristics(phrases: [.init("x", language: "en", kind: .doNotReply),
                                                     .init(" \n ", language: "en", kind: .doNotReply)])
        }
        #expect(AutomatedMessageHeuristicsError.emptyPhrase(index: 1).description
            == "automated_phrases[1] is empty, which would match every message")
    }
}
