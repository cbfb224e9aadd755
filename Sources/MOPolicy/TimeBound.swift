/// A point in time as an operator types it on the command line (`moctl messages list --since 2h`,
/// `moctl purge --older-than 30d`): an age relative to now, or an ISO 8601 date or date-time.
///
/// A pure value type usable from any thread. Absolute times are only checked for their shape here; the database
/// reads them (a date-time without a zone is UTC there, as moctl sets the session's zone).
public enum TimeBound: Sendable, Equatable {
    /// This many seconds before now.
    case ago(seconds: Int)
    /// "2026-11-01", "2026-11-01T10:00", "2026-11-01T10:00:00Z", "2026-11-01 10:00:00+01:00".
    case at(String)

    /// The units of an age: `s`, `m` (minutes), `h`, `d`, `w`.
    static let units: [Character: Int] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]

    /// Reads `90d`, `12h`, `30m`, `2w`, `45s` as an age, anything shaped like an ISO 8601 date (optionally with a
    /// time and zone) as a point in time.
    public init(parsing text: String) throws(TimeBoundError) {
        let text = Self.trimmed(text)
        if let age = Self.age(text) {
            self = .ago(seconds: age)
        } else if Self.isISODateTime(text) {
            self = .at(text)
        } else {
            throw TimeBoundError(text: text)
        }
    }

    /// Only an age (`--older-than`): a date would be easy to confuse with "keep since".
    public static func age(parsing text: String) throws(TimeBoundError) -> Int {
        guard let seconds = age(trimmed(text)) else { throw TimeBoundError(text: text, ageOnly: true) }
        return seconds
    }

    private static func trimmed(_ text: String) -> String {
        String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    private static func age(_ text: String) -> Int? {
        guard let unit = text.last, let factor = units[unit] else { return nil }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy(\.isASCIIDigit), let value = Int(digits) else { return nil }
        return value * factor
    }

    /// `YYYY-MM-DD`, then optionally `T` or a space, `HH:MM`, optionally `:SS` and fraction, optionally `Z` or
    /// `±HH:MM`.
    static func isISODateTime(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Bool {
            range.upperBound <= bytes.count && range.allSatisfy { bytes[$0] >= 0x30 && bytes[$0] <= 0x39 }
        }
        func byte(_ index: Int, _ expected: Character) -> Bool {
            index < bytes.count && bytes[index] == expected.asciiValue
        }
        guard digits(0..<4), byte(4, "-"), digits(5..<7), byte(7, "-"), digits(8..<10) else { return false }
        guard let month = Int(text.dropFirst(5).prefix(2)), (1...12).contains(month),
              let day = Int(text.dropFirst(8).prefix(2)), (1...31).contains(day) else { return false }
        if bytes.count == 10 { return true }
        guard byte(10, "T") || byte(10, " "), digits(11..<13), byte(13, ":"), digits(14..<16) else { return false }
        guard let hour = Int(text.dropFirst(11).prefix(2)), hour < 24,
              let minute = Int(text.dropFirst(14).prefix(2)), minute < 60 else { return false }
        var index = 16
        if byte(index, ":") {
            guard digits(17..<19), let second = Int(text.dropFirst(17).prefix(2)), second < 61 else { return false }
            index = 19
            if byte(index, ".") {
                index += 1
                let start = index
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
                guard index > start else { return false }
            }
        }
        if index == bytes.count { return true }
        if byte(index, "Z") { return index + 1 == bytes.count }
        guard byte(index, "+") || byte(index, "-"), digits((index + 1)..<(index + 3)) else { return false }
        if index + 3 == bytes.count { return true }
        return byte(index + 3, ":") && digits((index + 4)..<(index + 6)) && index + 6 == bytes.count
    }
}

/// A time the command line could not read; says what would have been accepted.
public struct TimeBoundError: Error, Sendable, Equatable, CustomStringConvertible {
    public let text: String
    public var ageOnly = false

    public var description: String {
        ageOnly
            ? "'\(text)' is not an age: a number and a unit, e.g. 90d, 12h, 30m, 2w"
            : "'\(text)' is neither an age (90d, 12h, 30m, 2w) nor an ISO 8601 date or time (2026-11-01, 2026-11-01T10:00:00Z)"
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
