import TextBytes

extension StatusReport {
    /// The parameters a GET status report is read from, as lowercase names. Legacy lowercase set (almende
    /// dialog's CMSmsServlet): reference, sent, received, to, statuscode, errorcode, errordescription.
    /// Uppercase set (CM's Salesforce plugin): REFERENCE, STATUS (the code). Also accepted: operator,
    /// channel, customgrouping (alias customgrouping1), customgrouping2, customgrouping3, and seed 001's
    /// "Send" and "Status Description" as send and statusdescription (`sent` is the legacy parameter, kept apart).
    static let queryParameterNames: Set<String> = [
        "reference", "sent", "received", "to", "statuscode", "status", "errorcode", "errordescription",
        "operator", "channel", "customgrouping", "customgrouping1", "customgrouping2", "customgrouping3",
        "send", "statusdescription",
    ]

    /// Decodes the GET form of a status report from the URL's query component (the text after `?`,
    /// without the `?`). Always exactly one report. Pure: no I/O.
    ///
    /// - Pieces are split on `&` (empty pieces ignored), then at the first `=` into name and value (a piece
    ///   without `=` has the value ""). Names and values are percent-decoded with `+` as a space; a bad
    ///   escape or bytes that are not UTF-8 once decoded are `.invalidValue` (field "query" for a name).
    ///   Values of parameters not read here are not decoded.
    /// - Names match ignoring ASCII letter case, so both the lowercase and the uppercase sets are read.
    ///   A parameter read here given twice (in any case) is `.repeatedParameter(<lowercase name>)`;
    ///   unknown parameters are ignored (the raw query is kept by the caller).
    /// - The code is `statuscode` or `STATUS`; an empty value counts as not given. When both are given they
    ///   must agree (ignoring surrounding blanks), else `.invalidValue`. No code is `.missingField("statuscode")`.
    public static func reports(query: String) throws(PayloadError) -> [StatusReport] {
        var values: [String: String] = [:]
        let bytes = Array(query.utf8)
        for piece in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = piece.firstIndex(of: UInt8(ascii: "="))
            let name = try percentDecoded(piece[..<(equals ?? piece.endIndex)], field: "query").asciiLowercased
            guard queryParameterNames.contains(name) else { continue }
            guard values[name] == nil else { throw PayloadError(.statusReport, .repeatedParameter(name)) }
            let value = equals.map { piece[piece.index(after: $0)...] } ?? []
            values[name] = try percentDecoded(value, field: name)
        }

        let code = try agreeing(nonEmpty(values["statuscode"]), nonEmpty(values["status"]),
                                names: ("statuscode", "status"), at: "statuscode")
        guard let code else { throw PayloadError(.statusReport, .missingField("statuscode")) }
        let grouping1 = try agreeing(values["customgrouping"], values["customgrouping1"],
                                     names: ("customgrouping", "customgrouping1"), at: "customgrouping")

        return [StatusReport(
            form: .query, reference: values["reference"], recipient: values["to"], codeRaw: code,
            errorCodeRaw: values["errorcode"], errorDescription: values["errordescription"],
            operatorCode: values["operator"], channel: values["channel"],
            customGroupings: [grouping1, values["customgrouping2"], values["customgrouping3"]],
            receivedRaw: values["received"], sentRaw: values["sent"], sendRaw: values["send"],
            statusDescription: values["statusdescription"]
        )]
    }

    /// `bytes` with `+` as a space and `%XX` as the byte XX, as UTF-8 text (U+0000 replaced by U+FFFD).
    private static func percentDecoded(_ bytes: ArraySlice<UInt8>, field: String) throws(PayloadError) -> String {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch bytes[index] {
            case UInt8(ascii: "+"):
                decoded.append(ASCII.space)
                index += 1
            case UInt8(ascii: "%"):
                guard bytes.endIndex - index >= 3, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) else {
                    throw PayloadError(.statusReport, .invalidValue(field: field, reason: "invalid percent escape"))
                }
                decoded.append(high << 4 | low)
                index += 3
            case let byte:
                decoded.append(byte)
                index += 1
            }
        }
        guard let text = String(validating: decoded, as: UTF8.self) else {
            throw PayloadError(.statusReport, .invalidValue(field: field, reason: "not UTF-8 once percent-decoded"))
        }
        return text.replacingNUL
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case ASCII.zero...ASCII.nine: byte - ASCII.zero
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
