import Foundation

/// How long an authorisation lasts: RIPA s.43(3), read as the project's rulebook (RIPA.md §2) states it.
///
/// An authorisation ceases to have effect "at the end of the period of three months [CHIS:
/// twelve; juvenile CHIS: four, SI 2000/2793 art. 6 as amended by SI 2018/715] beginning with the
/// day on which the grant … or … its latest renewal takes effect" — for a council, the day of the
/// JP's approval (s.32A). Because the period begins *with* that day, it ends at the end of the
/// day before the corresponding date N months on; where that month has no corresponding date
/// (31 January + 1 month), it ends at the end of that month's last day. Days end at
/// 23:59:59.999 in the pack's time zone, so British Summer Time moves the instant by an hour.
public enum AuthorisationPeriod {
    /// The last day on which an authorisation beginning on `firstDay` is in effect.
    ///
    /// - Parameters:
    ///   - firstDay: the day the grant or renewal takes effect (that day counts).
    ///   - months: the period in calendar months, at least 1 (from the pack's `durations`).
    /// - Returns: the day before the corresponding date `months` on, or the last day of that
    ///   month when it has no corresponding date; e.g. 2026-01-01 + 3 → 2026-03-31,
    ///   2027-01-31 + 1 → 2027-02-28, 2027-11-30 + 3 → 2028-02-29.
    public static func lastDay(beginningOn firstDay: CivilDate, months: Int) -> CivilDate {
        precondition(months >= 1, "an authorisation period is at least one month; the policy loader enforces 1...12")
        let monthIndex = firstDay.month - 1 + months
        let year = firstDay.year + monthIndex / 12
        let month = monthIndex % 12 + 1
        let length = CivilDate.daysInMonth(year: year, month: month)
        guard firstDay.day <= length else {
            // No corresponding date (e.g. 30 February): the period ends with the month.
            return CivilDate(year: year, month: month, day: length)!
        }
        return CivilDate(year: year, month: month, day: firstDay.day)!.adding(days: -1)
    }

    /// The instant an authorisation beginning on `firstDay` ceases to have effect: the last
    /// millisecond of its last day in `timeZone`.
    public static func expiry(beginningOn firstDay: CivilDate, months: Int, timeZone: TimeZone) -> Date {
        lastDay(beginningOn: firstDay, months: months).endOfDay(in: timeZone)
    }

    /// The first day of a renewed period: the renewal runs on from the end of the old period
    /// (RIPA.md §2), so it begins the day after the old last day, whenever within the old period
    /// the renewal was approved.
    public static func renewalFirstDay(afterLastDay lastDay: CivilDate) -> CivilDate {
        lastDay.adding(days: 1)
    }

    // MARK: With the pack in force

    /// The day a grant or renewal approved at `instant` takes effect: that instant's civil date
    /// in the pack's time zone (s.43(3) counts from "the day on which" it takes effect).
    public static func firstDay(takingEffectAt instant: Date, rules: PolicyRules) -> CivilDate {
        CivilDate.containing(instant, in: rules.zone)
    }

    /// The last day of an authorisation of `type` beginning on `firstDay`, with the pack's duration.
    public static func lastDay(of type: AuthorisationType, beginningOn firstDay: CivilDate, rules: PolicyRules) -> CivilDate {
        lastDay(beginningOn: firstDay, months: rules.durations.months(for: type))
    }

    /// The expiry instant of an authorisation of `type` beginning on `firstDay`, with the pack's
    /// duration and time zone.
    public static func expiry(of type: AuthorisationType, beginningOn firstDay: CivilDate, rules: PolicyRules) -> Date {
        expiry(beginningOn: firstDay, months: rules.durations.months(for: type), timeZone: rules.zone)
    }
}
