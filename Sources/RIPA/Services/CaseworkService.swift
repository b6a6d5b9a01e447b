import Foundation
import Ledger
import RegisterStorage

/// Applications and the decisions on them (RIPA ss.28-32A, 43-45).
///
/// One method per action, each with typed input. Every decision is taken inside one append
/// (`Register.write`): the defaults that depend on the day (a grant's first review, a
/// review's next one, a cancellation's time of ceasing) are counted there from the time the
/// entry will carry (`RegisterWriter.nextTime`), so they agree with the day `Casework` checks
/// them against, however long the caller took.
public struct CaseworkService: Sendable {
    let register: Register

    /// The largest JP's order the register keeps (Code of Practice 2018 para 8.2); a front end
    /// may refuse a bigger file before reading it.
    public static let maximumOrderBytes = DocumentStore.maximumBytes

    // MARK: Commands

    /// Applies for an authorisation: the serious crime threshold (SI 2010/521 art. 7A) runs
    /// first, against the pack in force; a failure is recorded as `application.refused`.
    ///
    /// - Returns: the URN and the threshold's findings, or the recorded refusal.
    /// - Throws: `PolicyError` for an unknown offence, `RIPAError` for an incomplete form or an
    ///   unknown team member (nothing is written).
    public func apply(_ application: Application, by actor: Actor) async throws -> ApplicationResult {
        switch try await register.apply(application, by: actor) {
        case .accepted(let urn, let entry, let threshold):
            ApplicationResult(urn: urn, seq: entry.seq, threshold: threshold)
        case .refused(let entry, let threshold):
            ApplicationResult(urn: nil, seq: entry.seq, threshold: threshold)
        }
    }

    /// Applies with the Home Office form's fields (as a front end collects them).
    ///
    /// - Throws: `RIPAError.badInput` for a form that does not make an application; as `apply(_:by:)`.
    public func apply(_ form: ApplicationForm, by actor: Actor) async throws -> ApplicationResult {
        try await apply(try form.application(), by: actor)
    }

    /// Grants an application (`authorisation.granted`); it takes effect only when a JP
    /// approves it (RIPA s.32A).
    ///
    /// - Parameters:
    ///   - reviewInterval: days between reviews; nil for the pack's default.
    ///   - firstReview: the first review date; nil for the day of the grant (in the pack's
    ///     time zone) plus the interval, counted inside the transaction.
    ///   - directlyInvolved: the officer is otherwise directly involved (central record field 10).
    /// - Throws: `RIPAError` naming the rule the grant breaks (the applicant or a team member
    ///   granting, confidential information without the head of paid service, a review
    ///   interval outside the pack's, a bad first review date).
    public func grant(
        urn: String, reasons: String, reviewInterval: Int?, firstReview: CivilDate?, directlyInvolved: Bool, by actor: Actor
    ) async throws -> GrantResult {
        // Bounded before any date arithmetic: a huge interval overflowed `today + interval`.
        if let reviewInterval {
            guard reviewInterval >= 1 else {
                throw RIPAError(.badInput, "the review interval must be at least 1 day", reason: .inputOutOfRange,
                                values: ["field": "review_interval", "value": String(reviewInterval), "lowest": "1"])
            }
            try InputLimits.require(reviewInterval, in: InputLimits.reviewIntervalDays, "the review interval", field: "review_interval", unit: "days")
        }
        return try await register.write { writer in
            let rules = try Casework.policyInForce(LiveCaseContext(reader: writer.reader), hash: nil).policy.rules
            let interval = reviewInterval ?? rules.reviews.defaultIntervalDays
            let first = firstReview ?? CivilDate.containing(writer.nextTime.date, in: rules.zone).adding(days: interval)
            let body = GrantDecision(urn: urn, reasons: reasons, reviewIntervalDays: interval, firstReview: first, directlyInvolved: directlyInvolved)
            let entry = try writer.append(.authorisationGranted, body, by: actor)
            return GrantResult(urn: urn, seq: entry.seq, reviewIntervalDays: interval, firstReview: first)
        }
    }

    /// Refuses an application (`authorisation.refused`).
    ///
    /// - Throws: `RIPAError` naming the rule the refusal breaks.
    public func refuse(urn: String, reasons: String, by actor: Actor) async throws -> CaseDecision {
        let entry = try await register.decide(.authorisationRefused, RefusalDecision(urn: urn, reasons: reasons), by: actor)
        return CaseDecision(urn: urn, seq: entry.seq)
    }

