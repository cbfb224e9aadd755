import CMWebhook
import Foundation
import Testing

@Suite("CMTimestamp parses CM's UTC timestamps with integer arithmetic")
struct CMTimestampTests {
    @Test("valid forms parse to the right instant", arguments: [
        ("2019-11-05T08:32:33", 1_572_942_753.0),
        ("2019-11-05T08:32:33Z", 1_572_942_753.0),
        ("2019-11-05T08:32:33+00:00", 1_572_942_753.0),
        ("1970-01-01T00:00:00", 0.0),
        ("1969-12-31T23:59:59", -1.0),
        ("2000-01-01T00:00:00", 946_684_800.0),
        ("1900-03-01T00:00:00", -2_203_891_200.0),
        ("9999-12-31T23:59:59", 253_402_300_799.0),
        ("0000-01-01T00:00:00", -62_167_219_200.0),
        ("2024-02-29T12:00:00", 1_709_208_000.0),
        ("2000-02-29T00:00:00", 951_782_400.0),
    ])
    func validForms(text: String, seconds: Double) {
        #expect(CMTimestamp.parseUTC(text) == Date(timeIntervalSince1970: seconds))
    }

    @Test("fractional seconds of 1 to 9 digits are honoured", arguments: [
        ("2019-11-05T08:32:33.5", 0.5),
        ("2019-11-05T08:32:33.25Z", 0.25),
        ("2019-11-05T08:32:33.125+00:00", 0.125),
        ("2019-11-05T08:32:33.000", 0.0),
        ("2019-11-05T08:32:33.1234567", 0.1234567),
        ("2019-11-05T08:32:33.123456789Z", 0.123456789),
    ])
    func fractions(text: String, fraction: Double) throws {
        let date = try #require(CMTimestamp.parseUTC(text))
        #expect(abs(date.timeIntervalSince1970 - (1_572_942_753 + fraction)) < 1e-6)
    }

    @Test("leap days exist only in leap years", arguments: [
        ("2024-02-29T00:00:00", true),
        ("2023-02-29T00:00:00", false),
        ("2000-02-29T00:00:00", true),
        ("1900-02-29T00:00:00", false),
        ("2100-02-29T00:00:00", false),
        ("2023-02-28T23:59:59", true),
    ])
    func leapDays(text: String, valid: Bool) {
        #expect((CMTimestamp.parseUTC(text) != nil) == valid)
    }

    @Test("out-of-range fields are rejected", arguments: [
        "2019-00-05T08:32:33", "2019-13-05T08:32:33", "2019-11-00T08:32:33", "2019-11-31T08:32:33",
        "2019-04-31T08:32:33", "2019-01-32T08:32:33", "2019-11-05T24:00:00", "2019-11-05T08:60:33",
        "2019-11-05T08:32:60", "2019-11-05T99:99:99",
    ])
    func badRanges(text: String) {
        #expect(CMTimestamp.parseUTC(text) == nil)
    }

    @Test("malformed text is rejected", arguments: [
        "", "2019-11-05", "2019-11-05 08:32:33", "2019-11-05t08:32:33", "2019-11-05T08:32:33z",
        "2019-11-05T08:32:33.", "2019-11-05T08:32:33.1234567890", "2019-11-05T08:32:33+01:00",
        "2019-11-05T08:32:33-00:00", "2019-11-05T08:32:33ZZ", "2019-11-05T08:32:33Z ", " 2019-11-05T08:32:33",
        "19-11-05T08:32:33", "2019/11/05T08:32:33", "2019-11-05T08:32", "2019-1-05T08:32:33",
        "２０１９-11-05T08:32:33", "+019-11-05T08:32:33", "2019-11-05T08:32:33.5.5", "2019-11-05T08:32:3a",
    ])
    func malformed(text: String) {
        #expect(CMTimestamp.parseUTC(text) == nil)
    }

    @Test("format writes yyyy-MM-ddTHH:mm:ss.SSSZ", arguments: [
        (1_572_942_753.0, "2019-11-05T08:32:33.000Z"),
        (0.0, "1970-01-01T00:00:00.000Z"),
        (-0.001, "1969-12-31T23:59:59.999Z"),
        (1_709_208_000.25, "2024-02-29T12:00:00.250Z"),
        (253_402_300_799.999, "9999-12-31T23:59:59.999Z"),
        (-62_167_219_200.0, "0000-01-01T00:00:00.000Z"),
    ])
    func format(seconds: Double, expected: String) {
        #expect(CMTimestamp.format(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test("format and parseUTC round-trip at millisecond precision", arguments: [
        "2019-11-05T08:32:33.000Z", "2024-02-29T23:59:59.999Z", "1999-12-31T23:59:59.001Z",
        "2000-03-01T00:00:00.500Z", "1969-07-20T20:17:40.123Z", "2038-01-19T03:14:08.000Z",
    ])
    func roundTrip(text: String) throws {
        let date = try #require(CMTimestamp.parseUTC(text))
        #expect(CMTimestamp.format(date) == text)
    }

    @Test("every day of 1999–2025 round-trips through parse and format")
    func everyDayRoundTrips() throws {
        var date = try #require(CMTimestamp.parseUTC("1999-01-01T13:14:15.678Z"))
        var previous = CMTimestamp.format(date)
        for _ in 0..<(27 * 366) {
            date = date.addingTimeInterval(86_400)
            let text = CMTimestamp.format(date)
            #expect(text > previous)
            #expect(CMTimestamp.parseUTC(text) == Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000))
            previous = text
        }
    }
}
