import Foundation

/// An entry's `time`: a UTC instant with millisecond precision, written `2026-11-21T10:15:30.123Z`
/// (DESIGN.md "Entry").
///
/// Formatting and parsing use hand-rolled proleptic-Gregorian arithmetic (H. Hinnant's
/// `days_from_civil`) instead of `DateFormatter`, because the verifier reads a million of them and
/// because the form must be exactly one string per instant.
public struct EntryTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00.000Z, ignoring leap seconds (Unix time).
    public let millisecondsSince1970: Int64

    /// Wraps a count of milliseconds since the Unix epoch.
    public init(millisecondsSince1970: Int64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    /// The instant of `date`, truncated to the millisecond.
    public init(_ date: Date) {
        // Round to whole microseconds first: a Double cannot hold ".123" exactly, and truncating
        // 123.0000000001 ms or 122.9999999999 ms must both give 123.
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        let clamped = Swift.min(Swift.max(micros, -9.2e18), 9.2e18)
        self.init(millisecondsSince1970: Self.floorDivide(Int64(clamped), 1000).quotient)
    }

    /// The current time, truncated to the millisecond.
    public static func now() -> EntryTime { EntryTime(Date()) }

    /// The instant as a Foundation `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(millisecondsSince1970) / 1000) }

    /// Orders by instant.
    public static func < (lhs: EntryTime, rhs: EntryTime) -> Bool {
        lhs.millisecondsSince1970 < rhs.millisecondsSince1970
    }

    private static let msPerDay: Int64 = 86_400_000

    /// The instants with a four-digit year, 0000-01-01T00:00:00.000Z through 9999-12-31T23:59:59.999Z:
    /// the only ones the fixed text form can carry.
    static let formattable: ClosedRange<Int64> = -62_167_219_200_000...253_402_300_799_999

    /// The year of the instant in UTC, as the first digits of ``description`` give it, without
    /// writing the text (a look's profile tag is keyed by it on every append).
    public var utcYear: Int {
        Int(Self.civil(fromDays: Self.floorDivide(millisecondsSince1970, Self.msPerDay).quotient).year)
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`; years outside 0000–9999 get a sign or more digits (and will not parse).
    public var description: String {
        let (days, msOfDay) = Self.floorDivide(millisecondsSince1970, Self.msPerDay)
        let (year, month, day) = Self.civil(fromDays: days)
        var out: [UInt8] = []
        out.reserveCapacity(24)
        func put(_ value: Int64, digits: Int) {
            var divisor: Int64 = 1
            for _ in 1..<digits { divisor *= 10 }
            var v = value
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(v / divisor % 10))
                v %= divisor
                divisor /= 10
            }
        }
        if (0...9999).contains(year) {
            put(year, digits: 4)
        } else {
            out.append(contentsOf: Array(String(year).utf8))
        }
        out.append(UInt8(ascii: "-")); put(month, digits: 2)
        out.append(UInt8(ascii: "-")); put(day, digits: 2)
        out.append(UInt8(ascii: "T")); put(msOfDay / 3_600_000, digits: 2)
        out.append(UInt8(ascii: ":")); put(msOfDay / 60_000 % 60, digits: 2)
        out.append(UInt8(ascii: ":")); put(msOfDay / 1000 % 60, digits: 2)
        out.append(UInt8(ascii: ".")); put(msOfDay % 1000, digits: 3)
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses exactly `YYYY-MM-DDTHH:MM:SS.mmmZ` (24 characters, UTC, a real calendar date, seconds
    /// 00–59); anything else — no milliseconds, an offset, lowercase `t`/`z` — is refused so each instant
    /// has one text.
    /// - Throws: ``LedgerError/Code/malformedEntry`` naming the text and the expected form.
    public init(parsing text: String) throws(LedgerError) {
        var text = text
        let parsed = text.withUTF8 { Self.parse($0) }
        guard let ms = parsed else {
            throw LedgerError(
                .malformedEntry,
                "time \"\(text)\" is not a UTC time of the form YYYY-MM-DDTHH:MM:SS.mmmZ (e.g. 2026-11-21T10:15:30.123Z)")
        }
        self.init(millisecondsSince1970: ms)
    }

    private static func parse(_ s: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard s.count == 24,
              s[4] == UInt8(ascii: "-"), s[7] == UInt8(ascii: "-"), s[10] == UInt8(ascii: "T"),
              s[13] == UInt8(ascii: ":"), s[16] == UInt8(ascii: ":"), s[19] == UInt8(ascii: "."),
              s[23] == UInt8(ascii: "Z")
        else { return nil }
        func number(_ from: Int, _ count: Int) -> Int64? {
            var v: Int64 = 0
            for i in from..<(from + count) {
                let d = s[i] &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                v = v * 10 + Int64(d)
            }
            return v
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              let milli = number(20, 3),
              (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
              hour < 24, minute < 60, second < 60
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return days * msPerDay + hour * 3_600_000 + minute * 60_000 + second * 1000 + milli
    }

    private static func isLeapYear(_ y: Int64) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic-Gregorian date (Hinnant, "chrono-Compatible Low-Level Date Algorithms"):
    /// the one copy of the arithmetic, which calendar dates (`CivilDate`) use too.
    public static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The proleptic-Gregorian date of a day count since 1970-01-01 (inverse of ``daysFromCivil``).
    public static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (quotient: Int64, remainder: Int64) {
        var q = a / b
        var r = a % b
        if r < 0 { q -= 1; r += b }
        return (q, r)
    }
}
