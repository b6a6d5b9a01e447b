import Ledger

/// Body of `application.submitted`: the application passed the serious crime threshold
/// and is accepted under a URN.
public struct ApplicationSubmission: Sendable, Hashable, Codable {
    /// The unique reference number, e.g. `DS-2026-0001`.
    public var urn: String
    /// The application as accepted (online identities normalised).
    public var application: Application
    /// The threshold as evaluated against the pack in force.
    public var threshold: ThresholdResult
    /// Hash of the policy pack the decision followed (policy.adopted).
    public var policyHash: String

    enum CodingKeys: String, CodingKey { case urn, application, threshold, policyHash = "policy_hash" }

    /// Makes a body.
    public init(urn: String, application: Application, threshold: ThresholdResult, policyHash: String) {
        self.urn = urn
        self.application = application
        self.threshold = threshold
        self.policyHash = policyHash
    }
}

/// Body of `application.refused`: the serious crime threshold failed (SI 2010/521 art. 7A).
/// Nothing else of the application is kept.
public struct ApplicationRefusal: Sendable, Hashable, Codable {
    /// The type applied for.
    public var type: AuthorisationType
    /// The operation name.
    public var operation: String
    /// Each offence, its maximum and why it fails.
    public var threshold: ThresholdResult
    /// One line: why.
    public var reason: String
    /// Hash of the policy pack the decision followed.
    public var policyHash: String

    enum CodingKeys: String, CodingKey { case type, operation, threshold, reason, policyHash = "policy_hash" }

    /// Makes a body.
    public init(type: AuthorisationType, operation: String, threshold: ThresholdResult, reason: String, policyHash: String) {
        self.type = type
        self.operation = operation
        self.threshold = threshold
        self.reason = reason
        self.policyHash = policyHash
    }
}

/// Body of `authorisation.granted`.
public struct GrantDecision: Sendable, Hashable, Codable {
    /// The case.
    public var urn: String
    /// The officer's written reasons: necessity and proportionality as they see them.
    public var reasons: String
    /// Days between reviews.
    public var reviewIntervalDays: Int
    /// The first review date (Europe/London).
    public var firstReview: CivilDate
    /// Whether the officer is otherwise directly involved (central record field 10).
    public var directlyInvolved: Bool
    /// When the signer last gave their passphrase (`SignerAuthentication`): stamped from the
    /// actor by the register as it appends; absent in entries written before the member existed.
    public var authenticatedAt: EntryTime? = nil

    enum CodingKeys: String, CodingKey {
        case authenticatedAt = "authenticated_at"
        case urn, reasons, reviewIntervalDays = "review_interval_days", firstReview = "first_review",
            directlyInvolved = "directly_involved"
    }

    /// Makes a body.
    public init(urn: String, reasons: String, reviewIntervalDays: Int, firstReview: CivilDate, directlyInvolved: Bool) {
        self.urn = urn
        self.reasons = reasons
        self.reviewIntervalDays = reviewIntervalDays
        self.firstReview = firstReview
        self.directlyInvolved = directlyInvolved
    }
}

/// Body of `authorisation.refused`.
public struct RefusalDecision: Sendable, Hashable, Codable {
    /// The case.
    public var urn: String
    /// Why.
    public var reasons: String
    /// When the signer last gave their passphrase (`SignerAuthentication`): stamped from the
    /// actor by the register as it appends; absent in entries written before the member existed.
    public var authenticatedAt: EntryTime? = nil

    enum CodingKeys: String, CodingKey { case urn, reasons, authenticatedAt = "authenticated_at" }

    /// Makes a body.
    public init(urn: String, reasons: String) {
        self.urn = urn
        self.reasons = reasons
    }
}

/// A justice of the peace's decision (RIPA s.32A, s.32B).
public enum JudicialOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// Approved: the grant or renewal takes effect.
    case approved
    /// Refused.
    case refused
    /// Refused and the authorisation quashed.
    case quashed
}