    /// Records a justice of the peace's decision on a grant or renewal (`judicial.decision`,
    /// RIPA s.32A), with the JP's order kept in the register under its SHA-256 in the same
    /// transaction (Code of Practice 2018 para 8.2).
    ///
    /// - Parameters:
    ///   - decidedAt: when the JP decided: not after now, not before the grant or renewal.
    ///   - order: the order's bytes (a scan or PDF), at most `maximumOrderBytes`.
    /// - Returns: the entry, the order's hash, and for an approval the period it starts.
    /// - Throws: `RIPAError` for an empty or oversized order, or the rule the decision breaks.
    public func recordJudicial(
        urn: String, decision: JudicialOutcome, court: String, magistrate: String, decidedAt: EntryTime, order: [UInt8]?, by actor: Actor
    ) async throws -> JudicialResult {
        let body = JudicialDecision(urn: urn, decision: decision, court: court, magistrate: magistrate, decidedAt: decidedAt)
        let (entry, authorisation) = try await register.recordJudicialDecision(body, order: order, by: actor)
        let period = decision == .approved ? authorisation.periods.last(where: \.isApproved) : nil
        return JudicialResult(
            urn: urn, seq: entry.seq, decision: decision, order: order.map(DocumentStore.hash), orderBytes: order?.count, period: period)
    }

    /// Reviews a live authorisation (`authorisation.reviewed`).
    ///
    /// - Parameter nextReview: nil for the day of the review (in the pack's time zone) plus the
    ///   case's review interval, counted inside the transaction.
    /// - Throws: `RIPAError` naming the rule the review breaks.
    public func review(urn: String, findings: String, stillNecessary: Bool, nextReview: CivilDate?, by actor: Actor) async throws -> ReviewResult {
        try await register.write { writer in
            let context = LiveCaseContext(reader: writer.reader)
            let rules = try Casework.policyInForce(context, hash: nil).policy.rules
            let authorisation = try Casework.existing(urn, context)
            let interval = authorisation.decision?.reviewIntervalDays ?? rules.reviews.defaultIntervalDays
            let next = nextReview ?? CivilDate.containing(writer.nextTime.date, in: rules.zone).adding(days: interval)
            let body = ReviewRecord(urn: urn, findings: findings, stillNecessary: stillNecessary, nextReview: next)
            let entry = try writer.append(.authorisationReviewed, body, by: actor)
            return ReviewResult(urn: urn, seq: entry.seq, stillNecessary: stillNecessary, nextReview: next)
        }
    }

    /// Renews a live authorisation before it expires (`authorisation.renewed`); a JP must
    /// approve the renewal. A CHIS renewal needs a review since the grant or last renewal
    /// (RIPA s.43(6A)).
    ///
    /// - Throws: `RIPAError` naming the rule the renewal breaks.
    public func renew(urn: String, changes: String, valueSoFar: String, reasons: String, by actor: Actor) async throws -> CaseDecision {
        let body = RenewalRecord(urn: urn, changes: changes, valueSoFar: valueSoFar, reasons: reasons)
        let entry = try await register.decide(.authorisationRenewed, body, by: actor)
        return CaseDecision(urn: urn, seq: entry.seq)
    }

    /// Cancels an authorisation (`authorisation.cancelled`, RIPA s.45).
    ///
    /// - Parameter ceasedAt: when the instruction to cease was given; nil for the time the
    ///   entry carries, taken inside the transaction.
    /// - Throws: `RIPAError` naming the rule the cancellation breaks.
    public func cancel(urn: String, reason: String, valueObtained: String, ceasedAt: EntryTime?, by actor: Actor) async throws -> CancellationResult {
        try await register.write { writer in
            let ceased = ceasedAt ?? writer.nextTime
            let body = CancellationRecord(urn: urn, reason: reason, valueObtained: valueObtained, ceasedAt: ceased)
            let entry = try writer.append(.authorisationCancelled, body, by: actor)
            return CancellationResult(urn: urn, seq: entry.seq, ceasedAt: ceased)
        }
    }

    // MARK: Queries

    /// The case with this URN, as its history leaves it.
    ///
    /// - Throws: `RIPAError.unknownURN`.
    public func authorisation(_ urn: String) async throws -> Authorisation {
        try await register.authorisation(urn)
    }

    /// One case as it stood at `time` (default: now), with the looks made under it by then.
    ///
    /// - Throws: `RIPAError.unknownURN`; `.badInput` when the case did not exist yet at `time`.
    public func status(of urn: String, at time: EntryTime? = nil) async throws -> CaseStatus {
        let time = time ?? register.clock()
        let zone = try await register.policyInForce().policy.rules.zone
        let authorisation = try await register.authorisation(urn)
        guard authorisation.appliedAt <= time else {
            throw RIPAError(.badInput, "\(urn) did not exist at \(time); it was applied for at \(authorisation.appliedAt)")
        }
        let views = try await register.store.read { reader in
            try reader.views(urn: urn).filter { $0.time <= time && $0.outcome == .authorised }.map(reader.openedLook)
        }
        return CaseStatus(
            authorisation: authorisation, state: authorisation.state(at: time), at: time, timeZone: zone.identifier, views: views,
            testRegister: register.isTestRegister)
    }

