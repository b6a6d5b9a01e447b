import Foundation
import Testing

@testable import RIPA

private let london = TimeZone(identifier: "Europe/London")!

private func day(_ text: String) -> CivilDate {
    guard let date = CivilDate(parsing: text) else { fatalError("bad date in test: \(text)") }
    return date
}

/// Milliseconds since 1970 for a UTC timestamp written `YYYY-MM-DDTHH:MM:SS.mmmZ`, computed without
/// Foundation's calendar so that the expected values do not share code with what is tested.
private func utcMilliseconds(_ text: String) -> Int64 {
    let date = day(String(text.prefix(10)))
    let time = text.dropFirst(11).dropLast()  // HH:MM:SS.mmm
    let parts = time.split(whereSeparator: { $0 == ":" || $0 == "." }).map { Int64($0)! }
    return Int64(date.dayNumber) * 86_400_000 + parts[0] * 3_600_000 + parts[1] * 60_000 + parts[2] * 1000 + parts[3]
}

private func milliseconds(_ date: Date) -> Int64 {
    Int64((date.timeIntervalSince1970 * 1000).rounded())
}

@Suite("Authorisation periods (RIPA s.43(3))")
struct AuthorisationPeriodTests {
    // MARK: The last day

    @Test(
        "the period ends the day before the corresponding date, or at the end of a month that has none",
        arguments: [
            // (first day, months, last day)
            ("2026-01-01", 3, "2026-03-31"),
            ("2026-03-15", 3, "2026-06-14"),
            ("2026-12-15", 3, "2027-03-14"),  // across the year end
            ("2027-01-31", 1, "2027-02-28"),  // no 31 February, non-leap
            ("2028-01-31", 1, "2028-02-29"),  // no 31 February, leap year
            ("2028-01-29", 1, "2028-02-28"),  // 29 February 2028 exists: the day before it
            ("2026-11-30", 3, "2027-02-28"),  // no 30 February 2027
            ("2027-11-30", 3, "2028-02-29"),  // no 30 February 2028, a leap year
            ("2026-11-29", 3, "2027-02-28"),  // no 29 February 2027
            ("2027-11-29", 3, "2028-02-28"),  // 29 February 2028 exists
            ("2026-11-28", 3, "2027-02-27"),
            ("2026-03-31", 3, "2026-06-30"),  // no 31 June
            ("2026-05-31", 1, "2026-06-30"),
            ("2026-07-01", 12, "2027-06-30"),  // CHIS
            ("2028-02-29", 12, "2029-02-28"),  // CHIS from a leap day
            ("2026-01-10", 4, "2026-05-09"),  // juvenile CHIS
            ("2026-10-31", 4, "2027-02-28"),  // juvenile CHIS, no 31 February
            ("2027-10-31", 4, "2028-02-29"),
            ("2099-12-01", 3, "2100-02-28"),  // 2100 is not a leap year
            ("2099-12-01", 1, "2099-12-31"),
        ])
    func lastDay(first: String, months: Int, last: String) {
        #expect(AuthorisationPeriod.lastDay(beginningOn: day(first), months: months) == day(last))
    }

    // MARK: The expiry instant

