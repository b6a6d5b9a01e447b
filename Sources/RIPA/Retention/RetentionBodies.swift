import Ledger

/// The body of `retention.hold-placed`: a legal hold on one case (docs/entry-kinds.md).
public struct RetentionHold: Sendable, Hashable, Codable {
    /// The case held: its data key's name (a URN, `case:<ref>`, `tags:<year>`).
    public var caseName: String
    /// Why: a complaint to the Investigatory Powers Tribunal, litigation, an inspection.
    public var reason: String

    enum CodingKeys: String, CodingKey { case caseName = "case", reason }

    /// Creates the body.
    public init(caseName: String, reason: String) {
        self.caseName = caseName
        self.reason = reason
    }
}

/// The body of `retention.hold-released`.
public struct RetentionHoldRelease: Sendable, Hashable, Codable {
    /// The case.
    public var caseName: String
    /// The `retention.hold-placed` entry released.
    public var hold: UInt64
    /// Why (the complaint decided, the proceedings ended).
    public var reason: String

    enum CodingKeys: String, CodingKey { case caseName = "case", hold, reason }

    /// Creates the body.
    public init(caseName: String, hold: UInt64, reason: String) {
        self.caseName = caseName
        self.hold = hold
        self.reason = reason
    }
}

/// One case in a destruction request or record: the case, the rule and the day it became due,
/// exactly as `RetentionSchedule` gives them.
public struct RetentionItem: Sendable, Hashable, Codable {
    /// The data key's name.
    public var caseName: String
    /// The rule.
    public var rule: RetentionRule
    /// The first day it was due.
    public var dueOn: CivilDate

    enum CodingKeys: String, CodingKey { case caseName = "case", rule, dueOn = "due_on" }

    /// Creates the item.
    public init(caseName: String, rule: RetentionRule, dueOn: CivilDate) {
        self.caseName = caseName
        self.rule = rule
        self.dueOn = dueOn
    }

    init(_ due: RetentionDue) {
        self.init(caseName: due.name, rule: due.rule, dueOn: due.dueOn)
    }
}

/// The body of `retention.destruction-requested`.
public struct DestructionRequest: Sendable, Hashable, Codable {
    /// The cases, in name order.
    public var cases: [RetentionItem]
    /// The pack whose retention made them due.
    public var policyHash: String

    enum CodingKeys: String, CodingKey { case cases, policyHash = "policy_hash" }
}

/// The body of `personal-data.destroyed`: written in the transaction that destroys the
/// cases' data keys.
public struct DestructionRecord: Sendable, Hashable, Codable {
    /// The `retention.destruction-requested` entry approved.
    public var request: UInt64
    /// The cases destroyed: exactly the request's.
    public var cases: [RetentionItem]
    /// The pack in force at the approval, under which each case was still due.
    public var policyHash: String

    enum CodingKeys: String, CodingKey { case request, cases, policyHash = "policy_hash" }
}
