import TextBytes

extension JSONScanner {
    /// A number literal starting at `index` (a minus sign or a digit), kept as written.
    ///
    /// Grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. A violation is reported at the
    /// byte where a digit (or the end of the number) was required.
    mutating func parseNumber() throws(JSONError) -> JSONValue {
        let start = index
        if bytes[index] == ASCII.minus { index += 1 }
        guard index < bytes.count else { throw JSONError(kind: .invalidNumber, offset: index) }
        if bytes[index] == ASCII.zero {
            index += 1
            if index < bytes.count, ASCII.isDigit(bytes[index]) {
                throw JSONError(kind: .invalidNumber, offset: index)
            }
        } else {
            try skipDigits()
        }
        if index < bytes.count, bytes[index] == ASCII.dot {
            index += 1
            try skipDigits()
        }
        if index < bytes.count, bytes[index] == ASCII.lowerE || bytes[index] == ASCII.upperE {
            index += 1
            if index < bytes.count, bytes[index] == ASCII.plus || bytes[index] == ASCII.minus {
                index += 1
            }
            try skipDigits()
        }
        return .number(String(decoding: bytes[start..<index], as: UTF8.self), span: start..<index)
    }

    /// One or more digits.
    private mutating func skipDigits() throws(JSONError) {
        guard index < bytes.count, ASCII.isDigit(bytes[index]) else {
            throw JSONError(kind: .invalidNumber, offset: index)
        }
        repeat { index += 1 } while index < bytes.count && ASCII.isDigit(bytes[index])
    }
}