    @Test(
        "the period ends at 23:59:59.999 Europe/London on its last day, British Summer Time included",
        arguments: [
            // (first day, months, expiry in UTC)
            ("2026-04-01", 3, "2026-06-30T22:59:59.999Z"),  // last day in BST
            ("2026-11-01", 3, "2027-01-31T23:59:59.999Z"),  // last day in GMT
            ("2026-07-26", 3, "2026-10-25T23:59:59.999Z"),  // ends on the day the clocks go back (GMT by midnight)
            ("2026-07-25", 3, "2026-10-24T22:59:59.999Z"),  // the day before: still BST
            ("2026-12-29", 3, "2027-03-28T22:59:59.999Z"),  // ends on the day the clocks go forward (BST by midnight)
            ("2026-12-28", 3, "2027-03-27T23:59:59.999Z"),  // the day before: still GMT
            ("2026-11-30", 3, "2027-02-28T23:59:59.999Z"),
            ("2027-11-30", 3, "2028-02-29T23:59:59.999Z"),
            ("2026-07-01", 12, "2027-06-30T22:59:59.999Z"),  // CHIS
            ("2026-07-01", 4, "2026-10-31T23:59:59.999Z"),  // juvenile CHIS, ends after the clocks go back
        ])
    func expiry(first: String, months: Int, utc: String) {
        let expiry = AuthorisationPeriod.expiry(beginningOn: day(first), months: months, timeZone: london)
        #expect(milliseconds(expiry) == utcMilliseconds(utc))
        // The instant must fall on the last day locally, and one millisecond later on the next.
        let last = AuthorisationPeriod.lastDay(beginningOn: day(first), months: months)
        #expect(CivilDate.containing(expiry, in: london) == last)
        #expect(CivilDate.containing(expiry.addingTimeInterval(0.001), in: london) == last.adding(days: 1))
    }

    @Test(
        "days are 23 hours long when the clocks go forward and 25 when they go back",
        arguments: [
            ("2027-03-28", 23), ("2026-03-29", 23), ("2026-10-25", 25), ("2027-10-31", 25), ("2026-06-30", 24), ("2026-12-31", 24),
        ])
    func dayLengths(date: String, hours: Int64) {
        let civil = day(date)
        let length = milliseconds(civil.endOfDay(in: london)) + 1 - milliseconds(civil.startOfDay(in: london))
        #expect(length == hours * 3_600_000)
    }

    @Test(
        "an instant falls on its Europe/London date",
        arguments: [
            ("2026-06-30T23:30:00.000Z", "2026-07-01"),  // BST: already 00:30 on 1 July
            ("2026-12-31T23:30:00.000Z", "2026-12-31"),  // GMT
            ("2026-03-29T00:30:00.000Z", "2026-03-29"),  // before the clocks go forward at 01:00 GMT
            ("2026-10-24T23:00:00.000Z", "2026-10-25"),  // midnight BST at the start of the 25-hour day
            ("2026-10-24T22:59:59.999Z", "2026-10-24"),
        ])
    func containing(utc: String, date: String) {
        let instant = Date(timeIntervalSince1970: Double(utcMilliseconds(utc)) / 1000)
        #expect(CivilDate.containing(instant, in: london) == day(date))
    }

    // MARK: With the pack in force

