import Foundation
import Ledger
import RegisterStorage

/// Holds, destruction requests and destructions as the log records them, and the rules each
/// new retention entry must follow: the one place they live. The live register builds it from
/// the log's retention entries and checks a new entry inside its append (a refusal writes
/// nothing); `verify --replay` keeps one as it walks and checks every retention entry again,
/// under the pack in force at that entry.
struct RetentionLedger: Sendable, Hashable, Codable {
    /// A legal hold.
    struct Hold: Sendable, Hashable, Codable {
        var seq: UInt64
        var caseName: String
        var reason: String
        var placedBy: String
        var at: EntryTime
        var releasedSeq: UInt64?
        enum CodingKeys: String, CodingKey { case seq, caseName = "case", reason, placedBy = "placed_by", at, releasedSeq = "released_seq" }
    }

    /// A destruction request.
    struct Request: Sendable, Hashable, Codable {
        var seq: UInt64
        var requestedBy: String
        var at: EntryTime
        var cases: [RetentionItem]
        var approvedSeq: UInt64?
        enum CodingKeys: String, CodingKey { case seq, requestedBy = "requested_by", at, cases, approvedSeq = "approved_seq" }
    }

    /// A case whose personal data was destroyed.
    struct Destruction: Sendable, Hashable, Codable {
        var seq: UInt64
        var at: EntryTime
        var rule: RetentionRule
        var request: UInt64
        var approvedBy: String
    }

    private(set) var holds: [Hold] = []
    private(set) var requests: [Request] = []
    private(set) var destroyed: [String: Destruction] = [:]
    /// The last look under each name that is not a case (`case:<ref>`, a URN cited but not a
    /// case): kept by `verify --replay` only, which has no projection to ask.
    private(set) var lastLooks: [String: EntryTime] = [:]

    /// The standing holds on a case, oldest first.
    func standingHolds(on name: String) -> [Hold] {
        holds.filter { $0.caseName == name && $0.releasedSeq == nil }
    }

    /// The request entry `seq`, if it is one.
    func request(_ seq: UInt64) -> Request? { requests.first { $0.seq == seq } }

    /// Takes in a look (replay): the last look under a name that is not a case.
    mutating func noteLook(_ view: ViewRecord) {
        let name = view.urn ?? "case:\(view.caseRef)"
        if let last = lastLooks[name], last >= view.time { return }
        lastLooks[name] = view.time
    }

    /// The ledger of the log's retention entries, as recorded (they were checked when written,
    /// and `verify --replay` checks them again).
    static func fromLog(_ reader: RegisterReader) throws -> RetentionLedger {
        let kinds: [EntryKind] = [.retentionHoldPlaced, .retentionHoldReleased, .retentionDestructionRequested, .personalDataDestroyed]
        let entries = try kinds.flatMap { try reader.entries(kind: $0.rawValue) }.sorted { $0.seq < $1.seq }
        var ledger = RetentionLedger()
        for entry in entries {
            let signer = try reader.user(publicKey: entry.signer)?.userID ?? entry.signer.base64
            try ledger.take(entry, kind: EntryKind(rawValue: entry.kind)!, signer: signer)
        }
        return ledger
    }

    /// Checks a retention entry against the rules, then takes it in.
    ///
    /// - Parameters:
    ///   - administrators: the active administrators just before the entry (two-person control).
    ///   - testRegister: a test register whose only active administrator requested may approve.
    ///   - lastLook: the last look sealed under a name that is not a case.
    /// - Returns: the cases a `personal-data.destroyed` entry destroys (empty for the other kinds).
    /// - Throws: `RIPAError` naming the rule broken.
    @discardableResult
    mutating func apply(
        _ entry: Entry, kind: EntryKind, signer: String, administrators: [String], testRegister: Bool,
        context: some CaseContext, lastLook: (String) throws -> EntryTime?
    ) throws -> [RetentionItem] {
        switch kind {
        case .retentionHoldPlaced:
            let body = try entry.body.decode(RetentionHold.self)
            try Self.requireReason(body.reason)
            try requireNotDestroyed(body.caseName)
            guard try context.authorisation(urn: body.caseName) != nil || RetentionSchedule.tagYear(body.caseName) != nil
                || lastLook(body.caseName) != nil
            else {
                throw RIPAError(
                    .unknownURN, "\(body.caseName) is not a case, a case reference with looks (case:<ref>) or a year of profile tags (tags:<year>) of this register",
                    reason: .retentionUnknownCase, values: ["case": body.caseName])
            }
        case .retentionHoldReleased:
            let body = try entry.body.decode(RetentionHoldRelease.self)
            try Self.requireReason(body.reason)
            guard holds.contains(where: { $0.seq == body.hold && $0.caseName == body.caseName && $0.releasedSeq == nil }) else {
                throw RIPAError(
                    .badInput, "entry \(body.hold) is not a standing legal hold on \(body.caseName)", reason: .retentionNoSuchHold,
                    values: ["case": body.caseName, "hold": String(body.hold)])
            }
        case .retentionDestructionRequested:
            let body = try entry.body.decode(DestructionRequest.self)
            let adopted = try Casework.policyInForce(context, hash: body.policyHash)
            guard !body.cases.isEmpty else {
                throw RIPAError(.badInput, "a destruction request lists no case", reason: .retentionNothingDue)
            }
            try requireDue(body.cases, at: entry.time, rules: adopted.policy.rules, context: context, lastLook: lastLook)
        case .personalDataDestroyed:
            let body = try entry.body.decode(DestructionRecord.self)
            let adopted = try Casework.policyInForce(context, hash: body.policyHash)
            guard let request = request(body.request), request.approvedSeq == nil else {
                throw RIPAError(
                    .badInput, "entry \(body.request) is not a destruction request awaiting approval", reason: .retentionNoSuchRequest,
                    values: ["request": String(body.request)])
            }
            // Two-person control: as for privileged roles, only a test register whose requester
            // is its one administrator may approve its own request.
            let alone = testRegister && administrators.filter { $0 != request.requestedBy }.isEmpty
            guard signer != request.requestedBy || alone else {
                throw RIPAError(
                    .separationOfDuties, "\(signer) asked for this destruction (entry \(request.seq)), so another administrator must approve it (two-person control)",
                    reason: .retentionSameApprover, values: ["user_id": signer])
            }
            guard body.cases == request.cases else {
                throw RIPAError(
                    .badInput, "the destruction lists other cases than request \(request.seq) asked for: it must destroy exactly what was requested",
                    reason: .retentionMismatch, values: ["field": "cases", "request": String(request.seq)])
            }
            // Still due, and not held, now: a hold placed or a longer pack adopted since the
            // request stops it.
            try requireDue(body.cases, at: entry.time, rules: adopted.policy.rules, context: context, lastLook: lastLook)
        default:
            return []
        }
        return try take(entry, kind: kind, signer: signer)
    }