    /// Every case applied for by `time` (default: now), in URN order, with its state then.
    public func statuses(at time: EntryTime? = nil) async throws -> CaseList {
        let time = time ?? register.clock()
        let zone = try await register.policyInForce().policy.rules.zone
        let cases = try await register.authorisations().filter { $0.appliedAt <= time }.map { authorisation in
            CaseSummary(
                urn: authorisation.urn, state: authorisation.state(at: time), operation: authorisation.application.operation,
                expiresAt: authorisation.expiresAt(at: time))
        }
        return CaseList(at: time, timeZone: zone.identifier, cases: cases)
    }

    /// What needs attention at `time` (default: now): reviews due or overdue, authorisations
    /// expiring within `within` days, ones that expired without a cancellation, grants
    /// awaiting a JP; most urgent first.
    ///
    /// - Throws: `RIPAError.badInput` for a negative or huge `within`.
    public func due(at time: EntryTime? = nil, within days: Int) async throws -> DueReport {
        guard days >= 0 else {
            throw RIPAError(.badInput, "the days ahead (\(days)) must be 0 or more", reason: .inputOutOfRange,
                            values: ["field": "within", "value": String(days), "lowest": "0"])
        }
        try InputLimits.require(days, in: InputLimits.dueWithinDays, "the days ahead", field: "within", unit: "days")
        let time = time ?? register.clock()
        let zone = try await register.policyInForce().policy.rules.zone
        let items = DueList.items(try await register.authorisations(), at: time, within: days, timeZone: zone)
        return DueReport(at: time, within: days, timeZone: zone.identifier, items: items)
    }
}

// MARK: - Results

/// The outcome of an application: accepted under a URN, or refused at the serious crime
/// threshold (and the refusal recorded). JSON: `{"urn", "seq", "threshold"}` when accepted,
/// `{"refused": true, "seq", "threshold"}` when refused.
public struct ApplicationResult: Sendable, Hashable, Codable {
    /// The URN given, or nil when refused.
    public var urn: String?
    /// The entry recording it (`application.submitted` or `application.refused`).
    public var seq: UInt64
    /// The threshold's findings.
    public var threshold: ThresholdResult
    /// Whether the application was accepted.
    public var accepted: Bool { urn != nil }

    /// Makes a result.
    public init(urn: String?, seq: UInt64, threshold: ThresholdResult) {
        self.urn = urn
        self.seq = seq
        self.threshold = threshold
    }

    enum CodingKeys: String, CodingKey { case urn, refused, seq, threshold }

    /// Decodes either shape.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        urn = try c.decodeIfPresent(String.self, forKey: .urn)
        seq = try c.decode(UInt64.self, forKey: .seq)
        threshold = try c.decode(ThresholdResult.self, forKey: .threshold)
    }

    /// Encodes the URN when accepted, `"refused": true` when not.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if let urn { try c.encode(urn, forKey: .urn) } else { try c.encode(true, forKey: .refused) }
        try c.encode(seq, forKey: .seq)
        try c.encode(threshold, forKey: .threshold)
    }
}

/// A decision recorded on a case (a refusal, a renewal).
public struct CaseDecision: Sendable, Hashable, Codable {
    /// The case.
    public var urn: String
    /// The entry recording the decision.
    public var seq: UInt64
}

/// A grant as recorded, with the review dates it set.
public struct GrantResult: Sendable, Hashable, Codable {
    /// The case.
    public var urn: String
    /// The `authorisation.granted` entry.
    public var seq: UInt64
    /// Days between reviews (given, or the pack's default).
    public var reviewIntervalDays: Int
    /// The first review date (given, or the day of the grant plus the interval).
    public var firstReview: CivilDate

    enum CodingKeys: String, CodingKey { case urn, seq, reviewIntervalDays = "review_interval_days", firstReview = "first_review" }
}

/// A JP's decision as recorded.
public struct JudicialResult: Sendable, Hashable, Codable {
    /// The case.
    public var urn: String
    /// The `judicial.decision` entry.
    public var seq: UInt64
    /// What the JP decided.
    public var decision: JudicialOutcome
    /// The order's SHA-256 (lower-case hex), when one was kept.
    public var order: String?
    /// The order's size in bytes, when one was kept.
    public var orderBytes: Int?
    /// For an approval, the period it starts (first and last day, expiry).
    public var period: Authorisation.Period?

    enum CodingKeys: String, CodingKey { case urn, seq, decision, order, orderBytes = "order_bytes", period }