/// Body of `judicial.decision`.
public struct JudicialDecision: Sendable, Hashable, Codable {
    /// The case.
    public var urn: String
    /// The outcome.
    public var decision: JudicialOutcome
    /// The court.
    public var court: String
    /// The magistrate (justice of the peace).
    public var magistrate: String
    /// When the JP decided.
    public var decidedAt: EntryTime
    /// The JP's order: lower-case hex SHA-256 of the document, kept in the register's document
    /// store in the same transaction (Code of Practice 2018 para 8.2). Absent when not attached.
    public var order: String?

    /// When the signer last gave their passphrase (`SignerAuthentication`): stamped from the
    /// actor by the register as it appends; absent in entries written before the member existed.
    public var authenticatedAt: EntryTime? = nil

    enum CodingKeys: String, CodingKey { case urn, decision, court, magistrate, decidedAt = "decided_at", order, authenticatedAt = "authenticated_at" }

    /// Makes a body.
    public init(urn: String, decision: JudicialOutcome, court: String, magistrate: String, decidedAt: EntryTime, order: String? = nil) {
        self.urn = urn
        self.decision = decision
        self.court = court
        self.magistrate = magistrate
        self.decidedAt = decidedAt
        self.order = order
    }
}

/// Body of `authorisation.reviewed`.
public struct ReviewRecord: Sendable, Hashable, Codable {
    /// The case.
    public var urn: String
    /// What has been obtained so far.
    public var findings: String
    /// Whether the surveillance remains necessary and proportionate.
    public var stillNecessary: Bool
    /// The next review date.
    public var nextReview: CivilDate

    /// When the signer last gave their passphrase (`SignerAuthentication`): stamped from the
    /// actor by the register as it appends; absent in entries written before the member existed.
    public var authenticatedAt: EntryTime? = nil

    enum CodingKeys: String, CodingKey {
        case urn, findings, stillNecessary = "still_necessary", nextReview = "next_review", authenticatedAt = "authenticated_at"
    }

    /// Makes a body.
    public init(urn: String, findings: String, stillNecessary: Bool, nextReview: CivilDate) {
        self.urn = urn
        self.findings = findings
        self.stillNecessary = stillNecessary
        self.nextReview = nextReview
    }
}

/// Body of `authorisation.renewed`.
public struct RenewalRecord: Sendable, Hashable, Codable {
    /// The case.
    public var urn: String
    /// What has changed since the grant or last renewal.
    public var changes: String
    /// The value of the surveillance so far.
    public var valueSoFar: String
    /// The officer's reasons.
    public var reasons: String

    /// When the signer last gave their passphrase (`SignerAuthentication`): stamped from the
    /// actor by the register as it appends; absent in entries written before the member existed.
    public var authenticatedAt: EntryTime? = nil

    enum CodingKeys: String, CodingKey { case urn, changes, valueSoFar = "value_so_far", reasons, authenticatedAt = "authenticated_at" }

    /// Makes a body.
    public init(urn: String, changes: String, valueSoFar: String, reasons: String) {
        self.urn = urn
        self.changes = changes
        self.valueSoFar = valueSoFar
        self.reasons = reasons
    }
}

/// Body of `authorisation.cancelled` (s.45).
public struct CancellationRecord: Sendable, Hashable, Codable {
    /// The case.
    public var urn: String
    /// Why the surveillance is no longer necessary.
    public var reason: String
    /// What it obtained.
    public var valueObtained: String
    /// When the instruction to cease was given.
    public var ceasedAt: EntryTime

    /// When the signer last gave their passphrase (`SignerAuthentication`): stamped from the
    /// actor by the register as it appends; absent in entries written before the member existed.
    public var authenticatedAt: EntryTime? = nil

    enum CodingKeys: String, CodingKey {
        case urn, reason, valueObtained = "value_obtained", ceasedAt = "ceased_at", authenticatedAt = "authenticated_at"
    }

    /// Makes a body.
    public init(urn: String, reason: String, valueObtained: String, ceasedAt: EntryTime) {
        self.urn = urn
        self.reason = reason
        self.valueObtained = valueObtained
        self.ceasedAt = ceasedAt
    }
}
