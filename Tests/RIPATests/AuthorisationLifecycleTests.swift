import Foundation
import Ledger
import Testing

@testable import RIPA

/// The shipped pack, found from this file: Tests/RIPATests/<file> is two folders below the root.
enum LifecycleFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let policyPaths = ["england-wales-local-authority.yaml", "offences.yaml"].map { root.appendingPathComponent("Policies/" + $0).path }

    static func policy() throws -> Policy { try PolicyLoader.load(paths: policyPaths) }

    static func time(_ text: String) -> EntryTime {
        guard let time = try? EntryTime(parsing: text) else { fatalError("bad time in test: \(text)") }
        return time
    }

    static func day(_ text: String) -> CivilDate {
        guard let date = CivilDate(parsing: text) else { fatalError("bad date in test: \(text)") }
        return date
    }

    static let mo = Authorisation.Officer(userID: "mo", name: "Mo Officer", rank: "Director of Law")

    /// An accepted application of `type`, applied for by `ivan` at `at`.
    static func applied(_ type: AuthorisationType = .directedSurveillance, requestedMonths: Int? = nil, at: String, policy: Policy) throws -> Authorisation {
        let application = Application(
            type: type, operation: "Op Test", purpose: "To detect fraud", subjects: [Subject(name: "Sam Subject")],
            offences: ["fraud-act-2006-s1"], necessity: "Needed", proportionality: "Limited", collateralIntrusion: "Minimal",
            confidentialInformationLikely: false, team: ["ivan"], requestedDurationMonths: requestedMonths)
        let threshold = try SeriousCrimeThreshold.evaluate(type: type, offenceIDs: application.offences, policy: policy)
        let submission = ApplicationSubmission(urn: "\(type.urnPrefix)-2026-0001", application: application, threshold: threshold, policyHash: "test")
        return Authorisation(submission: submission, applicant: "ivan", at: time(at))
    }

    /// Granted at `grantedAt`, approved by a JP at `approvedAt` (recorded at the same moment).
    static func approved(
        _ type: AuthorisationType = .directedSurveillance, requestedMonths: Int? = nil, grantedAt: String, approvedAt: String, policy: Policy
    ) throws -> Authorisation {
        var a = try applied(type, requestedMonths: requestedMonths, at: grantedAt, policy: policy)
        try a.grant(grant(a.urn), by: mo, headOfPaidService: false, at: time(grantedAt))
        try a.recordJudicial(judicial(a.urn, at: approvedAt), by: "ivan", at: time(approvedAt), rules: policy.rules)
        return a
    }

    static func grant(_ urn: String) -> GrantDecision {
        GrantDecision(urn: urn, reasons: "Necessary and proportionate", reviewIntervalDays: 28, firstReview: day("2026-02-01"), directlyInvolved: false)
    }

    static func judicial(_ urn: String, _ decision: JudicialOutcome = .approved, at: String) -> JudicialDecision {
        JudicialDecision(urn: urn, decision: decision, court: "Anytown Magistrates' Court", magistrate: "J. Bench JP", decidedAt: time(at))
    }

    static func renewal(_ urn: String) -> RenewalRecord {
        RenewalRecord(urn: urn, changes: "New workplace", valueSoFar: "Two sightings", reasons: "Still necessary")
    }

    static func plus(_ time: EntryTime, ms: Int64) -> EntryTime {
        EntryTime(millisecondsSince1970: time.millisecondsSince1970 + ms)
    }
}

/// Expiry through the lifecycle (RIPA s.43(3) as RIPA.md §2 reads it): the period is the
/// calendar months beginning with the day of the JP's approval, ending the day before the
/// corresponding date (or with the month that has none), at 23:59:59.999 Europe/London.
@Suite struct AuthorisationLifecycleTests {
    typealias F = LifecycleFixture