    @Test("the shipped pack's durations: DS 3, CHIS 12, juvenile CHIS 4 months, counted from the JP's approval day")
    func withShippedPack() throws {
        let rules = try RepositoryFiles.shippedPolicy().rules
        // Approved at 00:30 BST on 1 July 2026: the period begins with 1 July, not 30 June.
        let approval = Date(timeIntervalSince1970: Double(utcMilliseconds("2026-06-30T23:30:00.000Z")) / 1000)
        let first = AuthorisationPeriod.firstDay(takingEffectAt: approval, rules: rules)
        #expect(first == day("2026-07-01"))
        #expect(AuthorisationPeriod.lastDay(of: .directedSurveillance, beginningOn: first, rules: rules) == day("2026-09-30"))
        #expect(AuthorisationPeriod.lastDay(of: .chis, beginningOn: first, rules: rules) == day("2027-06-30"))
        #expect(AuthorisationPeriod.lastDay(of: .juvenileCHIS, beginningOn: first, rules: rules) == day("2026-10-31"))
        #expect(milliseconds(AuthorisationPeriod.expiry(of: .directedSurveillance, beginningOn: first, rules: rules))
            == utcMilliseconds("2026-09-30T22:59:59.999Z"))
        #expect(milliseconds(AuthorisationPeriod.expiry(of: .juvenileCHIS, beginningOn: first, rules: rules))
            == utcMilliseconds("2026-10-31T23:59:59.999Z"))
    }

    // MARK: Renewal

    @Test(
        "a renewal runs on from the end of the old period",
        arguments: [
            // (old first day, months, old last day, renewal first day, renewal last day)
            ("2026-01-01", 3, "2026-03-31", "2026-04-01", "2026-06-30"),
            ("2026-01-31", 3, "2026-04-30", "2026-05-01", "2026-07-31"),
            ("2027-11-30", 3, "2028-02-29", "2028-03-01", "2028-05-31"),
            ("2026-12-01", 1, "2026-12-31", "2027-01-01", "2027-01-31"),
        ])
    func renewal(first: String, months: Int, oldLast: String, renewalFirst: String, renewalLast: String) {
        let last = AuthorisationPeriod.lastDay(beginningOn: day(first), months: months)
        #expect(last == day(oldLast))
        let next = AuthorisationPeriod.renewalFirstDay(afterLastDay: last)
        #expect(next == day(renewalFirst))
        #expect(AuthorisationPeriod.lastDay(beginningOn: next, months: months) == day(renewalLast))
        // No gap and no overlap: the renewal starts the instant after the old expiry.
        #expect(milliseconds(next.startOfDay(in: london)) == milliseconds(last.endOfDay(in: london)) + 1)
    }

    // MARK: Civil dates

    @Test(
        "YYYY-MM-DD parses only when it names a real day",
        arguments: [
            ("2028-02-29", true), ("2027-02-29", false), ("2100-02-29", false), ("2000-02-29", true),
            ("2026-04-31", false), ("2026-13-01", false), ("2026-00-10", false), ("2026-01-00", false),
            ("2026-1-01", false), ("26-01-01", false), (" 2026-01-01", false), ("2026-01-01T00:00", false),
            ("2026/01/01", false), ("２０２６-01-01", false), ("", false), ("2026-12-31", true),
        ])
    func parsing(text: String, valid: Bool) {
        let parsed = CivilDate(parsing: text)
        #expect((parsed != nil) == valid)
        if let parsed { #expect(parsed.description == text) }
    }

    @Test(
        "adding days crosses months, years and leap days",
        arguments: [
            ("2028-02-28", 1, "2028-02-29"), ("2028-02-29", 1, "2028-03-01"), ("2027-02-28", 1, "2027-03-01"),
            ("2027-12-31", 1, "2028-01-01"), ("2028-03-01", -1, "2028-02-29"), ("2026-01-01", 365, "2027-01-01"),
            ("2028-01-01", 366, "2029-01-01"), ("1970-01-01", 0, "1970-01-01"), ("1969-12-31", 1, "1970-01-01"),
        ])
    func addingDays(start: String, days: Int, end: String) {
        #expect(day(start).adding(days: days) == day(end))
        #expect(day(start).days(until: day(end)) == days)
    }

    @Test("day arithmetic agrees with Foundation's Gregorian calendar for every day from 1900 to 2100")
    func agreesWithFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var instant = try #require(calendar.date(from: DateComponents(year: 1900, month: 1, day: 1, hour: 12)))
        var civil = day("1900-01-01")
        var mismatches = 0
        while civil.year <= 2100 {
            let parts = calendar.dateComponents([.year, .month, .day], from: instant)
            if parts.year != civil.year || parts.month != civil.month || parts.day != civil.day { mismatches += 1 }
            instant = instant.addingTimeInterval(86_400)
            civil = civil.adding(days: 1)
        }
        #expect(mismatches == 0)
        #expect(civil == day("2101-01-01"))
    }

    @Test("dates order chronologically and encode as YYYY-MM-DD")
    func orderingAndCoding() throws {
        #expect(day("2026-12-31") < day("2027-01-01"))
        #expect(day("2027-01-31") < day("2027-02-01"))
        #expect(!(day("2027-02-01") < day("2027-02-01")))
        let data = try JSONEncoder().encode([day("2027-02-28")])
        #expect(String(decoding: data, as: UTF8.self) == #"["2027-02-28"]"#)
        #expect(try JSONDecoder().decode([CivilDate].self, from: data) == [day("2027-02-28")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CivilDate].self, from: Data(#"["2027-02-29"]"#.utf8)) }
    }
}