    /// Encodes every field, `null` where there is none.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(urn, forKey: .urn)
        try c.encode(seq, forKey: .seq)
        try c.encode(decision, forKey: .decision)
        try c.encode(order, forKey: .order)
        try c.encode(orderBytes, forKey: .orderBytes)
        try c.encode(period, forKey: .period)
    }
}

/// A review as recorded, with the next review date it set.
public struct ReviewResult: Sendable, Hashable, Codable {
    /// The case.
    public var urn: String
    /// The `authorisation.reviewed` entry.
    public var seq: UInt64
    /// Whether it remains necessary and proportionate.
    public var stillNecessary: Bool
    /// The next review date (given, or the day of the review plus the interval).
    public var nextReview: CivilDate

    enum CodingKeys: String, CodingKey { case urn, seq, stillNecessary = "still_necessary", nextReview = "next_review" }
}

/// A cancellation as recorded.
public struct CancellationResult: Sendable, Hashable, Codable {
    /// The case.
    public var urn: String
    /// The `authorisation.cancelled` entry.
    public var seq: UInt64
    /// When the instruction to cease was given (given, or the entry's time).
    public var ceasedAt: EntryTime

    enum CodingKeys: String, CodingKey { case urn, seq, ceasedAt = "ceased_at" }
}

/// One case as it stood at a moment. JSON: the case's fields, with `state`, `at`, `views`
/// (the looks under it by then), `time_zone`, and `"test_register": true` on a test register.
public struct CaseStatus: Sendable, Hashable, Codable {
    /// The case, as its whole history leaves it.
    public var authorisation: Authorisation
    /// Its state at `at`.
    public var state: AuthorisationState
    /// The moment.
    public var at: EntryTime
    /// The pack's time zone (dates and times for people are written in it).
    public var timeZone: String
    /// The looks made under it by `at`.
    public var views: [Look]
    /// Whether the register is a test register.
    public var testRegister: Bool

    enum CodingKeys: String, CodingKey { case state, at, timeZone = "time_zone", views, testRegister = "test_register" }

    /// Makes a status.
    public init(authorisation: Authorisation, state: AuthorisationState, at: EntryTime, timeZone: String, views: [Look], testRegister: Bool) {
        self.authorisation = authorisation
        self.state = state
        self.at = at
        self.timeZone = timeZone
        self.views = views
        self.testRegister = testRegister
    }

    /// Decodes the flattened form.
    public init(from decoder: any Decoder) throws {
        authorisation = try Authorisation(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        state = try c.decode(AuthorisationState.self, forKey: .state)
        at = try c.decode(EntryTime.self, forKey: .at)
        timeZone = try c.decode(String.self, forKey: .timeZone)
        views = try c.decode([Look].self, forKey: .views)
        testRegister = try c.decodeIfPresent(Bool.self, forKey: .testRegister) ?? false
    }

    /// Encodes the case's own fields and the status beside them.
    public func encode(to encoder: any Encoder) throws {
        try authorisation.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(state, forKey: .state)
        try c.encode(at, forKey: .at)
        try c.encode(timeZone, forKey: .timeZone)
        try c.encode(views, forKey: .views)
        if testRegister { try c.encode(true, forKey: .testRegister) }
    }
}

/// One line of the list of cases.
public struct CaseSummary: Sendable, Hashable, Codable {
    /// The case.
    public var urn: String
    /// Its state at the list's moment.
    public var state: AuthorisationState
    /// The operation's name.
    public var operation: String
    /// When the period in force then ends, if there is one.
    public var expiresAt: EntryTime?

    enum CodingKeys: String, CodingKey { case urn, state, operation, expiresAt = "expires_at" }

    /// Encodes every field, `null` for no expiry.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(urn, forKey: .urn)
        try c.encode(state, forKey: .state)
        try c.encode(operation, forKey: .operation)
        try c.encode(expiresAt, forKey: .expiresAt)
    }
}

/// Every case at a moment (`ripa status`; its `--json` is `cases`).
public struct CaseList: Sendable, Hashable, Codable {
    /// The moment.
    public var at: EntryTime
    /// The pack's time zone.
    public var timeZone: String
    /// The cases applied for by then, in URN order.
    public var cases: [CaseSummary]

    enum CodingKeys: String, CodingKey { case at, timeZone = "time_zone", cases }
}

/// What is due at a moment (`ripa due`; its `--json` is `items`).
public struct DueReport: Sendable, Hashable, Codable {
    /// The moment.
    public var at: EntryTime
    /// The horizon, in days.
    public var within: Int
    /// The pack's time zone (dates are civil dates there).
    public var timeZone: String
    /// The items, most urgent first.
    public var items: [DueList.Item]

    enum CodingKeys: String, CodingKey { case at, within, timeZone = "time_zone", items }
}
