import MOPolicy

// Auto-replies: the operator writes the template, the customer writes everything put into it.

extension FuzzTarget {
    /// Line 1: a template; line 2: the sender's name; the rest: the message text. A template that parses renders
    /// within its character limit, and every value put in is one cleaned line (`ReplyTemplate.clean`): no control,
    /// bidirectional-formatting or other whitespace characters, no leading, trailing or double spaces, at most the
    /// limit. The keyword is uppercase and trimmed; opt-out, automated-message and route-address helpers are total.
    static let replyTemplate = FuzzTarget("reply-template", "ReplyTemplate parse/render, clean, Keyword, opt-out") {
        input throws(FuzzFailure) in
        let name = "reply-template"
        let parts = lines(input, limit: 3)
        let source = parts[0]
        let sender = parts.count > 1 ? parts[1] : nil
        let message = parts.count > 2 ? parts[2] : ""

        for limit in [1, 5, 160] {
            let cleaned = ReplyTemplate.clean(message, limit: limit)
            try checkCleaned(cleaned, limit: limit, name)
            if let sender { try checkCleaned(ReplyTemplate.clean(sender, limit: limit), limit: limit, name) }
        }

        if let template = try? ReplyTemplate(source, nameFallback: "there",
                                             limits: .init(maxValueCharacters: 20, maxCharacters: 200)) {
            let reply = template.render(text: message, name: sender, channel: "WhatsApp")
            try require(reply.count <= 200, name, "reply of \(reply.count) characters over the limit 200")
            if !template.placeholders.contains(.text) && !template.placeholders.contains(.name)
                && !template.placeholders.contains(.keyword) {
                let alone = template.render(text: "", name: nil, channel: "WhatsApp")
                try require(reply == alone, name, "the message changed a reply without message placeholders")
            }
        }

        if let keyword = Keyword.first(in: message) {
            try require(!keyword.isEmpty && keyword == keyword.uppercased(), name, "keyword \(shown(keyword))")
            try require(!keyword.contains(where: \.isWhitespace), name, "keyword with whitespace \(shown(keyword))")
        }
        _ = optOut.classify(message)
        _ = AutomatedMessageHeuristics.standard.looksAutomated(message)
        let address = RouteAddress.normalize(message)
        try require(address.allSatisfy { $0.isLetter || $0.isNumber }, name, "route address keeps a separator")
        try checkRedaction(message, name)
    }

    private static let optOut = try! OptOutKeywords()

    private static func checkCleaned(_ value: String, limit: Int, _ name: String) throws(FuzzFailure) {
        try require(value.count <= limit, name, "cleaned value of \(value.count) characters, limit \(limit)")
        for scalar in value.unicodeScalars {
            let forbidden: Bool = switch scalar.value {
            case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: true
            default: scalar != " " && scalar.properties.isWhitespace
            }
            try require(!forbidden, name, "cleaned value holds U+\(String(scalar.value, radix: 16))")
        }
        try require(!value.hasPrefix(" ") && !value.hasSuffix(" ") && !value.contains("  "), name,
                    "cleaned value with outer or double spaces: \(shown(value))")
    }
}
