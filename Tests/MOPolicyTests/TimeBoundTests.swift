import MOPolicy
import Testing

@Suite("Times typed on the command line")
struct TimeBoundTests {
    @Test("an age is a number and a unit", arguments: [
        ("45s", 45), ("30m", 1_800), ("12h", 43_200), ("90d", 7_776_000), ("2w", 1_209_600), (" 7d ", 604_800),
        ("0d", 0),
    ])
    func ages(text: String, seconds: Int) throws {
        #expect(try TimeBound(parsing: text) == .ago(seconds: seconds))
        #expect(try TimeBound.age(parsing: text) == seconds)
    }

    @Test("an ISO 8601 date or date-time is kept as written", arguments: [
        "2026-11-01", "2026-11-01T10:00", "2026-11-01 10:00", "2026-11-01T10:00:59", "2026-11-01T10:00:00Z",
        "2026-11-01T10:00:00.123Z", "2026-11-01T10:00:00+01:00", "2026-11-01T10:00-05", "2026-12-31T23:59:60Z",
    ])
    func dates(text: String) throws {
        #expect(try TimeBound(parsing: text) == .at(text))
    }

    @Test("anything else is refused, naming what would do", arguments: [
        "", "d", "7", "7 d", "7y", "-7d", "1234567890d", "yesterday", "2026-13-01", "2026-11-32", "2026-11-1",
        "2026-11-01T25:00", "2026-11-01T10:60", "2026-11-01T10", "2026-11-01T10:00:00X", "2026-11-01T10:00:00.Z",
        "2026-11-01T10:00+1", "2026-11-01T10:00+01:0", "2026-11-01T10:00:00Zjunk", "2026/11/01",
    ])
    func refused(text: String) {
        #expect(throws: TimeBoundError.self) { try TimeBound(parsing: text) }
        do {
            _ = try TimeBound(parsing: text)
        } catch {
            #expect(error.description.contains("90d") && error.description.contains("2026-11-01"))
        }
    }

    @Test("--older-than takes only an age; a date is refused with an example of an age")
    func ageOnly() {
        #expect(throws: TimeBoundError.self) { try TimeBound.age(parsing: "2026-11-01") }
        do {
            _ = try TimeBound.age(parsing: "2026-11-01")
        } catch {
            #expect(error.description.contains("is not an age"))
        }
    }
}
