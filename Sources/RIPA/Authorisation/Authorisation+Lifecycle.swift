import Foundation
import Ledger

/// The rules of each step (RIPA.md §2–3). Each check throws a `RIPAError` citing its
/// source; `Casework` calls these both when a step is taken and when `verify --replay`
/// re-runs it, so the rule lives here only.
extension Authorisation {
    /// A newly accepted application.
    init(submission: ApplicationSubmission, applicant: String, at time: EntryTime) {
        self.init(
            urn: submission.urn, applicant: applicant, appliedAt: time, application: submission.application,
            threshold: submission.threshold, policyHash: submission.policyHash, decision: nil, periods: [], reviews: [],
            cancellation: nil)
    }

    /// The authorising officer should not be involved in the investigation (RIPA.md §3).
    func requireIndependent(_ officer: Officer, acting: String) throws(RIPAError) {
        if officer.userID == applicant {
            throw RIPAError(.separationOfDuties, "\(officer.userID) applied for \(urn) and may not \(acting) it: the authorising officer must not authorise their own application (Code of Practice 2018 para 5.8; RIPA.md §3)")
        }
        if application.team.contains(officer.userID) {
            throw RIPAError(.separationOfDuties, "\(officer.userID) is on the team of \(urn) and may not \(acting) it: the authorising officer should not be involved in the investigation (RIPA.md §3)")
        }
    }

    /// Where confidential information is likely, only the head of paid service may authorise.
    func requireConfidentialAuthority(_ officer: Officer, headOfPaidService: Bool, acting: String) throws(RIPAError) {
        if application.confidentialInformationLikely && !headOfPaidService {
            throw RIPAError(.separationOfDuties, "\(urn) is likely to obtain confidential or journalistic material, so only the head of paid service may \(acting) it (Code of Practice 2018 para 9.3; RIPA.md §3)")
        }
    }

    func requireState(_ allowed: [AuthorisationState], at time: EntryTime, to acting: String) throws(RIPAError) {
        let current = state(at: time)
        guard allowed.contains(current) else {
            var why = "\(urn) is \(current.rawValue)"
            if current == .expired, let end = expiresAt(at: time) { why += " (it expired at \(end))" }
            throw RIPAError(.wrongState, "cannot \(acting) \(urn): \(why); only a case that is \(allowed.map(\.rawValue).joined(separator: " or ")) can be")
        }
    }

    mutating func grant(_ body: GrantDecision, by officer: Officer, headOfPaidService: Bool, at time: EntryTime) throws(RIPAError) {
        try requireState([.applied], at: time, to: "grant")
        try requireIndependent(officer, acting: "grant")
        try requireConfidentialAuthority(officer, headOfPaidService: headOfPaidService, acting: "authorise")
        guard body.reviewIntervalDays >= 1 else { throw RIPAError(.badInput, "the review interval must be at least 1 day") }
        try InputLimits.require(body.reviewIntervalDays, in: InputLimits.reviewIntervalDays, "the review interval", field: "review_interval", unit: "days")
        try TextField.check(body.reasons, "reasons", .multiLine)
        guard !body.reasons.isBlank else {
            throw RIPAError(.badInput, "give the written reasons for the grant", reason: .inputMissing, values: ["field": "reasons"])
        }
        decision = Decision(
            granted: true, officer: officer, at: time, reasons: body.reasons, reviewIntervalDays: body.reviewIntervalDays,
            firstReview: body.firstReview, directlyInvolved: body.directlyInvolved)
        periods = [Period(renewal: false, grantedAt: time, officer: officer)]
    }

