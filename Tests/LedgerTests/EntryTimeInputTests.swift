import Foundation
import Ledger
import Testing

/// Times people type (issue 8 §1): read strictly, never rolled over into another day.
@Suite("EntryTime input")
struct EntryTimeInputTests {
    @Test("accepted forms give the instant they name", arguments: [
        ("2026-11-21T10:15:30Z", "2026-11-21T10:15:30.000Z"),
        ("2026-11-21T10:15:30.123Z", "2026-11-21T10:15:30.123Z"),
        ("2026-11-21T10:15:30.1Z", "2026-11-21T10:15:30.100Z"),
        ("2026-11-21T10:15:30.123456789Z", "2026-11-21T10:15:30.123Z"),
        ("2026-06-21T10:15:30+01:00", "2026-06-21T09:15:30.000Z"),
        ("2026-01-01T00:30:00+01:00", "2025-12-31T23:30:00.000Z"),
        ("2026-11-21T10:15:30-05:30", "2026-11-21T15:45:30.000Z"),
        ("2028-02-29T23:59:59Z", "2028-02-29T23:59:59.000Z"),
        ("2000-01-01T00:00:00Z", "2000-01-01T00:00:00.000Z"),
        ("2199-12-31T23:59:59.999Z", "2199-12-31T23:59:59.999Z"),
    ])
    func accepted(text: String, canonical: String) throws {
        let time = try #require(EntryTime(parsingInput: text))
        #expect(time.description == canonical)
    }

    // Each of these Foundation's ISO8601DateFormatter either rolls over (30 February is
    // 2 March to it, 24:00 the next midnight) or reads (year 0226) without complaint.
    @Test("impossible days, hours, minutes, seconds, years and offsets are refused", arguments: [
        "2026-02-30T10:00:00Z",      // no 30 February
        "2027-02-29T10:00:00Z",      // not a leap year
        "2026-04-31T10:00:00Z",      // April has 30 days
        "2026-01-10T24:00:00Z",      // 24:00
        "2026-01-10T23:60:00Z",      // minute 60
        "2026-01-10T23:59:60Z",      // leap second
        "2026-13-01T10:00:00Z",      // month 13
        "2026-00-01T10:00:00Z",      // month 0
        "2026-01-00T10:00:00Z",      // day 0
        "1999-12-31T23:59:59Z",      // before the register's years
        "2200-01-01T00:00:00Z",      // after them
        "0226-01-10T10:00:00Z",      // a typo for 2026
        "2026-01-10T10:00:00+19:00", // no such offset
        "2026-01-10T10:00:00+01:60",
        "2026-01-10T10:00:00+0100",  // offset without a colon
        "2026-01-10T10:00:00",       // no zone
        "2026-01-10T10:00:00z",
        "2026-01-10t10:00:00Z",
        "2026-01-10 10:00:00Z",
        "2026-01-10T10:00:00.Z",     // empty fraction
        "2026-01-10T10:00:00.1234567890Z",
        "2026-1-10T10:00:00Z",
        " 2026-01-10T10:00:00Z",
        "2026-01-10T10:00:00Z ",
        "+2026-01-10T10:00:00Z",
        "2026-01-10",
        "yesterday",
        "",
    ])
    func refused(text: String) {
        #expect(EntryTime(parsingInput: text) == nil, "\(text) was read as \(EntryTime(parsingInput: text)?.description ?? "")")
    }

    @Test("every canonical time in the register's years reads back as itself")
    func canonicalRoundTrip() throws {
        var rng = SeededGenerator(seed: 8)
        let low = try EntryTime(parsing: "2000-01-01T00:00:00.000Z").millisecondsSince1970
        let high = try EntryTime(parsing: "2199-12-31T23:59:59.999Z").millisecondsSince1970
        for _ in 0..<500 {
            let time = EntryTime(millisecondsSince1970: Int64.random(in: low...high, using: &rng))
            #expect(EntryTime(parsingInput: time.description) == time)
        }
        #expect(EntryTime.registerYears == 2000...2199)
    }
}
