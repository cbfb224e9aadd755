import XML

extension PayloadError {
    /// A parse failure of a `subject` body: hostile or over-limit input (``XMLError/isRefusal``) becomes
    /// `.refused("DOCTYPE is not allowed at byte 38")`, anything else `.invalidXML(<XMLError description>)`.
    init(_ subject: Subject, xml error: XMLError) {
        if error.isRefusal {
            self.init(subject, .refused("\(error.kind.summary) at byte \(error.offset)"))
        } else {
            self.init(subject, .invalidXML(error.description))
        }
    }
}