    @Test(
        "approval day → last day and the expiry instant (month ends, leap years, BST and GMT)",
        arguments: [
            // (type, JP approval (UTC), first day, last day, expires at (UTC))
            (AuthorisationType.directedSurveillance, "2027-11-30T10:00:00.000Z", "2027-11-30", "2028-02-29", "2028-02-29T23:59:59.999Z"),  // no 30 Feb 2028 (leap): its last day
            (.directedSurveillance, "2027-11-29T10:00:00.000Z", "2027-11-29", "2028-02-28", "2028-02-28T23:59:59.999Z"),  // 29 Feb 2028 exists: the day before
            (.directedSurveillance, "2027-12-01T10:00:00.000Z", "2027-12-01", "2028-02-29", "2028-02-29T23:59:59.999Z"),
            (.directedSurveillance, "2026-11-30T10:00:00.000Z", "2026-11-30", "2027-02-28", "2027-02-28T23:59:59.999Z"),  // no 30 Feb 2027
            (.directedSurveillance, "2026-11-28T10:00:00.000Z", "2026-11-28", "2027-02-27", "2027-02-27T23:59:59.999Z"),
            (.directedSurveillance, "2026-01-31T10:00:00.000Z", "2026-01-31", "2026-04-30", "2026-04-30T22:59:59.999Z"),  // no 31 April; BST
            (.directedSurveillance, "2026-05-31T10:00:00.000Z", "2026-05-31", "2026-08-30", "2026-08-30T22:59:59.999Z"),
            (.directedSurveillance, "2026-12-31T10:00:00.000Z", "2026-12-31", "2027-03-30", "2027-03-30T22:59:59.999Z"),  // across the year; BST from 28 Mar 2027
            // The clock changes: BST begins 29 March 2026 and ends 25 October 2026.
            (.directedSurveillance, "2025-12-29T10:00:00.000Z", "2025-12-29", "2026-03-28", "2026-03-28T23:59:59.999Z"),  // last GMT day
            (.directedSurveillance, "2025-12-30T10:00:00.000Z", "2025-12-30", "2026-03-29", "2026-03-29T22:59:59.999Z"),  // the 23-hour day ends in BST
            (.directedSurveillance, "2026-07-25T10:00:00.000Z", "2026-07-25", "2026-10-24", "2026-10-24T22:59:59.999Z"),  // last BST day
            (.directedSurveillance, "2026-07-26T10:00:00.000Z", "2026-07-26", "2026-10-25", "2026-10-25T23:59:59.999Z"),  // the 25-hour day ends in GMT
            // An approval at 00:30 BST counts from that London day, not the UTC one.
            (.directedSurveillance, "2026-06-30T23:30:00.000Z", "2026-07-01", "2026-09-30", "2026-09-30T22:59:59.999Z"),
            (.directedSurveillance, "2026-03-31T23:59:59.999Z", "2026-04-01", "2026-06-30", "2026-06-30T22:59:59.999Z"),
            (.chis, "2026-12-31T10:00:00.000Z", "2026-12-31", "2027-12-30", "2027-12-30T23:59:59.999Z"),
            (.chis, "2028-02-29T10:00:00.000Z", "2028-02-29", "2029-02-28", "2029-02-28T23:59:59.999Z"),  // from a leap day
            (.juvenileCHIS, "2026-10-31T10:00:00.000Z", "2026-10-31", "2027-02-28", "2027-02-28T23:59:59.999Z"),
            (.juvenileCHIS, "2027-10-31T10:00:00.000Z", "2027-10-31", "2028-02-29", "2028-02-29T23:59:59.999Z"),
        ])
    func expiry(type: AuthorisationType, approvedAt: String, firstDay: String, lastDay: String, expiresAt: String) throws {
        let policy = try F.policy()
        let a = try F.approved(type, grantedAt: "2025-01-01T00:00:00.000Z", approvedAt: approvedAt, policy: policy)
        let period = try #require(a.periods.first)
        #expect(period.firstDay == F.day(firstDay))
        #expect(period.lastDay == F.day(lastDay))
        #expect(period.expiresAt == F.time(expiresAt))
        // And the rule itself, stated independently of AuthorisationPeriod: the corresponding
        // date N months on, minus a day; or, where that month is too short, its last day.
        let first = F.day(firstDay)
        let months = policy.rules.durations.months(for: type)
        let target = (first.month - 1 + months)
        let (year, month) = (first.year + target / 12, target % 12 + 1)
        let expected = CivilDate(year: year, month: month, day: first.day)?.adding(days: -1)
            ?? CivilDate(year: year, month: month, day: CivilDate.daysInMonth(year: year, month: month))!
        #expect(period.lastDay == expected)
        // The offset of the expiry instant is the London offset on the last day.
        let offsetHours = TimeZone(identifier: "Europe/London")!.secondsFromGMT(for: F.time(expiresAt).date) / 3600
        #expect(expiresAt.hasPrefix("\(lastDay)T\(offsetHours == 1 ? "22" : "23"):59:59.999Z"))

        // state(at:) either side of the last millisecond.
        let end = try #require(a.expiresAt(at: F.time(expiresAt)))
        #expect(end == F.time(expiresAt))
        #expect(a.state(at: F.plus(end, ms: -1)) == .active)
        #expect(a.state(at: end) == .active)
        #expect(a.state(at: F.plus(end, ms: 1)) == .expired)
        #expect(a.isLive(at: end) && !a.isLive(at: F.plus(end, ms: 1)))
        // Before the approval was recorded it was granted and awaiting a JP.
        #expect(a.state(at: F.plus(F.time(approvedAt), ms: -1)) == .grantedAwaitingApproval)
        #expect(a.state(at: F.time(approvedAt)) == .active)
    }