    /// Takes in a retention entry's effect.
    @discardableResult
    private mutating func take(_ entry: Entry, kind: EntryKind, signer: String) throws -> [RetentionItem] {
        switch kind {
        case .retentionHoldPlaced:
            let body = try entry.body.decode(RetentionHold.self)
            holds.append(Hold(seq: entry.seq, caseName: body.caseName, reason: body.reason, placedBy: signer, at: entry.time))
        case .retentionHoldReleased:
            let body = try entry.body.decode(RetentionHoldRelease.self)
            if let index = holds.firstIndex(where: { $0.seq == body.hold }) { holds[index].releasedSeq = entry.seq }
        case .retentionDestructionRequested:
            let body = try entry.body.decode(DestructionRequest.self)
            requests.append(Request(seq: entry.seq, requestedBy: signer, at: entry.time, cases: body.cases))
        case .personalDataDestroyed:
            let body = try entry.body.decode(DestructionRecord.self)
            if let index = requests.firstIndex(where: { $0.seq == body.request }) { requests[index].approvedSeq = entry.seq }
            for item in body.cases {
                destroyed[item.caseName] = Destruction(seq: entry.seq, at: entry.time, rule: item.rule, request: body.request, approvedBy: signer)
            }
            return body.cases
        default:
            break
        }
        return []
    }

    /// Every case listed is due at `time` under `rules` with the rule and day listed, not held,
    /// not destroyed, and listed once.
    private func requireDue(
        _ items: [RetentionItem], at time: EntryTime, rules: PolicyRules, context: some CaseContext, lastLook: (String) throws -> EntryTime?
    ) throws {
        var seen = Set<String>()
        for item in items {
            guard seen.insert(item.caseName).inserted else {
                throw RIPAError(.badInput, "\(item.caseName) is listed twice", reason: .retentionMismatch, values: ["case": item.caseName, "field": "case"])
            }
            try requireNotDestroyed(item.caseName)
            if let hold = standingHolds(on: item.caseName).first {
                throw RIPAError(
                    .refused, "\(item.caseName) is under a legal hold (entry \(hold.seq): \(hold.reason)); it is not destroyed until the hold is released",
                    reason: .retentionHeld, values: ["case": item.caseName, "hold": String(hold.seq)])
            }
            guard let due = try RetentionSchedule.due(item.caseName, at: time, rules: rules, context: context, lastLook: lastLook) else {
                throw RIPAError(
                    .refused, "\(item.caseName) has not begun its retention period (the authorisation has not ended, or there is no such case)",
                    reason: .retentionNotDue, values: ["case": item.caseName])
            }
            guard due.rule == item.rule, due.dueOn == item.dueOn else {
                throw RIPAError(
                    .badInput, "\(item.caseName) is listed as due on \(item.dueOn) under \(item.rule.rawValue), but the pack in force makes it due on \(due.dueOn) under \(due.rule.rawValue)",
                    reason: .retentionMismatch, values: ["case": item.caseName, "field": due.rule == item.rule ? "due_on" : "rule"])
            }
            guard due.isDue(at: time, in: rules.zone) else {
                throw RIPAError(
                    .refused, "\(item.caseName) is not due for destruction until \(due.dueOn) (\(due.rule.rawValue))",
                    reason: .retentionNotDue, values: ["case": item.caseName, "due_on": due.dueOn.description])
            }
        }
    }

    private func requireNotDestroyed(_ name: String) throws {
        if let destruction = destroyed[name] {
            throw RIPAError(
                .wrongState, "the personal data of \(name) was destroyed at entry \(destruction.seq)", reason: .retentionAlreadyDestroyed,
                values: ["case": name, "seq": String(destruction.seq)])
        }
    }

    private static func requireReason(_ reason: String) throws {
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw RIPAError(.badInput, "a legal hold and its release need a reason (the complaint, the proceedings, their end)", reason: .retentionNoReason)
        }
        guard reason.count <= 2000 else {
            throw RIPAError(.badInput, "the reason is over 2000 characters", reason: .retentionNoReason)
        }
    }
}
