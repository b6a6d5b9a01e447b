import Foundation
import Ledger
import Testing

@Suite("EntryTime")
struct EntryTimeTests {
    struct Known: Sendable, CustomTestStringConvertible {
        let ms: Int64
        let text: String
        var testDescription: String { text }
    }

    // Expected values computed independently (Python's datetime).
    static let known: [Known] = [
        Known(ms: 0, text: "1970-01-01T00:00:00.000Z"),
        Known(ms: 1_795_256_130_123, text: "2026-11-21T10:15:30.123Z"),
        Known(ms: 1_709_208_000_000, text: "2024-02-29T12:00:00.000Z"),
        Known(ms: 1_709_251_199_999, text: "2024-02-29T23:59:59.999Z"),
        Known(ms: 1_709_251_200_000, text: "2024-03-01T00:00:00.000Z"),
        Known(ms: 946_684_799_999, text: "1999-12-31T23:59:59.999Z"),
        Known(ms: 946_684_800_000, text: "2000-01-01T00:00:00.000Z"),
        Known(ms: -1, text: "1969-12-31T23:59:59.999Z"),
        Known(ms: 4_107_542_400_000, text: "2100-03-01T00:00:00.000Z"),
        Known(ms: -2_203_977_600_000, text: "1900-02-28T00:00:00.000Z"),
        Known(ms: 253_402_300_799_999, text: "9999-12-31T23:59:59.999Z"),
        Known(ms: -62_167_219_200_000, text: "0000-01-01T00:00:00.000Z"),
    ]

    @Test("formats and parses known instants", arguments: known)
    func knownInstants(_ k: Known) throws {
        #expect(EntryTime(millisecondsSince1970: k.ms).description == k.text)
        #expect(try EntryTime(parsing: k.text).millisecondsSince1970 == k.ms)
        #expect(EntryTime(millisecondsSince1970: k.ms).utcYear == Int(k.text.prefix(4)))
    }

    @Test("the UTC year is the text's first four digits, at every year's first and last millisecond")
    func utcYears() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<500 {
            let ms = Int64.random(in: -62_167_219_200_000...253_402_300_799_999, using: &rng)
            let time = EntryTime(millisecondsSince1970: ms)
            #expect(time.utcYear == Int(time.description.prefix(4)), "ms \(ms)")
        }
        for year in [2000, 2001, 2025, 2026, 2100, 2199] {
            let first = EntryTime(parsingInput: "\(year)-01-01T00:00:00.000Z")
            #expect(first?.utcYear == year)
            #expect(first.map { EntryTime(millisecondsSince1970: $0.millisecondsSince1970 - 1).utcYear } == year - 1)
        }
    }

    @Test("agrees with Foundation's ISO 8601 formatter on random instants, before and after 1970")
    func matchesFoundation() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var rng = SeededGenerator(seed: 1)
        for _ in 0..<500 {
            let ms = Int64.random(in: -2_000_000_000_000...4_000_000_000_000, using: &rng)
            let time = EntryTime(millisecondsSince1970: ms)
            #expect(time.description == formatter.string(from: time.date), "ms \(ms)")
            #expect(try EntryTime(parsing: time.description) == time)
        }
    }

    @Test("Date conversion truncates to the millisecond")
    func dates() {
        #expect(EntryTime(Date(timeIntervalSince1970: 1_795_256_130.123)).millisecondsSince1970 == 1_795_256_130_123)
        #expect(EntryTime(Date(timeIntervalSince1970: 1_795_256_130.1239)).millisecondsSince1970 == 1_795_256_130_123)
        #expect(EntryTime(Date(timeIntervalSince1970: -0.0005)).millisecondsSince1970 == -1)
        #expect(EntryTime(millisecondsSince1970: 1_795_256_130_123).date == Date(timeIntervalSince1970: 1_795_256_130.123))
        let now = EntryTime.now()
        #expect(abs(now.date.timeIntervalSinceNow) < 5)
        #expect(EntryTime(millisecondsSince1970: 1) < EntryTime(millisecondsSince1970: 2))
    }

    static let malformed = [
        "2026-11-21T10:15:30Z",          // no milliseconds
        "2026-11-21T10:15:30.12Z",       // two digits
        "2026-11-21T10:15:30.1234Z",     // four digits
        "2026-11-21T10:15:30.123",       // no zone
        "2026-11-21T10:15:30.123z",      // lowercase z
        "2026-11-21t10:15:30.123Z",      // lowercase t
        "2026-11-21 10:15:30.123Z",      // space
        "2026-11-21T10:15:30.123+00:00", // offset
        "2023-02-29T00:00:00.000Z",      // not a leap year
        "1900-02-29T00:00:00.000Z",      // century, not a leap year
        "2026-13-01T00:00:00.000Z",      // month 13
        "2026-00-01T00:00:00.000Z",      // month 0
        "2026-04-31T00:00:00.000Z",      // April 31
        "2026-01-00T00:00:00.000Z",      // day 0
        "2026-11-21T24:00:00.000Z",      // hour 24
        "2026-11-21T10:60:00.000Z",      // minute 60
        "2026-11-21T23:59:60.000Z",      // leap second
        "+2026-11-21T10:15:30.123Z",     // sign
        "2026-1-21T10:15:30.123Z",       // short month
        " 2026-11-21T10:15:30.123Z",     // leading space
        "2026-11-21T10:15:30.-23Z",      // sign in ms
        "",
    ]

    @Test("rejects anything but exactly YYYY-MM-DDTHH:MM:SS.mmmZ", arguments: malformed)
    func rejects(_ text: String) {
        let error = ledgerError { _ = try EntryTime(parsing: text) }
        #expect(error?.code == .malformedEntry)
        #expect(error?.message.contains("YYYY-MM-DDTHH:MM:SS.mmmZ") == true)
    }
}
