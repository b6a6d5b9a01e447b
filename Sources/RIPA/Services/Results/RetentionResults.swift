import Ledger

/// A legal hold (`retention.hold-placed`), and its release if any.
public struct RetentionHoldInfo: Sendable, Hashable, Codable {
    /// The `retention.hold-placed` entry.
    public var seq: UInt64
    /// The case held.
    public var caseName: String
    /// Why.
    public var reason: String
    /// Who placed it.
    public var placedBy: String
    /// When.
    public var at: EntryTime
    /// The `retention.hold-released` entry, once released.
    public var releasedSeq: UInt64?

    enum CodingKeys: String, CodingKey { case seq, caseName = "case", reason, placedBy = "placed_by", at, releasedSeq = "released_seq" }

    init(_ hold: RetentionLedger.Hold) {
        seq = hold.seq
        caseName = hold.caseName
        reason = hold.reason
        placedBy = hold.placedBy
        at = hold.at
        releasedSeq = hold.releasedSeq
    }
}

/// A hold released (`RetentionService.release`).
public struct RetentionHoldReleased: Sendable, Hashable, Codable {
    /// The `retention.hold-released` entry.
    public var seq: UInt64
    /// The hold released.
    public var hold: RetentionHoldInfo
    /// Holds still standing on the case.
    public var stillHeld: [UInt64]

    enum CodingKeys: String, CodingKey { case seq, hold, stillHeld = "still_held" }
}

/// One case due for destruction (`ripa retention due`).
public struct RetentionDueCase: Sendable, Hashable, Codable {
    /// The case: a URN, `case:<ref>` (looks without an authorisation), `tags:<year>` (profile tags).
    public var caseName: String
    /// The rule that applies.
    public var rule: RetentionRule
    /// The event the period runs from.
    public var from: EntryTime
    /// The first day it was due (the pack's time zone).
    public var dueOn: CivilDate
    /// The period, in months, and its source.
    public var months: Int
    /// Where the period comes from.
    public var source: String
    /// Standing legal holds: any one stops destruction.
    public var holds: [RetentionHoldInfo]
    /// Whether a hold stops it.
    public var held: Bool { !holds.isEmpty }

    enum CodingKeys: String, CodingKey { case caseName = "case", rule, from, dueOn = "due_on", months, source, holds, held }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(caseName, forKey: .caseName)
        try container.encode(rule, forKey: .rule)
        try container.encode(from, forKey: .from)
        try container.encode(dueOn, forKey: .dueOn)
        try container.encode(months, forKey: .months)
        try container.encode(source, forKey: .source)
        try container.encode(holds, forKey: .holds)
        try container.encode(held, forKey: .held)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        caseName = try container.decode(String.self, forKey: .caseName)
        rule = try container.decode(RetentionRule.self, forKey: .rule)
        from = try container.decode(EntryTime.self, forKey: .from)
        dueOn = try container.decode(CivilDate.self, forKey: .dueOn)
        months = try container.decode(Int.self, forKey: .months)
        source = try container.decode(String.self, forKey: .source)
        holds = try container.decode([RetentionHoldInfo].self, forKey: .holds)
    }

    init(_ due: RetentionDue, holds: [RetentionLedger.Hold], rules: PolicyRules) {
        caseName = due.name
        rule = due.rule
        from = due.from
        dueOn = due.dueOn
        (months, source) = due.rule.period(in: rules)
        self.holds = holds.map(RetentionHoldInfo.init)
    }
}

/// A destruction request awaiting a second administrator.
public struct DestructionRequestInfo: Sendable, Hashable, Codable {
    /// The `retention.destruction-requested` entry.
    public var seq: UInt64
    /// Who asked.
    public var requestedBy: String
    /// When.
    public var at: EntryTime
    /// The cases, as `due` gave them then.
    public var cases: [RetentionItem]
    /// The `personal-data.destroyed` entry that approved it, once approved.
    public var approvedSeq: UInt64?

    enum CodingKeys: String, CodingKey { case seq, requestedBy = "requested_by", at, cases, approvedSeq = "approved_seq" }