    /// The first review must fall after the day of the grant (Europe/London), as every later
    /// review date must fall after the day of its review: a date already past would make the
    /// authorisation overdue for review before it took effect.
    ///
    /// The interval is the pack's default or, where the pack lets the officer shorten it
    /// (`reviews.officer_may_shorten`), a shorter one; never a longer one. The first review
    /// falls within that interval of the day of the grant: a date further off would lengthen
    /// the interval by the back door.
    func requireFirstReview(_ body: GrantDecision, at time: EntryTime, rules: PolicyRules) throws(RIPAError) {
        try Self.requireReviewInterval(body.reviewIntervalDays, rules: rules)
        let today = CivilDate.containing(time.date, in: rules.zone)
        guard body.firstReview > today else {
            throw RIPAError(.badInput, "the first review date \(body.firstReview) must be after the day of the grant (\(today))")
        }
        let latest = today.adding(days: body.reviewIntervalDays)
        guard body.firstReview <= latest else {
            throw RIPAError(.badInput, "the first review date \(body.firstReview) is later than the review interval allows: at most \(body.reviewIntervalDays) days after the day of the grant (\(today)), so \(latest) at the latest")
        }
    }

    /// An officer may set a review interval shorter than the pack's default only where the pack
    /// says so, and never a longer one (RIPA.md §2: reviews at intervals the authorising officer
    /// sets within the council's policy).
    static func requireReviewInterval(_ days: Int, rules: PolicyRules) throws(RIPAError) {
        let reviews = rules.reviews
        guard days >= 1 else { throw RIPAError(.badInput, "the review interval must be at least 1 day") }
        if days > reviews.defaultIntervalDays {
            throw RIPAError(.badInput, "a review interval of \(days) days is longer than the \(reviews.defaultIntervalDays) days the policy pack in force sets (reviews.default_interval_days); an officer may not lengthen it [\(reviews.source)]")
        }
        if days < reviews.defaultIntervalDays, !reviews.mayShorten {
            throw RIPAError(.badInput, "a review interval of \(days) days is shorter than the pack's \(reviews.defaultIntervalDays) days, and the policy pack in force does not let an officer shorten it (reviews.officer_may_shorten) [\(reviews.source)]")
        }
    }

    mutating func refuse(_ body: RefusalDecision, by officer: Officer, at time: EntryTime) throws(RIPAError) {
        try requireState([.applied], at: time, to: "refuse")
        try requireIndependent(officer, acting: "refuse")
        guard !body.reasons.isBlank else {
            throw RIPAError(.badInput, "give the reasons for the refusal", reason: .inputMissing, values: ["field": "reasons"])
        }
        try TextField.check(body.reasons, "reasons", .multiLine)
        decision = Decision(granted: false, officer: officer, at: time, reasons: body.reasons)
    }

    /// Who may record a JP's decision: the applicant, a member of the case's team, or a
    /// monitoring officer (RIPA.md §3) — not any investigator, so no one outside the case can
    /// put an invented magistrate's approval on it.
    func requireJudicialRecorder(_ recorder: Officer, monitoringOfficer: Bool) throws(RIPAError) {
        guard isOnTeam(recorder.userID) || monitoringOfficer else {
            throw RIPAError(.separationOfDuties, "\(recorder.userID) is neither the applicant for \(urn), nor on its team, nor a monitoring officer, so may not record its JP's decision (RIPA.md §3)")
        }
    }

