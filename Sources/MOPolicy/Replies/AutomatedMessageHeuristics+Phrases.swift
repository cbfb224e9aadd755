extension AutomatedMessageHeuristics {
    /// The default phrases in English, Dutch, German, French and Spanish. Written here with their accents; matching
    /// folds them (see ``AutomatedMessageHeuristics``).
    public static let defaultPhrases: [Phrase] =
        phrases("en", .autoResponder, [
            "auto-reply", "autoreply", "automatic reply", "automated reply", "auto-response", "autoresponse",
            "automatic response", "automated response", "this is an automated message",
            "this is an automatic message", "this message was sent automatically",
            "this message was generated automatically", "this message was automatically generated",
            "automatically generated message", "i'm driving with", "i'll see your message when i get where i'm going",
        ])
        + phrases("en", .outOfOffice, [
            "out of office", "out-of-office", "i am currently out of the office", "i'm currently out of the office",
        ])
        + phrases("en", .doNotReply, [
            "do not reply", "please don't reply", "no-reply", "noreply", "this number is not monitored",
            "this inbox is not monitored", "this mailbox is not monitored", "replies to this message are not monitored",
            "this number cannot receive replies", "this number does not accept replies",
        ])
        + phrases("en", .oneTimeCode, [
            "your verification code is", "is your verification code", "your one-time password",
            "is your one-time password", "one-time passcode", "your otp is", "is your otp", "your security code is",
            "is your security code", "your login code is", "is your login code", "do not share this code",
            "don't share this code", "never share this code",
        ])
        + phrases("en", .deliveryNotice, [
            "your message could not be delivered", "delivery status notification", "mail delivery failed",
            "message delivery failed",
        ])
        + phrases("nl", .autoResponder, [
            "automatisch antwoord", "automatische reactie", "automatisch gegenereerd",
            "automatisch verzonden", "dit is een automatisch", "dit bericht is automatisch",
        ])
        + phrases("nl", .outOfOffice, [
            "afwezigheidsmelding", "afwezigheidsbericht", "ik ben momenteel afwezig", "ik ben momenteel niet op kantoor",
        ])
        + phrases("nl", .doNotReply, [
            "niet beantwoorden", "reageer niet op dit bericht", "beantwoord dit bericht niet",
            "niet reageren op dit bericht", "antwoorden op dit bericht worden niet gelezen",
        ])
        + phrases("nl", .oneTimeCode, [
            "je verificatiecode is", "uw verificatiecode is", "is je verificatiecode", "is uw verificatiecode",
            "deel deze code niet", "deel deze code met niemand",
        ])
        + phrases("nl", .deliveryNotice, [
            "uw bericht kon niet worden afgeleverd", "je bericht kon niet worden afgeleverd",
        ])
        + phrases("de", .autoResponder, [
            "automatische antwort", "automatisch generiert", "automatisch erstellt", "automatisch versendet",
            "automatisch verschickt", "dies ist eine automatische", "diese nachricht wurde automatisch",
        ])
        + phrases("de", .outOfOffice, [
            "abwesenheitsnotiz", "abwesenheitsmeldung", "bin derzeit nicht im büro", "bin zurzeit nicht im büro",
        ])
        + phrases("de", .doNotReply, [
            "bitte antworten sie nicht", "bitte nicht antworten", "nicht auf diese nachricht antworten",
            "antworten sie nicht auf diese", "antworte nicht auf diese", "diese nachricht kann nicht beantwortet werden",
        ])
        + phrases("de", .oneTimeCode, [
            "ihr bestätigungscode lautet", "dein bestätigungscode lautet", "ist ihr bestätigungscode",
            "ist dein bestätigungscode", "ihr verifizierungscode lautet", "dein verifizierungscode lautet",
            "ihr sicherheitscode lautet", "geben sie diesen code nicht weiter", "gib diesen code nicht weiter",
            "teilen sie diesen code nicht", "teile diesen code nicht",
        ])
        + phrases("de", .deliveryNotice, [
            "ihre nachricht konnte nicht zugestellt werden", "deine nachricht konnte nicht zugestellt werden",
        ])
        + phrases("fr", .autoResponder, [
            "réponse automatique", "ceci est un message automatique", "ce message est automatique",
            "généré automatiquement", "envoyé automatiquement",
        ])
        + phrases("fr", .outOfOffice, [
            "absent du bureau", "absente du bureau", "je suis actuellement absent",
        ])
        + phrases("fr", .doNotReply, [
            "merci de ne pas répondre", "veuillez ne pas répondre", "ne pas répondre à ce message",
            "ne répondez pas à ce message",
        ])
        + phrases("fr", .oneTimeCode, [
            "votre code de vérification est", "est votre code de vérification", "votre code de confirmation est",
            "ne partagez pas ce code", "ne communiquez pas ce code", "ne partagez jamais ce code",
        ])
        + phrases("fr", .deliveryNotice, [
            "votre message n'a pas pu être remis", "votre message n'a pas pu être distribué",
        ])
        + phrases("es", .autoResponder, [
            "respuesta automática", "este es un mensaje automático", "este mensaje es automático",
            "generado automáticamente", "enviado automáticamente",
        ])
        + phrases("es", .outOfOffice, [
            "fuera de la oficina", "fuera de oficina",
        ])
        + phrases("es", .doNotReply, [
            "no responda a este mensaje", "no respondas a este mensaje", "por favor no responda",
            "por favor, no responda", "no conteste a este mensaje", "no responder a este mensaje",
        ])
        + phrases("es", .oneTimeCode, [
            "tu código de verificación es", "su código de verificación es", "es tu código de verificación",
            "es su código de verificación", "no compartas este código", "no comparta este código",
        ])
        + phrases("es", .deliveryNotice, [
            "su mensaje no pudo ser entregado", "tu mensaje no pudo ser entregado", "no se pudo entregar su mensaje",
            "no se pudo entregar tu mensaje",
        ])

    private static func phrases(_ language: String, _ kind: Kind, _ texts: [String]) -> [Phrase] {
        texts.map { Phrase($0, language: language, kind: kind) }
    }
}
