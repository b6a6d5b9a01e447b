import Foundation
import Ledger

/// The central record of authorisations (Covert Surveillance and Property Interference Code
/// of Practice 2018, para 8.1; RIPA.md §4): one row per authorisation granted, each with the
/// twelve fields the Code lists, derived from the signed case history and nothing else.
///
/// Pure functions: the caller reads the cases (`Register.authorisations()`) and passes the
/// pack's time zone and the moment of the report, so the same log always gives the same record.
public enum CentralRecord {
    /// Field 12 for every council authorisation: a local authority may not grant urgent oral
    /// authorisations, so the urgency provisions are never used.
    public static let urgency = "not used — RIPA s.43(1A): no urgent oral authorisations for local authorities"

    /// The central record's rows.
    ///
    /// - Parameters:
    ///   - cases: every case in the register, in any order.
    ///   - from: the first date given to include (inclusive), or nil for no lower bound.
    ///   - to: the last date given to include (inclusive), or nil for no upper bound.
    ///   - timeZone: the pack's time zone (Europe/London): dates and times are written in it,
    ///     and the date given is the civil date of the grant there.
    ///   - time: the moment the record is drawn up as at (defaults to now): only events
    ///     recorded by then appear, and field 11 says where a case without a cancellation
    ///     stands then ("active", "expired without cancellation").
    /// - Returns: one row per case the authorising officer granted by `time` (whatever the JP
    ///   then decided), whose date given lies in `[from, to]`, in URN order (type prefix, year,
    ///   number).
    public static func rows(
        _ cases: [Authorisation], from: CivilDate?, to: CivilDate?, timeZone: TimeZone, at time: EntryTime = .now()
    ) -> [CentralRecordRow] {
        cases
            .compactMap { row(for: $0, timeZone: timeZone, at: time) }
            .filter { row in
                (from.map { row.dateGiven >= $0 } ?? true) && (to.map { row.dateGiven <= $0 } ?? true)
            }
            .sorted { URN.areInIncreasingOrder($0.urn, $1.urn) }
    }

    /// The row for one case as at `time`, or nil when it was not granted by then (still applied
    /// for, or refused by the authorising officer: such applications are counted by
    /// `RecordStatistics`, not recorded here).
    public static func row(for authorisation: Authorisation, timeZone: TimeZone, at time: EntryTime = .now()) -> CentralRecordRow? {
        guard let decision = authorisation.decision, decision.granted, decision.at <= time else { return nil }
        func day(_ instant: EntryTime) -> CivilDate { CivilDate.containing(instant.date, in: timeZone) }
        func officer(_ officer: Authorisation.Officer) -> CentralRecordRow.Officer {
            CentralRecordRow.Officer(userID: officer.userID, name: officer.name, rank: officer.rank)
        }
        func judicial(_ judicial: Authorisation.Judicial?) -> CentralRecordRow.JudicialApproval? {
            judicial.flatMap { $0.recordedAt <= time ? $0 : nil }.map {
                CentralRecordRow.JudicialApproval(
                    court: $0.court, magistrate: $0.magistrate, decision: $0.decision, dateTime: dateTime($0.decidedAt, in: timeZone),
                    recordedBy: $0.recorder.map(officer), order: $0.order)
            }
        }
        let application = authorisation.application
        let grant = authorisation.periods.first { !$0.renewal }
        let renewals = authorisation.periods.filter { $0.renewal && $0.grantedAt <= time }.map { period in
            let approval = judicial(period.judicial)
            return CentralRecordRow.Renewal(
                date: day(period.grantedAt), officer: officer(period.officer), judicialApproval: approval,
                firstDay: approval?.decision == .approved ? period.firstDay : nil,
                lastDay: approval?.decision == .approved ? period.lastDay : nil)
        }
        return CentralRecordRow(
            type: authorisation.type,
            dateGiven: day(decision.at),
            authorisingOfficer: officer(decision.officer),
            urn: authorisation.urn,
            investigation: CentralRecordRow.Investigation(
                operation: application.operation, purpose: application.purpose, subjects: application.subjects.map(\.name)),
            judicialApproval: judicial(grant?.judicial),
            reviews: authorisation.reviews.filter { $0.at <= time }.map { day($0.at) },
            renewals: renewals,
            confidentialInformationLikely: application.confidentialInformationLikely,
            authorisingOfficerDirectlyInvolved: decision.directlyInvolved ?? false,
            cancellation: cancellation(of: authorisation, timeZone: timeZone, at: time),
            urgency: urgency)
    }

    /// Field 11: the cancellation as recorded by `time`, or where the case stands without one.
    static func cancellation(of authorisation: Authorisation, timeZone: TimeZone, at time: EntryTime) -> CentralRecordRow.Cancellation {
        let state = authorisation.state(at: time)
        let expires = authorisation.approvedPeriods(at: time).last?.lastDay
        if let cancellation = authorisation.cancellation, cancellation.at <= time {
            let date = CivilDate.containing(cancellation.at.date, in: timeZone)
            let ceased = dateTime(cancellation.ceasedAt, in: timeZone)
            var text = "\(date)"
            if cancellation.afterExpiry { text += ", after expiry" + (expires.map { " on \($0)" } ?? "") }
            text += " (instruction to cease \(ceased))"
            return CentralRecordRow.Cancellation(
                state: state, date: date, ceasedAt: ceased, afterExpiry: cancellation.afterExpiry,
                expiredWithoutCancellation: false, expires: expires, text: text)
        }
        let text: String
        switch state {
        case .active: text = "not cancelled: active" + (expires.map { " until \($0)" } ?? "")
        case .expired: text = "expired without cancellation" + (expires.map { " on \($0)" } ?? "")
        case .grantedAwaitingApproval: text = "not cancelled: awaiting judicial approval"
        case .refused:
            let recorded = authorisation.periods.compactMap { period in
                period.judicial.flatMap { $0.recordedAt <= time ? (renewal: period.renewal, judicial: $0) : nil }
            }
            if let quash = recorded.first(where: { $0.renewal && $0.judicial.decision == .quashed }) {
                // RIPA s.32B: refusing a renewal, the JP may quash the authorisation itself.
                let date = CivilDate.containing(quash.judicial.decidedAt.date, in: timeZone)
                text = "ended \(date): quashed by the justice of the peace on refusing its renewal"
            } else if recorded.first(where: { !$0.renewal })?.judicial.decision == .quashed {
                text = "never in effect: refused and quashed by the justice of the peace"
            } else {
                text = "never in effect: judicial approval refused"
            }
        case .applied: text = "not yet granted at the time of this record"
        case .cancelled: text = "cancelled"  // unreachable: a cancellation by `time` is handled above
        }
        return CentralRecordRow.Cancellation(
            state: state, date: nil, ceasedAt: nil, afterExpiry: false, expiredWithoutCancellation: state == .expired,
            expires: expires, text: text)
    }

    /// An instant as `YYYY-MM-DD HH:MM` in `timeZone` (British Summer Time included for
    /// Europe/London), the form the record uses for every date and time.
    public static func dateTime(_ time: EntryTime, in timeZone: TimeZone) -> String {
        let parts = CivilDate.calendar(in: timeZone).dateComponents([.year, .month, .day, .hour, .minute], from: time.date)
        let date = CivilDate(year: parts.year!, month: parts.month!, day: parts.day!)!
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(date) \(two(parts.hour!)):\(two(parts.minute!))"
    }
}
