import Foundation
import Ledger

/// The kinds of record the pack sets a retention period for (`retention` in the pack), each
/// with the event its period runs from (docs/retention.md).
public enum RetentionRule: String, Sendable, Hashable, Codable, CaseIterable {
    /// An authorisation's central record: from its end (cancellation, or expiry if never
    /// cancelled, or a JP's quashing), `retention.years`; at least 3 (Code of Practice para 8.1).
    case centralRecord = "central-record"
    /// An application the authorising officer or a JP refused: from the refusal.
    case refusedApplication = "refused-application"
    /// Looks made without an authorisation, under one case reference: from the case's last look.
    case looksWithoutAuthorisation = "looks-without-authorisation"
    /// The keyed profile tags of one year's looks: from the end of the year, the looks period
    /// or the gate's counting window, whichever is longer (never while the gate still counts them).
    case profileTags = "profile-tags"

    /// The period and its source under a pack, in words.
    public func period(in rules: PolicyRules) -> (months: Int, source: String) {
        let retention = rules.retention
        switch self {
        case .centralRecord: return (retention.years * 12, retention.source)
        case .refusedApplication: return (retention.refused.months, retention.refused.source)
        case .looksWithoutAuthorisation, .profileTags: return (retention.looks.months, retention.looks.source)
        }
    }
}

/// When one case's retention ends under a pack: the rule, the event it runs from and the day
/// its personal data becomes due for destruction.
public struct RetentionDue: Sendable, Hashable, Codable {
    /// The data key's name: a URN, `case:<ref>`, `tags:<year>`.
    public var name: String
    /// The rule that applies.
    public var rule: RetentionRule
    /// The event the period runs from (the authorisation's end, the refusal, the last look, the year's end).
    public var from: EntryTime
    /// The first day (in the pack's time zone) on which it is due: the day after the period's last.
    public var dueOn: CivilDate

    enum CodingKeys: String, CodingKey { case name, rule, from, dueOn = "due_on" }

    /// Whether it is due at `time`.
    public func isDue(at time: EntryTime, in zone: TimeZone) -> Bool {
        time.date >= dueOn.startOfDay(in: zone)
    }
}

/// The one place a case's retention is computed, live (`ripa retention due`, the request and
/// the approval) and by `verify --replay`, always under the pack in force at that moment.
enum RetentionSchedule {
    /// The retention of the data key `name`, or nil when its period has not begun (the
    /// authorisation is pending or still in force; a name with no case or look; profile tags
    /// counted for ever).
    ///
    /// - Parameters:
    ///   - at: the moment the case's state is taken (an authorisation still active then has not ended).
    ///   - lastLook: the time of the last look sealed under a name that is not a case, if any.
    static func due(
        _ name: String, at time: EntryTime, rules: PolicyRules, context: some CaseContext, lastLook: (String) throws -> EntryTime?
    ) throws -> RetentionDue? {
        if let authorisation = try context.authorisation(urn: name) {
            guard let (rule, from) = end(of: authorisation, at: time) else { return nil }
            return RetentionDue(name: name, rule: rule, from: from, dueOn: dueOn(from, months: rule.period(in: rules).months, zone: rules.zone))
        }
        if let year = tagYear(name) {
            // The gate counts looks by these tags for its whole window: with no window (ever),
            // they are never due.
            // A look's tag key is that of its year in UTC (docs/personal-data.md): the year ends
            // at midnight UTC.
            guard let window = rules.openSourceViewing.windowDays, let start = CivilDate(year: year + 1, month: 1, day: 1) else { return nil }
            let from = EntryTime(millisecondsSince1970: EntryTime(start.startOfDay(in: TimeZone(identifier: "UTC")!)).millisecondsSince1970 - 1)
            let afterLooks = dueOn(from, months: rules.retention.looks.months, zone: rules.zone)
            let afterWindow = CivilDate.containing(from.date, in: rules.zone).adding(days: window + 1)
            return RetentionDue(name: name, rule: .profileTags, from: from, dueOn: max(afterLooks, afterWindow))
        }
        guard let last = try lastLook(name) else { return nil }
        return RetentionDue(
            name: name, rule: .looksWithoutAuthorisation, from: last,
            dueOn: dueOn(last, months: rules.retention.looks.months, zone: rules.zone))
    }

    /// The year of a `tags:<year>` name.
    static func tagYear(_ name: String) -> Int? {
        guard name.hasPrefix("tags:"), let year = Int(name.dropFirst(5)), (1000...9999).contains(year) else { return nil }
        return year
    }

    /// How and when an authorisation ended by `time`, or nil if it had not.
    ///
    /// An authorisation that never took effect (refused by the officer or a JP) falls under the
    /// refused-applications rule from the refusal; one that took effect, under the central
    /// record's from its end: its cancellation, or its expiry if that came first (a
    /// cancellation recorded after expiry), or a JP's quashing.
    static func end(of authorisation: Authorisation, at time: EntryTime) -> (RetentionRule, EntryTime)? {
        let tookEffect = authorisation.periods.first?.isApproved == true && authorisation.periods.first!.judicial!.recordedAt <= time
        let expiry = authorisation.expiresAt(at: time)
        if let cancellation = authorisation.cancellation, cancellation.at <= time {
            guard tookEffect else { return (.refusedApplication, cancellation.at) }
            if let expiry, expiry < cancellation.at { return (.centralRecord, expiry) }
            return (.centralRecord, cancellation.at)
        }
        switch authorisation.state(at: time) {
        case .refused:
            if let quashed = authorisation.periods.compactMap(\.judicial).first(where: { $0.decision == .quashed && $0.recordedAt <= time }), tookEffect {
                return (.centralRecord, quashed.recordedAt)
            }
            if let decision = authorisation.decision, !decision.granted { return (.refusedApplication, decision.at) }
            let judicial = authorisation.periods.first?.judicial
            return (.refusedApplication, judicial?.recordedAt ?? authorisation.appliedAt)
        case .expired:
            return expiry.map { (.centralRecord, $0) }
        case .applied, .grantedAwaitingApproval, .active, .cancelled:
            return nil
        }
    }

    /// The day after the period's last: `months` after the day of `from`, plus one, so the
    /// whole period has run (a 29 February end falls back to the 28th).
    static func dueOn(_ from: EntryTime, months: Int, zone: TimeZone) -> CivilDate {
        let day = CivilDate.containing(from.date, in: zone)
        let total = day.year * 12 + (day.month - 1) + months
        let (year, month) = (total / 12, total % 12 + 1)
        let last = CivilDate(year: year, month: month, day: min(day.day, CivilDate.daysInMonth(year: year, month: month)))!
        return last.adding(days: 1)
    }
}
