extension ReplyTemplate {
    /// The reply for a message: every placeholder replaced by its cleaned value (``clean(_:limit:)``), the whole
    /// cut to ``Limits/maxCharacters`` with a final "…". `name` is the sender's profile name (`nil` or blank:
    /// ``nameFallback``); `{keyword}` is ``Keyword/first(in:)`` of `text`.
    ///
    /// The result can be blank (a template of only `{name}` and no name): the caller should not send it.
    public func render(text: String, name: String?, channel: String) -> String {
        var values: [Placeholder: String] = [:]
        func value(_ placeholder: Placeholder) -> String {
            if let known = values[placeholder] { return known }
            let limit = limits.maxValueCharacters
            let computed: String
            switch placeholder {
            case .name:
                let cleaned = name.map { Self.clean($0, limit: limit) } ?? ""
                computed = cleaned.isEmpty ? Self.clean(nameFallback, limit: limit) : cleaned
            case .keyword:
                computed = Keyword.first(in: text).map { Self.clean($0, limit: limit) } ?? ""
            case .channel:
                computed = Self.clean(channel, limit: limit)
            case .text:
                computed = Self.clean(text, limit: limit)
            }
            values[placeholder] = computed
            return computed
        }

        var result = ""
        for piece in pieces {
            switch piece {
            case .literal(let literal): result += literal
            case .placeholder(let placeholder): result += value(placeholder)
            }
        }
        return Self.truncated(result, to: limits.maxCharacters)
    }

    /// A value made safe to put inside a reply:
    /// 1. Control characters (C0, DEL, C1) are removed, except that whitespace among them (tab, LF, VT, FF, CR,
    ///    NEL) becomes a space; bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A–U+202E,
    ///    U+2066–U+2069) and U+FEFF are removed, so a value cannot reorder the text around it. Other format
    ///    characters stay (U+200D joins emoji; U+200C is needed in Persian and Indic scripts).
    /// 2. Every run of whitespace (line and paragraph separators included) becomes one space, and the ends are
    ///    trimmed: an inserted value is always one line. A customer's text cannot add lines that look like the
    ///    business's own ("\n\nReply PAY to confirm"), and a name cannot push the template's text out of view. Line
    ///    breaks belong to the template, which the operator wrote.
    /// 3. More than `limit` characters are cut to `limit - 1` and "…" (trailing blanks before it dropped).
    public static func clean(_ value: String, limit: Int) -> String {
        var cleaned = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in value.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !cleaned.isEmpty
                continue
            }
            if isRemoved(scalar) { continue }
            if pendingSpace {
                cleaned.append(" ")
                pendingSpace = false
            }
            cleaned.append(scalar)
        }
        return truncated(String(cleaned), to: limit)
    }

    /// Controls that are not whitespace, bidirectional formatting characters, and the byte order mark.
    private static func isRemoved(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true    // whitespace among them was handled before
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: true
        default: false
        }
    }

    /// `text` when it has at most `limit` characters, else its first `limit - 1` (trailing whitespace dropped) and
    /// "…".
    static func truncated(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        var kept = text.prefix(max(0, limit - 1))
        while let last = kept.last, last.isWhitespace { kept = kept.dropLast() }
        return kept + "…"
    }
}