    init(_ request: RetentionLedger.Request) {
        seq = request.seq
        requestedBy = request.requestedBy
        at = request.at
        cases = request.cases
        approvedSeq = request.approvedSeq
    }
}

/// What is due at the register's time (`RetentionService.due`).
public struct RetentionDueReport: Sendable, Hashable, Codable {
    /// Whether the register is a test register.
    public var testRegister: Bool
    /// The register's time the report was taken at.
    public var at: EntryTime
    /// The pack in force.
    public var policyHash: String
    /// Every case past its retention whose personal data is not yet destroyed, in name order.
    public var cases: [RetentionDueCase]
    /// Requests still awaiting approval.
    public var openRequests: [DestructionRequestInfo]

    enum CodingKeys: String, CodingKey { case testRegister = "test_register", at, policyHash = "policy_hash", cases, openRequests = "open_requests" }
}

/// Where one case stands (`ripa retention list`, the case timeline).
public struct RetentionCaseState: Sendable, Hashable, Codable {
    /// Where a case's retention stands.
    public enum State: String, Sendable, Hashable, Codable {
        /// Its period has not begun: the authorisation is pending or in force (or tags counted for ever).
        case notBegun = "not-begun"
        /// Its period is running.
        case running
        /// Past its retention; not yet destroyed.
        case due
        /// Past its retention, but a legal hold stops destruction.
        case held
        /// Its personal data was destroyed.
        case destroyed
    }

    /// A destruction as the log records it.
    public struct Destroyed: Sendable, Hashable, Codable {
        /// The `personal-data.destroyed` entry.
        public var seq: UInt64
        /// When.
        public var at: EntryTime
        /// The day, in the pack's time zone.
        public var on: CivilDate
        /// The rule it was destroyed under.
        public var rule: RetentionRule
        /// The request approved.
        public var request: UInt64
        /// The administrator who approved.
        public var approvedBy: String

        enum CodingKeys: String, CodingKey { case seq, at, on, rule, request, approvedBy = "approved_by" }
    }

    /// The case.
    public var caseName: String
    /// Where it stands.
    public var state: State
    /// The rule, once its period has begun.
    public var rule: RetentionRule?
    /// The day it is (or was) due, once its period has begun.
    public var dueOn: CivilDate?
    /// Standing legal holds (a held case may also be still running: the hold waits for it).
    public var holds: [RetentionHoldInfo]
    /// The destruction, once destroyed.
    public var destroyed: Destroyed?

    enum CodingKeys: String, CodingKey { case caseName = "case", state, rule, dueOn = "due_on", holds, destroyed }
}

/// Every case's retention (`RetentionService.list`).
public struct RetentionList: Sendable, Hashable, Codable {
    /// Whether the register is a test register.
    public var testRegister: Bool
    /// The register's time.
    public var at: EntryTime
    /// Every case, in name order.
    public var cases: [RetentionCaseState]

    enum CodingKeys: String, CodingKey { case testRegister = "test_register", at, cases }
}

/// A destruction requested (`RetentionService.request`).
public struct DestructionRequested: Sendable, Hashable, Codable {
    /// The request.
    public var request: DestructionRequestInfo
    /// Cases due but held, left out of the request.
    public var heldBack: [RetentionDueCase]

    enum CodingKeys: String, CodingKey { case request, heldBack = "held_back" }
}

/// A destruction approved and carried out (`RetentionService.approve`).
public struct DestructionApproved: Sendable, Hashable, Codable {
    /// The `personal-data.destroyed` entry.
    public var seq: UInt64
    /// The request approved.
    public var request: UInt64
    /// Who asked, and who approved.
    public var requestedBy: String
    /// The approver.
    public var approvedBy: String
    /// The cases whose data keys were destroyed.
    public var cases: [RetentionItem]
    /// Whether the store was compacted after the commit (nothing deleted can be read back from its files).
    public var compacted: Bool

    enum CodingKeys: String, CodingKey { case seq, request, requestedBy = "requested_by", approvedBy = "approved_by", cases, compacted }
}
