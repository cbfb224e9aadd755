import TextBytes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// CM's timestamps: "yyyy-MM-ddTHH:mm:ss" in UTC; also accept fractional seconds (1–9 digits), a trailing "Z", and "+00:00".
/// Pure integer arithmetic (days from civil date), no DateFormatter. Validates ranges (month 1–12, day per month incl. leap years, hour 0–23, minute/second 0–59).
///
/// Stateless; call from any thread or task.
public enum CMTimestamp {
    /// The instant `text` names, or `nil` unless it is exactly `yyyy-MM-ddTHH:mm:ss[.f{1,9}][Z|+00:00]`
    /// with an upper-case `T` and `Z`, a four-digit year (0000–9999, proleptic Gregorian) and valid fields.
    /// Other offsets, a space instead of `T`, and leap second 60 are rejected.
    public static func parseUTC(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19,
              bytes[4] == ASCII.minus, bytes[7] == ASCII.minus, bytes[10] == ASCII.upperT,
              bytes[13] == ASCII.colon, bytes[16] == ASCII.colon,
              let year = digits(bytes, 0..<4), let month = digits(bytes, 5..<7), let day = digits(bytes, 8..<10),
              let hour = digits(bytes, 11..<13), let minute = digits(bytes, 14..<16), let second = digits(bytes, 17..<19)
        else { return nil }

        var index = 19
        var nanoseconds = 0
        if index < bytes.count, bytes[index] == ASCII.dot {
            let fractionStart = index + 1
            index = fractionStart
            while index < bytes.count, ASCII.isDigit(bytes[index]) { index += 1 }
            let fractionDigits = index - fractionStart
            guard (1...9).contains(fractionDigits), let fraction = digits(bytes, fractionStart..<index) else { return nil }
            nanoseconds = fraction * powerOfTen(9 - fractionDigits)
        }
        let zone = bytes[index...]
        guard zone.isEmpty || zone.elementsEqual("Z".utf8) || zone.elementsEqual("+00:00".utf8) else { return nil }

        guard (1...12).contains(month), (1...daysInMonth(month, year: year)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { return nil }

        let seconds = daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second
        return Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1_000_000_000)
    }

    /// "yyyy-MM-ddTHH:mm:ss.SSSZ" for a Date (for tests and logs), rounded to the nearest millisecond.
    public static func format(_ date: Date) -> String {
        let limit = 253_402_300_800_000.0 * 1_000  // far beyond year 9999; keeps the Int conversion safe
        let milliseconds = (date.timeIntervalSince1970 * 1_000).rounded()
        let clamped = milliseconds.isNaN ? 0 : Int(min(max(milliseconds, -limit), limit))
        let (days, millisecondOfDay) = floorDivision(clamped, 86_400_000)
        let (year, month, day) = civilFromDays(days)
        let second = millisecondOfDay / 1_000
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))T"
            + "\(padded(second / 3_600, 2)):\(padded(second / 60 % 60, 2)):\(padded(second % 60, 2))"
            + ".\(padded(millisecondOfDay % 1_000, 3))Z"
    }

    /// The decimal value of the ASCII digits in `range`, or `nil` if any byte is not a digit.
    private static func digits(_ bytes: [UInt8], _ range: Range<Int>) -> Int? {
        var value = 0
        for byte in bytes[range] {
            guard ASCII.isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - ASCII.zero)
        }
        return value
    }

    private static func powerOfTen(_ exponent: Int) -> Int {
        (0..<exponent).reduce(1) { value, _ in value * 10 }
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let padding = String(repeating: "0", count: max(0, width - digits.count))
        return (value < 0 ? "-" : "") + padding + digits
    }
}
