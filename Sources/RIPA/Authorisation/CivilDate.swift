import Foundation
import Ledger
import Synchronization

/// A day on the civil calendar (proleptic Gregorian), with no time and no time zone: the unit in
/// which RIPA counts authorisation periods ("the period of three months beginning with the day",
/// s.43(3)).
///
/// Arithmetic on days is exact integer arithmetic; a time zone enters only when a day is turned
/// into instants (`startOfDay(in:)`, `endOfDay(in:)`) or an instant into a day (`containing(_:in:)`).
/// Encoded as the string `YYYY-MM-DD`.
public struct CivilDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The year, 1 to 9999.
    public let year: Int
    /// The month, 1 to 12.
    public let month: Int
    /// The day of the month, 1 to 28, 29, 30 or 31.
    public let day: Int

    /// A date from its parts, or `nil` when there is no such day (e.g. 2027-02-29) or the year
    /// is outside 1...9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Self.daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        self.init(unchecked: year, month, day)
    }

    /// Parses exactly `YYYY-MM-DD` (four-digit year, two-digit month and day), or `nil` when the
    /// text is not that or names no real day.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Parses a date given to the register — on the command line, in a body, in a file —
    /// as `init(parsing:)` does, and also refuses a year outside `EntryTime.registerYears`
    /// (2000–2199): `2026-02-30` and `0226-01-01` are refused, never rolled over or read.
    public init?(parsingInput text: String) {
        guard let date = CivilDate(parsing: text), EntryTime.registerYears.contains(date.year) else { return nil }
        self = date
    }

    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let digits = String(n)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Orders dates chronologically.
    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    // MARK: Calendar facts

    /// Whether `year` is a Gregorian leap year.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in a month: 28, 29, 30 or 31.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // MARK: Day arithmetic

    /// The date `days` days later (earlier when negative).
    public func adding(days: Int) -> CivilDate {
        Self(dayNumber: dayNumber + days)
    }

    /// The number of days from this date to `other` (negative when `other` is earlier).
    public func days(until other: CivilDate) -> Int {
        other.dayNumber - dayNumber
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`), so that day arithmetic needs
    /// no calendar object and no time zone.
    var dayNumber: Int {
        Int(EntryTime.daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day)))
    }

    /// The date a day number names (Hinnant's `civil_from_days`).
    init(dayNumber: Int) {
        let (year, month, day) = EntryTime.civil(fromDays: Int64(dayNumber))
        self.init(unchecked: Int(year), Int(month), Int(day))
    }

    // MARK: Days and instants

    /// Gregorian calendars by time zone, each made once: making one per date cost more
    /// than the rest of a central record row.
    private static let calendars = Mutex<[String: Calendar]>([:])

    /// A Gregorian calendar in `timeZone`.
    static func calendar(in timeZone: TimeZone) -> Calendar {
        if let calendar = calendars.withLock({ $0[timeZone.identifier] }) { return calendar }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendars.withLock { $0[timeZone.identifier] = calendar }
        return calendar
    }

    /// The civil date that `date` falls on in `timeZone`, e.g. the day a JP approval at
    /// 2026-06-30T23:30:00Z takes effect in Europe/London is 2026-07-01 (BST).
    public static func containing(_ date: Date, in timeZone: TimeZone) -> CivilDate {
        let parts = calendar(in: timeZone).dateComponents([.year, .month, .day], from: date)
        // A Gregorian calendar always yields all three components.
        return CivilDate(unchecked: parts.year!, parts.month!, parts.day!)
    }

    /// The first instant of this day in `timeZone` (midnight, or the first instant after a
    /// clock change that skips midnight).
    public func startOfDay(in timeZone: TimeZone) -> Date {
        let calendar = Self.calendar(in: timeZone)
        // Noon exists on every civil day in every zone; startOfDay walks back from it correctly
        // even where a clock change removes midnight.
        let noon = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!
        return calendar.startOfDay(for: noon)
    }

    /// The last millisecond of this day in `timeZone`: 23:59:59.999 local time, which is
    /// 22:59:59.999Z on a British Summer Time day and 23:59:59.999Z on a GMT day in Europe/London.
    ///
    /// Computed as one millisecond before the next day's start, on whole milliseconds, so that it
    /// is right on the days the clocks change (which are 23 and 25 hours long).
    public func endOfDay(in timeZone: TimeZone) -> Date {
        let nextStart = adding(days: 1).startOfDay(in: timeZone)
        let milliseconds = Int64((nextStart.timeIntervalSince1970 * 1000).rounded()) - 1
        return Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    // MARK: Codable

    /// Decodes from `"YYYY-MM-DD"`, a real day in `EntryTime.registerYears`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CivilDate(parsingInput: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a real day YYYY-MM-DD in \(EntryTime.registerYears.lowerBound)-\(EntryTime.registerYears.upperBound), found \(text)")
        }
        self = date
    }

    /// Encodes as `"YYYY-MM-DD"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
