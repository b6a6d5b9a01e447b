/// Times as people type them: strict, never rolled over.
///
/// `EntryTime(parsing:)` reads only the one canonical form entries carry. A person giving a
/// time on the command line (`judicial --at`, `cancel --ceased-at`, `status --at`,
/// `$RIPA_CLOCK`) may also leave out the milliseconds or give an offset; but `2026-02-30`,
/// `24:00`, `23:60` or a year no register can hold are refused, where Foundation's
/// `ISO8601DateFormatter` would quietly roll them over into another day (issue 8 §1).
extension EntryTime {
    /// The years a date or time given to the register may name.
    ///
    /// A register that began after RIPA Part II came into force (2000) and is kept for its
    /// retention period cannot hold an event outside these years; a time outside them is a
    /// typo (`0226`, `20266`) or an attempt to place an entry beyond every expiry, so it is
    /// refused rather than read. The one constant: `CivilDate` and the CLI use it too.
    public static let registerYears: ClosedRange<Int> = 2000...2199

    /// Parses `YYYY-MM-DDTHH:MM:SS`, optionally with a fraction of a second (1–9 digits,
    /// truncated to the millisecond), then `Z` or an offset `±HH:MM` (up to ±18:00).
    ///
    /// The date must be a real calendar day, hours 00–23, minutes and seconds 00–59 (no
    /// leap seconds), and the year within `registerYears`.
    ///
    /// - Returns: the instant, or `nil` for anything else.
    public init?(parsingInput text: String) {
        let s = Array(text.utf8)
        guard s.count >= 20, s[4] == UInt8(ascii: "-"), s[7] == UInt8(ascii: "-"), s[10] == UInt8(ascii: "T"),
              s[13] == UInt8(ascii: ":"), s[16] == UInt8(ascii: ":")
        else { return nil }
        func number(_ from: Int, _ count: Int) -> Int64? {
            var value: Int64 = 0
            for i in from..<(from + count) {
                let digit = s[i] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int64(digit)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              Self.registerYears.contains(Int(year)), (1...12).contains(month),
              day >= 1, day <= Self.daysInMonth(year: year, month: month),
              hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var milliseconds: Int64 = 0
        if s[index] == UInt8(ascii: ".") {
            let start = index + 1
            var end = start
            while end < s.count, s[end] &- UInt8(ascii: "0") < 10 { end += 1 }
            guard (1...9).contains(end - start) else { return nil }
            for i in 0..<3 {
                milliseconds = milliseconds * 10 + (start + i < end ? Int64(s[start + i] - UInt8(ascii: "0")) : 0)
            }
            index = end
        }
        var offsetMinutes: Int64 = 0
        let rest = s[index...]
        if rest.elementsEqual([UInt8(ascii: "Z")]) {
            offsetMinutes = 0
        } else {
            guard rest.count == 6, let sign = rest.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"),
                  s[index + 3] == UInt8(ascii: ":"),
                  let offsetHours = number(index + 1, 2), let offsetMins = number(index + 4, 2),
                  offsetMins < 60, offsetHours * 60 + offsetMins <= 18 * 60
            else { return nil }
            offsetMinutes = (offsetHours * 60 + offsetMins) * (sign == UInt8(ascii: "-") ? -1 : 1)
        }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        let local = days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + milliseconds
        self.init(millisecondsSince1970: local - offsetMinutes * 60_000)
    }
}
