/// The strict, minimal XML 1.0 parser for untrusted webhook bodies.
///
/// It cannot fetch or expand anything by construction: it has no DTD support at all (any `<!DOCTYPE` is
/// refused), knows only the five predefined entities and character references, and performs no I/O.
/// Stateless: call ``parse(_:limits:)`` from any thread or task.
public enum XMLTreeParser {
    /// Parses a whole document over raw bytes into its root element, in one linear pass.
    ///
    /// Accepts: an optional UTF-8 byte order mark; an optional XML declaration (`version` 1.x, then optional
    /// `encoding` UTF-8, US-ASCII or ASCII in any case, then optional `standalone`); comments and processing
    /// instructions (skipped); CDATA sections; single- and double-quoted attributes; the predefined entities
    /// lt, gt, amp, apos, quot; decimal and hexadecimal character references.
    ///
    /// Refuses (``XMLError/isRefusal``): any `<!DOCTYPE` in markup, keyword in any case, before, inside or after
    /// the root (the same characters inside a comment, CDATA section or processing instruction are just text);
    /// other encodings, declared or signalled by a UTF-16 or
    /// UTF-32 byte order mark or byte pattern (ISO-8859-1 is refused, not transcoded); crossing `limits`.
    ///
    /// Rejects as malformed: invalid UTF-8; characters XML 1.0 does not allow, raw or referenced; undefined
    /// entities; mismatched or unclosed tags; duplicate attributes; `<` in attribute values; `--` in comments;
    /// `]]>` in text; anything but comments, processing instructions and whitespace after the root element.
    /// Errors are reported at the first offending byte in document order (a non-ASCII byte in a document
    /// declared US-ASCII is reported as soon as the declaration has been read).
    public static func parse(_ bytes: [UInt8], limits: XMLLimits = XMLLimits()) throws(XMLError) -> XMLTreeElement {
        var scanner = XMLScanner(bytes: bytes, limits: limits)
        return try scanner.parseDocument()
    }
}