    @Test("the state at every step, and not before an event was recorded")
    func statesThroughTheLifecycle() throws {
        let policy = try F.policy()
        var a = try F.applied(at: "2026-01-10T09:00:00.000Z", policy: policy)
        #expect(a.state(at: F.time("2026-01-10T09:00:00.000Z")) == .applied)
        try a.grant(F.grant(a.urn), by: F.mo, headOfPaidService: false, at: F.time("2026-01-12T10:00:00.000Z"))
        #expect(a.state(at: F.time("2026-01-12T09:59:59.999Z")) == .applied)
        #expect(a.state(at: F.time("2026-01-12T10:00:00.000Z")) == .grantedAwaitingApproval)
        // The JP decided at 10:30 but it was recorded at 11:00: nothing may rely on it before.
        try a.recordJudicial(F.judicial(a.urn, at: "2026-01-14T10:30:00.000Z"), by: "ivan", at: F.time("2026-01-14T11:00:00.000Z"), rules: policy.rules)
        #expect(a.state(at: F.time("2026-01-14T10:45:00.000Z")) == .grantedAwaitingApproval)
        #expect(a.state(at: F.time("2026-01-14T11:00:00.000Z")) == .active)
        #expect(a.expiresAt(at: F.time("2026-01-14T10:45:00.000Z")) == nil)
        var early = a
        let tooEarly = #expect(throws: RIPAError.self) {
            try early.cancel(CancellationRecord(urn: a.urn, reason: "Done", valueObtained: "Some", ceasedAt: F.time("2026-01-12T09:59:59.999Z")), by: F.mo, at: F.time("2026-02-01T09:00:00.000Z"))
        }
        #expect(tooEarly?.message.contains("cannot be before the grant") == true)
        try a.cancel(CancellationRecord(urn: a.urn, reason: "Done", valueObtained: "Some", ceasedAt: F.time("2026-02-01T08:00:00.000Z")), by: F.mo, at: F.time("2026-02-01T09:00:00.000Z"))
        #expect(a.state(at: F.time("2026-02-01T08:59:59.999Z")) == .active)
        #expect(a.state(at: F.time("2026-02-01T09:00:00.000Z")) == .cancelled)
        #expect(a.state(at: F.time("2026-06-01T00:00:00.000Z")) == .cancelled, "cancelled, not expired")
        #expect(a.cancellation?.afterExpiry == false)
    }

    @Test("a renewal runs on from the end of the old period, whenever it was approved", arguments: [
        // (JP approval of the grant, old last day, renewal approved at, new first day, new last day, new expiry)
        ("2026-01-14T10:00:00.000Z", "2026-04-13", "2026-04-08T10:00:00.000Z", "2026-04-14", "2026-07-13", "2026-07-13T22:59:59.999Z"),
        ("2026-01-14T10:00:00.000Z", "2026-04-13", "2026-02-01T10:00:00.000Z", "2026-04-14", "2026-07-13", "2026-07-13T22:59:59.999Z"),  // early: still runs on
        ("2026-01-14T10:00:00.000Z", "2026-04-13", "2026-04-13T22:59:59.999Z", "2026-04-14", "2026-07-13", "2026-07-13T22:59:59.999Z"),  // the last millisecond
        ("2025-11-30T10:00:00.000Z", "2026-02-28", "2026-02-20T10:00:00.000Z", "2026-03-01", "2026-05-31", "2026-05-31T22:59:59.999Z"),  // across February
        ("2027-11-29T10:00:00.000Z", "2028-02-28", "2028-02-20T10:00:00.000Z", "2028-02-29", "2028-05-28", "2028-05-28T22:59:59.999Z"),  // from a leap day
        ("2026-07-26T10:00:00.000Z", "2026-10-25", "2026-10-20T10:00:00.000Z", "2026-10-26", "2027-01-25", "2027-01-25T23:59:59.999Z"),  // BST → GMT
    ])
    func renewal(grantApproved: String, oldLast: String, renewalApproved: String, newFirst: String, newLast: String, newExpiry: String) throws {
        let policy = try F.policy()
        var a = try F.approved(grantedAt: "2025-01-01T00:00:00.000Z", approvedAt: grantApproved, policy: policy)
        #expect(a.periods[0].lastDay == F.day(oldLast))
        let oldEnd = try #require(a.periods[0].expiresAt)
        // Renewed just after approval of the grant, so always before expiry.
        let renewedAt = F.plus(F.time(grantApproved), ms: 60_000)
        try a.renew(F.renewal(a.urn), by: F.mo, headOfPaidService: false, at: renewedAt)
        #expect(a.pendingRenewal != nil)
        #expect(a.expiresAt(at: renewedAt) == oldEnd, "a renewal awaiting its JP changes nothing")
        try a.recordJudicial(F.judicial(a.urn, at: renewalApproved), by: "mo", at: F.time(renewalApproved), rules: policy.rules)
        #expect(a.pendingRenewal == nil)
        let renewal = a.periods[1]
        #expect(renewal.renewal)
        #expect(renewal.firstDay == F.day(newFirst))
        #expect(renewal.lastDay == F.day(newLast))
        #expect(renewal.expiresAt == F.time(newExpiry))
        #expect(a.periods[0].lastDay == F.day(oldLast), "the old period is kept as it was")
        #expect(renewal.firstDay == a.periods[0].lastDay?.adding(days: 1))
        #expect(a.state(at: F.plus(oldEnd, ms: 1)) == .active)
        #expect(a.state(at: F.time(newExpiry)) == .active)
        #expect(a.state(at: F.plus(F.time(newExpiry), ms: 1)) == .expired)
        // A second renewal chains on again.
        let secondAt = F.plus(F.time(renewalApproved), ms: 60_000)
        try a.renew(F.renewal(a.urn), by: F.mo, headOfPaidService: false, at: secondAt)
        try a.recordJudicial(F.judicial(a.urn, at: secondAt.description), by: "mo", at: secondAt, rules: policy.rules)
        #expect(a.periods[2].firstDay == F.day(newLast).adding(days: 1))
        #expect(a.periods[2].lastDay == AuthorisationPeriod.lastDay(beginningOn: F.day(newLast).adding(days: 1), months: 3))
    }

    @Test("renewal only before expiry, and its approval only before expiry")
    func renewalAfterExpiry() throws {
        let policy = try F.policy()
        var a = try F.approved(grantedAt: "2026-01-13T10:00:00.000Z", approvedAt: "2026-01-14T10:00:00.000Z", policy: policy)
        let end = F.time("2026-04-13T22:59:59.999Z")
        var late = a
        let error = #expect(throws: RIPAError.self) { try late.renew(F.renewal(a.urn), by: F.mo, headOfPaidService: false, at: F.plus(end, ms: 1)) }
        #expect(error?.code == .wrongState)
        #expect(error?.message.contains("expired at 2026-04-13T22:59:59.999Z") == true)
        #expect(throws: RIPAError.self) {
            try late.review(ReviewRecord(urn: a.urn, findings: "x", stillNecessary: true, nextReview: F.day("2026-05-01")), by: F.mo, at: F.plus(end, ms: 1), rules: policy.rules)
        }
        var lastMoment = a
        try lastMoment.renew(F.renewal(a.urn), by: F.mo, headOfPaidService: false, at: end)
        #expect(lastMoment.pendingRenewal != nil, "renewal at the last millisecond is still before expiry")
        try a.renew(F.renewal(a.urn), by: F.mo, headOfPaidService: false, at: F.time("2026-04-13T12:00:00.000Z"))
        var approvedLate = a
        #expect(throws: RIPAError.self) {
            try approvedLate.recordJudicial(F.judicial(a.urn, at: "2026-04-13T23:00:00.000Z"), by: "mo", at: F.time("2026-04-14T09:00:00.000Z"), rules: policy.rules)
        }
        #expect(approvedLate == a, "a refused step changes nothing")
        // A JP who decided in time may be recorded after the old end.
        try a.recordJudicial(F.judicial(a.urn, at: "2026-04-13T16:00:00.000Z"), by: "mo", at: F.time("2026-04-14T09:00:00.000Z"), rules: policy.rules)
        #expect(a.periods[1].firstDay == F.day("2026-04-14"))
        // Between the old end and the late record, the case was expired; then active again.
        #expect(a.state(at: F.time("2026-04-14T08:00:00.000Z")) == .expired)
        #expect(a.state(at: F.time("2026-04-14T09:00:00.000Z")) == .active)
    }

    @Test("a requested shorter duration is honoured; a longer one (the register refuses it at application) is capped", arguments: [
        // (type, requested months, JP approval, last day)
        (AuthorisationType.directedSurveillance, 1, "2026-01-31T10:00:00.000Z", "2026-02-28"),
        (.directedSurveillance, 2, "2026-01-14T10:00:00.000Z", "2026-03-13"),
        (.directedSurveillance, 3, "2026-01-14T10:00:00.000Z", "2026-04-13"),
        (.directedSurveillance, 6, "2026-01-14T10:00:00.000Z", "2026-04-13"),
        (.chis, 6, "2027-08-31T10:00:00.000Z", "2028-02-29"),
        (.chis, 24, "2027-08-31T10:00:00.000Z", "2028-08-30"),
        (.juvenileCHIS, 1, "2028-01-30T10:00:00.000Z", "2028-02-29"),
        (.juvenileCHIS, 12, "2028-01-30T10:00:00.000Z", "2028-05-29"),
    ])
    func requestedDuration(type: AuthorisationType, months: Int, approvedAt: String, lastDay: String) throws {
        let policy = try F.policy()
        var a = try F.approved(type, requestedMonths: months, grantedAt: "2025-01-01T00:00:00.000Z", approvedAt: approvedAt, policy: policy)
        #expect(a.periods[0].lastDay == F.day(lastDay))
        // A renewal runs for the statutory period (s.43(3)), whatever the grant asked for.
        let at = F.plus(F.time(approvedAt), ms: 60_000)
        if type != .directedSurveillance {
            // A CHIS renewal needs a review since the grant (RIPA s.43(6A)).
            let review = ReviewRecord(urn: a.urn, findings: "Tasked twice", stillNecessary: true, nextReview: F.day(String(approvedAt.prefix(10))).adding(days: 7))
            try a.review(review, by: F.mo, at: F.plus(F.time(approvedAt), ms: 30_000), rules: policy.rules)
        }
        try a.renew(F.renewal(a.urn), by: F.mo, headOfPaidService: false, at: at)
        try a.recordJudicial(F.judicial(a.urn, at: at.description), by: "mo", at: at, rules: policy.rules)
        let statutory = policy.rules.durations.months(for: type)
        #expect(a.periods[1].lastDay == AuthorisationPeriod.lastDay(beginningOn: F.day(lastDay).adding(days: 1), months: statutory))
    }

    @Test("the first review must fall after the day of the grant, in London", arguments: [
        // (granted at (UTC), first review, allowed)
        ("2026-01-12T10:00:00.000Z", "2026-01-13", true),
        ("2026-01-12T10:00:00.000Z", "2026-01-12", false),
        ("2026-01-12T10:00:00.000Z", "2025-12-01", false),
        ("2026-06-30T23:30:00.000Z", "2026-07-01", false),  // 00:30 BST on 1 July: that is the grant's day
        ("2026-06-30T22:30:00.000Z", "2026-07-01", true),
    ])
    func firstReview(grantedAt: String, firstReview: String, allowed: Bool) throws {
        let policy = try F.policy()
        let a = try F.applied(at: grantedAt, policy: policy)
        var body = F.grant(a.urn)
        body.firstReview = F.day(firstReview)
        if allowed {
            try a.requireFirstReview(body, at: F.time(grantedAt), rules: policy.rules)
        } else {
            let error = #expect(throws: RIPAError.self) { try a.requireFirstReview(body, at: F.time(grantedAt), rules: policy.rules) }
            #expect(error?.code == .badInput)
        }
    }

    @Test("a JP's refusal or quashing: refused, with no period", arguments: [JudicialOutcome.refused, .quashed])
    func judicialRefusal(outcome: JudicialOutcome) throws {
        let policy = try F.policy()
        var a = try F.applied(at: "2026-01-10T09:00:00.000Z", policy: policy)
        try a.grant(F.grant(a.urn), by: F.mo, headOfPaidService: false, at: F.time("2026-01-12T10:00:00.000Z"))
        try a.recordJudicial(F.judicial(a.urn, outcome, at: "2026-01-14T10:00:00.000Z"), by: "ivan", at: F.time("2026-01-14T10:00:00.000Z"), rules: policy.rules)
        #expect(a.state(at: F.time("2026-01-14T10:00:00.000Z")) == .refused)
        #expect(a.periods[0].expiresAt == nil && a.periods[0].lastDay == nil)
        #expect(a.expiresAt(at: F.time("2030-01-01T00:00:00.000Z")) == nil)
        #expect(throws: RIPAError.self) {
            try a.recordJudicial(F.judicial(a.urn, at: "2026-01-15T10:00:00.000Z"), by: "ivan", at: F.time("2026-01-15T10:00:00.000Z"), rules: policy.rules)
        }
        #expect(throws: RIPAError.self) {
            try a.cancel(CancellationRecord(urn: a.urn, reason: "x", valueObtained: "x", ceasedAt: F.time("2026-01-15T10:00:00.000Z")), by: F.mo, at: F.time("2026-01-15T10:00:00.000Z"))
        }
    }

    @Test("a renewal refused and quashed by the JP ends the authorisation when the order is recorded (RIPA s.32B)")
    func renewalQuashed() throws {
        let policy = try F.policy()
        var a = try F.approved(grantedAt: "2026-01-13T10:00:00.000Z", approvedAt: "2026-01-14T10:00:00.000Z", policy: policy)
        try a.renew(F.renewal(a.urn), by: F.mo, headOfPaidService: false, at: F.time("2026-04-01T10:00:00.000Z"))
        try a.recordJudicial(F.judicial(a.urn, .quashed, at: "2026-04-02T09:00:00.000Z"), by: "mo", at: F.time("2026-04-02T10:00:00.000Z"), rules: policy.rules)
        #expect(a.state(at: F.time("2026-04-02T09:59:59.999Z")) == .active)
        #expect(a.state(at: F.time("2026-04-02T10:00:00.000Z")) == .refused)
        #expect(a.state(at: F.time("2026-04-10T10:00:00.000Z")) == .refused, "not active until the old period's end")
        #expect(!a.isLive(at: F.time("2026-04-10T10:00:00.000Z")))
        var again = a
        #expect(throws: RIPAError.self) { try again.renew(F.renewal(a.urn), by: F.mo, headOfPaidService: false, at: F.time("2026-04-03T10:00:00.000Z")) }
        #expect(throws: RIPAError.self) {
            try again.review(ReviewRecord(urn: a.urn, findings: "x", stillNecessary: true, nextReview: F.day("2026-05-01")), by: F.mo, at: F.time("2026-04-03T10:00:00.000Z"), rules: policy.rules)
        }
    }

    @Test("a renewal refused by the JP leaves the old period to run out")
    func renewalRefused() throws {
        let policy = try F.policy()
        var a = try F.approved(grantedAt: "2026-01-13T10:00:00.000Z", approvedAt: "2026-01-14T10:00:00.000Z", policy: policy)
        try a.renew(F.renewal(a.urn), by: F.mo, headOfPaidService: false, at: F.time("2026-04-01T10:00:00.000Z"))
        try a.recordJudicial(F.judicial(a.urn, .refused, at: "2026-04-02T10:00:00.000Z"), by: "mo", at: F.time("2026-04-02T10:00:00.000Z"), rules: policy.rules)
        #expect(a.state(at: F.time("2026-04-13T22:59:59.999Z")) == .active)
        #expect(a.state(at: F.time("2026-04-13T23:00:00.000Z")) == .expired)
        #expect(a.pendingRenewal == nil)
        // It may be renewed again while still in force.
        try a.renew(F.renewal(a.urn), by: F.mo, headOfPaidService: false, at: F.time("2026-04-03T10:00:00.000Z"))
        #expect(a.pendingRenewal != nil)
    }
}