    /// Records a JP's decision as `recorder`, after checking they may (`requireJudicialRecorder`);
    /// the central record names them (field 6), and the JP's order, when attached, by its hash.
    mutating func recordJudicial(_ body: JudicialDecision, by recorder: Officer, monitoringOfficer: Bool, at time: EntryTime, rules: PolicyRules) throws(RIPAError) {
        try requireJudicialRecorder(recorder, monitoringOfficer: monitoringOfficer)
        if let order = body.order, order.count != 64 || !order.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
            throw RIPAError(.badInput, "the JP's order is cited as '\(order)', which is not a lower-case hex SHA-256")
        }
        try recordJudicial(body, by: recorder.userID, at: time, rules: rules)
        if let index = periods.lastIndex(where: { $0.judicial?.recordedAt == time && $0.judicial?.recordedBy == recorder.userID }) {
            periods[index].judicial?.recorder = recorder
            periods[index].judicial?.order = body.order
        }
    }

    /// Records a JP's decision on the grant or the pending renewal (RIPA s.32A). Approval
    /// sets the period: from the day of approval (the grant) or the day after the old period
    /// (a renewal), for the type's months (s.43(3)).
    mutating func recordJudicial(_ body: JudicialDecision, by recorder: String, at time: EntryTime, rules: PolicyRules) throws(RIPAError) {
        guard body.decidedAt <= time else {
            throw RIPAError(.badInput, "the JP's decision time \(body.decidedAt) is in the future: it is after this entry's time \(time); record it after the hearing")
        }
        guard let index = periods.lastIndex(where: { $0.judicial == nil }) else {
            throw RIPAError(.wrongState, "\(urn) has no grant or renewal awaiting a JP's decision (RIPA s.32A: the JP approves an authorisation already granted)")
        }
        guard periods[index].grantedAt <= body.decidedAt else {
            throw RIPAError(.badInput, "the JP's decision time \(body.decidedAt) is before the \(periods[index].renewal ? "renewal" : "grant") at \(periods[index].grantedAt); a JP approves what the authorising officer has already granted (RIPA s.32A)")
        }
        guard state(at: time) != .cancelled else {
            throw RIPAError(.wrongState, "\(urn) is cancelled")
        }
        for (field, value) in [("court", body.court), ("magistrate", body.magistrate)]
        where value.trimmingCharacters(in: .whitespaces).isEmpty {
            throw RIPAError(.badInput, "give the \(field) (central record field 6)")
        }
        try TextField.check(body.court, "court")
        try TextField.check(body.magistrate, "magistrate")
        var period = periods[index]
        if body.decision == .approved {
            // A shorter period the applicant asked for binds the grant; a renewal runs for the
            // statutory period (s.43(3)).
            let statutory = rules.durations.months(for: type)
            let months = period.renewal ? statutory : min(statutory, application.requestedDurationMonths ?? Int.max)
            let firstDay: CivilDate
            if period.renewal {
                guard let previous = periods[..<index].last(where: \.isApproved), let previousLast = previous.lastDay,
                      let previousEnd = previous.expiresAt
                else {
                    throw RIPAError(.wrongState, "\(urn) has no approved period to renew")
                }
                guard body.decidedAt <= previousEnd else {
                    throw RIPAError(.wrongState, "the renewal of \(urn) was approved at \(body.decidedAt), after the authorisation expired at \(previousEnd); renewal is only possible before expiry (RIPA s.43(3); RIPA.md §2)")
                }
                firstDay = AuthorisationPeriod.renewalFirstDay(afterLastDay: previousLast)
            } else {
                firstDay = AuthorisationPeriod.firstDay(takingEffectAt: body.decidedAt.date, rules: rules)
            }
            let lastDay = AuthorisationPeriod.lastDay(beginningOn: firstDay, months: months)
            period.firstDay = firstDay
            period.lastDay = lastDay
            period.expiresAt = EntryTime(lastDay.endOfDay(in: rules.zone))
        }
        period.judicial = Judicial(
            decision: body.decision, court: body.court, magistrate: body.magistrate, decidedAt: body.decidedAt,
            recordedAt: time, recordedBy: recorder)
        periods[index] = period
    }

    mutating func review(_ body: ReviewRecord, by officer: Officer, at time: EntryTime, rules: PolicyRules) throws(RIPAError) {
        try requireState([.active], at: time, to: "review")
        try requireIndependent(officer, acting: "review")
        guard !body.findings.isBlank else {
            throw RIPAError(.badInput, "record what the surveillance has obtained", reason: .inputMissing, values: ["field": "findings"])
        }
        try TextField.check(body.findings, "findings", .multiLine)
        let today = CivilDate.containing(time.date, in: rules.zone)
        guard body.nextReview > today else {
            throw RIPAError(.badInput, "the next review date \(body.nextReview) must be after today (\(today))")
        }
        // Within the interval the grant set: a later date would lengthen it.
        let interval = decision?.reviewIntervalDays ?? rules.reviews.defaultIntervalDays
        guard body.nextReview <= today.adding(days: interval) else {
            throw RIPAError(.badInput, "the next review date \(body.nextReview) is later than the review interval of \(urn) allows: at most \(interval) days after today (\(today)), so \(today.adding(days: interval)) at the latest")
        }
        reviews.append(Review(at: time, officer: officer, findings: body.findings, stillNecessary: body.stillNecessary, nextReview: body.nextReview))
    }

    mutating func renew(_ body: RenewalRecord, by officer: Officer, headOfPaidService: Bool, at time: EntryTime) throws(RIPAError) {
        try requireState([.active], at: time, to: "renew")
        guard pendingRenewal == nil else {
            throw RIPAError(.wrongState, "\(urn) already has a renewal awaiting a JP's decision")
        }
        try requireIndependent(officer, acting: "renew")
        try requireConfidentialAuthority(officer, headOfPaidService: headOfPaidService, acting: "renew")
        try requireReviewBeforeCHISRenewal()
        for (field, value) in [("changes", body.changes), ("value_so_far", body.valueSoFar), ("reasons", body.reasons)]
        where value.isBlank {
            throw RIPAError(
                .badInput, "a renewal needs its \(field.replacingOccurrences(of: "_", with: " ")) (RIPA.md §4: what changed, value so far)",
                reason: .inputMissing, values: ["field": field])
        }
        for (field, value) in [("changes", body.changes), ("value_so_far", body.valueSoFar), ("reasons", body.reasons)] {
            try TextField.check(value, field, .multiLine)
        }
        periods.append(Period(renewal: true, grantedAt: time, officer: officer, changes: body.changes, valueSoFar: body.valueSoFar))
    }

    /// A CHIS renewal needs a review since the grant or the last renewal that took effect:
    /// the JP may approve it only if satisfied a review has been carried out (RIPA s.43(6A),
    /// for a juvenile source too). Directed surveillance renewals are not bound by it.
    func requireReviewBeforeCHISRenewal() throws(RIPAError) {
        guard type == .chis || type == .juvenileCHIS else { return }
        guard let current = periods.last(where: { !$0.renewal || $0.isApproved }) else { return }
        guard reviews.contains(where: { $0.at > current.grantedAt }) else {
            let since = current.renewal ? "the last renewal (\(current.grantedAt))" : "the grant (\(current.grantedAt))"
            throw RIPAError(
                .wrongState, "cannot renew \(urn): no review since \(since); a JP may approve a CHIS renewal only if satisfied that a review has been carried out (RIPA s.43(6A)); review it first",
                reason: .renewalNeedsReview, values: ["urn": urn, "since": "\(since)"])
        }
    }

    mutating func cancel(_ body: CancellationRecord, by officer: Officer, at time: EntryTime) throws(RIPAError) {
        let current = state(at: time)
        guard [.grantedAwaitingApproval, .active, .expired].contains(current) else {
            throw RIPAError(.wrongState, "cannot cancel \(urn): it is \(current.rawValue)")
        }
        guard !body.reason.isBlank else {
            throw RIPAError(.badInput, "give the reason for the cancellation (RIPA s.45)", reason: .inputMissing, values: ["field": "reason"])
        }
        try TextField.check(body.reason, "reason", .multiLine)
        try TextField.check(body.valueObtained, "value_obtained", .multiLine)
        guard body.ceasedAt <= time else {
            throw RIPAError(.badInput, "the instruction to cease (\(body.ceasedAt)) cannot be later than now (this entry's time, \(time))")
        }
        if let granted = decision?.at, body.ceasedAt < granted {
            throw RIPAError(.badInput, "the instruction to cease (\(body.ceasedAt)) cannot be before the grant of \(urn) at \(granted)")
        }
        cancellation = Cancellation(
            at: time, officer: officer, reason: body.reason, valueObtained: body.valueObtained, ceasedAt: body.ceasedAt,
            afterExpiry: current == .expired)
    }
}
