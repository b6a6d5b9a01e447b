import Foundation
import Ledger

/// One case from application to cancellation: the projection the register keeps per URN,
/// built only from signed entries (`Casework`), and the rules each step must follow
/// (`Authorisation+Lifecycle.swift`).
///
/// Every event keeps the time of its entry, so the state at any past moment is computed
/// from this one document (`state(at:)`), without replaying the log.
public struct Authorisation: Sendable, Hashable, Codable {
    /// An officer as the central record names them.
    public struct Officer: Sendable, Hashable, Codable {
        /// User id.
        public var userID: String
        /// Full name.
        public var name: String
        /// Rank or grade.
        public var rank: String
        enum CodingKeys: String, CodingKey { case userID = "user_id", name, rank }
    }

    /// The authorising officer's decision on the application.
    public struct Decision: Sendable, Hashable, Codable {
        /// Granted or refused.
        public var granted: Bool
        /// Who decided.
        public var officer: Officer
        /// When.
        public var at: EntryTime
        /// Written reasons.
        public var reasons: String
        /// Review interval, for a grant.
        public var reviewIntervalDays: Int?
        /// First review date, for a grant.
        public var firstReview: CivilDate?
        /// Central record field 10.
        public var directlyInvolved: Bool?
        enum CodingKeys: String, CodingKey {
            case granted, officer, at, reasons, reviewIntervalDays = "review_interval_days", firstReview = "first_review",
                directlyInvolved = "directly_involved"
        }
    }

    /// A justice of the peace's decision as recorded.
    public struct Judicial: Sendable, Hashable, Codable {
        /// The outcome.
        public var decision: JudicialOutcome
        /// The court.
        public var court: String
        /// The magistrate.
        public var magistrate: String
        /// When the JP decided.
        public var decidedAt: EntryTime
        /// When it was recorded in the register; nothing may rely on it before.
        public var recordedAt: EntryTime
        /// Who recorded it.
        public var recordedBy: String
        /// Who recorded it, by name and rank (the central record shows them, field 6).
        public var recorder: Officer?
        /// The JP's order, by the lower-case hex SHA-256 of the document kept (Code of Practice 8.2).
        public var order: String?
        enum CodingKeys: String, CodingKey {
            case decision, court, magistrate, decidedAt = "decided_at", recordedAt = "recorded_at", recordedBy = "recorded_by",
                recorder, order
        }
    }

    /// The grant or a renewal, with its period once a JP approved it.
    public struct Period: Sendable, Hashable, Codable {
        /// False for the grant, true for a renewal.
        public var renewal: Bool
        /// When the officer granted or renewed.
        public var grantedAt: EntryTime
        /// Who.
        public var officer: Officer
        /// Renewal: what changed.
        public var changes: String?
        /// Renewal: value so far.
        public var valueSoFar: String?
        /// The JP's decision, once recorded.
        public var judicial: Judicial?
        /// First day of the period (Europe/London), once approved.
        public var firstDay: CivilDate?
        /// Last day of the period, once approved (RIPA s.43(3)).
        public var lastDay: CivilDate?
        /// The end of the last day, 23:59:59.999 Europe/London.
        public var expiresAt: EntryTime?
        enum CodingKeys: String, CodingKey {
            case renewal, grantedAt = "granted_at", officer, changes, valueSoFar = "value_so_far", judicial,
                firstDay = "first_day", lastDay = "last_day", expiresAt = "expires_at"
        }

        /// Whether a JP approved this period.
        public var isApproved: Bool { judicial?.decision == .approved }
    }

    /// A review.
    public struct Review: Sendable, Hashable, Codable {
        /// When.
        public var at: EntryTime
        /// Who.
        public var officer: Officer
        /// What was obtained.
        public var findings: String
        /// Still necessary and proportionate.
        public var stillNecessary: Bool
        /// Next review date.
        public var nextReview: CivilDate
        enum CodingKeys: String, CodingKey { case at, officer, findings, stillNecessary = "still_necessary", nextReview = "next_review" }
    }

    /// The cancellation.
    public struct Cancellation: Sendable, Hashable, Codable {
        /// When recorded.
        public var at: EntryTime
        /// Who.
        public var officer: Officer
        /// Why.
        public var reason: String
        /// Value obtained.
        public var valueObtained: String
        /// When the instruction to cease was given.
        public var ceasedAt: EntryTime
        /// Recorded only after the authorisation had already expired.
        public var afterExpiry: Bool
        enum CodingKeys: String, CodingKey {
            case at, officer, reason, valueObtained = "value_obtained", ceasedAt = "ceased_at", afterExpiry = "after_expiry"
        }
    }

    /// The unique reference number.
    public var urn: String
    /// The applicant's user id.
    public var applicant: String
    /// When the application was accepted.
    public var appliedAt: EntryTime
    /// The application.
    public var application: Application
    /// The threshold result recorded at application.
    public var threshold: ThresholdResult
    /// The policy pack the application was decided under.
    public var policyHash: String
    /// The authorising officer's decision.
    public var decision: Decision?
    /// The grant and each renewal.
    public var periods: [Period]
    /// Reviews, oldest first.
    public var reviews: [Review]
    /// The cancellation.
    public var cancellation: Cancellation?

    enum CodingKeys: String, CodingKey {
        case urn, applicant, appliedAt = "applied_at", application, threshold, policyHash = "policy_hash", decision,
            periods, reviews, cancellation
    }

    /// The type.
    public var type: AuthorisationType { application.type }

    /// Periods approved and recorded by `time`.
    func approvedPeriods(at time: EntryTime) -> [Period] {
        periods.filter { period in period.isApproved && period.judicial!.recordedAt <= time }
    }

    /// When the authorisation, as approved by `time`, ends.
    public func expiresAt(at time: EntryTime) -> EntryTime? {
        approvedPeriods(at: time).last?.expiresAt
    }

    /// The state at a moment, from events recorded up to then.
    public func state(at time: EntryTime) -> AuthorisationState {
        if let cancellation, cancellation.at <= time { return .cancelled }
        guard let decision, decision.at <= time else { return .applied }
        guard decision.granted else { return .refused }
        guard let judicial = periods.first?.judicial, judicial.recordedAt <= time else { return .grantedAwaitingApproval }
        guard judicial.decision == .approved else { return .refused }
        // A JP who refuses a renewal may also quash the authorisation (RIPA s.32B): it then
        // ends when the order is recorded, not when the old period would have run out.
        if periods.contains(where: { $0.judicial?.decision == .quashed && $0.judicial!.recordedAt <= time }) { return .refused }
        guard let end = expiresAt(at: time), time <= end else { return .expired }
        return .active
    }

    /// Whether the state at `time` is active: granted, JP-approved, not expired, not cancelled.
    public func isLive(at time: EntryTime) -> Bool { state(at: time) == .active }

    /// A renewal granted but not yet decided by a JP.
    public var pendingRenewal: Period? {
        guard let last = periods.last, last.renewal, last.judicial == nil else { return nil }
        return last
    }

    /// The next review date: the last review's, else the grant's first review.
    public var nextReview: CivilDate? {
        reviews.last?.nextReview ?? decision?.firstReview
    }

    /// Whether a subject's online identities include this profile key.
    public func covers(profile: String) -> Bool {
        application.subjects.contains { $0.onlineIdentities.contains { $0.profile == profile } }
    }

    /// Whether the user is the applicant or on the team.
    public func isOnTeam(_ userID: String) -> Bool {
        userID == applicant || application.team.contains(userID)
    }
}
