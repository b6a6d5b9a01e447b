import Foundation
import Ledger
import RegisterStorage

/// Retention, legal holds and destruction (issue 11 §3-§4, docs/retention.md): what is due
/// under the pack in force at the register's time, holds and their release, and destruction
/// as a recorded act with two-person control. Every rule is `RetentionLedger`'s, checked
/// inside the append and again by `verify --replay`.
public struct RetentionService: Sendable {
    let register: Register

    /// Every case whose retention has passed at the register's time (`register.clock()`) and
    /// whose personal data is not yet destroyed, with its rule, the day it became due and the
    /// holds that stop it; and the requests awaiting approval.
    public func due() async throws -> RetentionDueReport {
        let (time, testRegister) = (register.clock(), register.isTestRegister)
        return try await register.store.read { reader in
            let view = try RetentionView(reader: reader)
            let adopted = try Casework.policyInForce(view.context, hash: nil)
            let rules = adopted.policy.rules
            return RetentionDueReport(
                testRegister: testRegister, at: time, policyHash: adopted.hash,
                cases: try view.dueCases(at: time, rules: rules).map { RetentionDueCase($0.due, holds: $0.holds, rules: rules) },
                openRequests: view.ledger.requests.filter { $0.approvedSeq == nil }.map(DestructionRequestInfo.init))
        }
    }

    /// Where every case's retention stands: not begun, running, due, held or destroyed.
    public func list() async throws -> RetentionList {
        let (time, testRegister) = (register.clock(), register.isTestRegister)
        return try await register.store.read { reader in
            let view = try RetentionView(reader: reader)
            let rules = try Casework.policyInForce(view.context, hash: nil).policy.rules
            return RetentionList(testRegister: testRegister, at: time, cases: try view.names().map { try Self.state(of: $0, view: view, at: time, rules: rules) })
        }
    }

    /// Where one case's retention stands (the case timeline).
    public func state(of name: String) async throws -> RetentionCaseState {
        let time = register.clock()
        return try await register.store.read { reader in
            let view = try RetentionView(reader: reader)
            return try Self.state(of: name, view: view, at: time, rules: try Casework.policyInForce(view.context, hash: nil).policy.rules)
        }
    }

    static func state(of name: String, view: RetentionView, at time: EntryTime, rules: PolicyRules) throws -> RetentionCaseState {
        let holds = view.ledger.standingHolds(on: name).map(RetentionHoldInfo.init)
        if let destruction = view.ledger.destroyed[name] {
            return RetentionCaseState(
                caseName: name, state: .destroyed, rule: destruction.rule, dueOn: nil, holds: holds,
                destroyed: .init(
                    seq: destruction.seq, at: destruction.at, on: CivilDate.containing(destruction.at.date, in: rules.zone), rule: destruction.rule,
                    request: destruction.request, approvedBy: destruction.approvedBy))
        }
        guard let due = try view.due(name, at: time, rules: rules) else {
            return RetentionCaseState(caseName: name, state: .notBegun, rule: nil, dueOn: nil, holds: holds, destroyed: nil)
        }
        let state: RetentionCaseState.State = !due.isDue(at: time, in: rules.zone) ? .running : holds.isEmpty ? .due : .held
        return RetentionCaseState(caseName: name, state: state, rule: due.rule, dueOn: due.dueOn, holds: holds, destroyed: nil)
    }

    /// Places a legal hold on a case (`retention.hold-placed`): an administrator or a
    /// monitoring officer. While it stands the case is never destroyed.
    ///
    /// - Parameter name: a URN, `case:<ref>` for looks without an authorisation, or `tags:<year>`.
    /// - Throws: `RIPAError` (`retention.unknownCase`, `retention.alreadyDestroyed`, `retention.noReason`).
    public func hold(_ name: String, reason: String, by actor: Actor) async throws -> RetentionHoldInfo {
        let body = RetentionHold(caseName: name.trimmingCharacters(in: .whitespaces), reason: reason.trimmingCharacters(in: .whitespacesAndNewlines))
        return try await register.appendRetention(.retentionHoldPlaced, by: actor) { _, _ in try JSONValue(encoding: body) } then: { entry, _, _ in
            RetentionHoldInfo(RetentionLedger.Hold(seq: entry.seq, caseName: body.caseName, reason: body.reason, placedBy: actor.user.userID, at: entry.time))
        }
    }

    /// Releases a legal hold (`retention.hold-released`).
    ///
    /// - Parameter hold: the hold's entry; nil when the case has exactly one standing hold.
    /// - Throws: `RIPAError` (`retention.noSuchHold`, `retention.noReason`).
    public func release(_ name: String, hold: UInt64?, reason: String, by actor: Actor) async throws -> RetentionHoldReleased {
        let name = name.trimmingCharacters(in: .whitespaces)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        return try await register.appendRetention(.retentionHoldReleased, by: actor) { view, _ in
            let standing = view.ledger.standingHolds(on: name)
            let seq: UInt64
            if let hold {
                seq = hold
            } else if standing.count == 1 {
                seq = standing[0].seq
            } else {
                throw RIPAError(
                    .badInput, standing.isEmpty ? "\(name) has no standing legal hold" : "\(name) has \(standing.count) standing holds (entries \(standing.map { String($0.seq) }.joined(separator: ", "))): name the one released",
                    reason: .retentionNoSuchHold, values: ["case": name])
            }
            return try JSONValue(encoding: RetentionHoldRelease(caseName: name, hold: seq, reason: reason))
        } then: { entry, _, writer in
            let ledger = try RetentionLedger.fromLog(writer.reader)
            let body = try entry.body.decode(RetentionHoldRelease.self)
            guard let released = ledger.holds.first(where: { $0.seq == body.hold }) else {
                throw RIPAError(.badInput, "entry \(body.hold) is not a legal hold", reason: .retentionNoSuchHold, values: ["case": name])
            }
            return RetentionHoldReleased(seq: entry.seq, hold: RetentionHoldInfo(released), stillHeld: ledger.standingHolds(on: name).map(\.seq))
        }
    }

    /// Asks for the personal data of every case due and not held to be destroyed
    /// (`retention.destruction-requested`), as `due` computes them at the entry's time. Nothing
    /// is destroyed until another administrator approves.
    ///
    /// - Throws: `RIPAError` `retention.nothingDue` when no case is due and free of holds.
    public func request(by actor: Actor) async throws -> DestructionRequested {
        try await register.appendRetention(.retentionDestructionRequested, by: actor) { view, writer in
            let adopted = try Casework.policyInForce(view.context, hash: nil)
            let due = try view.dueCases(at: writer.nextTime, rules: adopted.policy.rules)
            let free = due.filter { $0.holds.isEmpty }.map { RetentionItem($0.due) }
            guard !free.isEmpty else {
                throw RIPAError(
                    .refused, due.isEmpty ? "no case is past its retention" : "every case past its retention is under a legal hold",
                    reason: .retentionNothingDue)
            }
            return try JSONValue(encoding: DestructionRequest(cases: free, policyHash: adopted.hash))
        } then: { entry, _, writer in
            let rules = try Casework.policyInForce(LiveCaseContext(reader: writer.reader), hash: nil).policy.rules
            let view = try RetentionView(reader: writer.reader)
            let held = try view.dueCases(at: entry.time, rules: rules).filter { !$0.holds.isEmpty }
            return DestructionRequested(
                request: DestructionRequestInfo(RetentionLedger.Request(
                    seq: entry.seq, requestedBy: actor.user.userID, at: entry.time, cases: try entry.body.decode(DestructionRequest.self).cases)),
                heldBack: held.map { RetentionDueCase($0.due, holds: $0.holds, rules: rules) })
        }
    }

    /// Approves a destruction request (`personal-data.destroyed`), as an administrator other
    /// than the requester: in the same transaction every listed case's data key is destroyed
    /// and its projection's personal data overwritten; after the commit the store is compacted
    /// so that nothing replaced can be read back from its files.
    ///
    /// - Throws: `RIPAError` `retention.sameApprover`, `retention.noSuchRequest`, `retention.held`,
    ///   `retention.notDue` (a hold placed, or a longer pack adopted, since the request).
    public func approve(request seq: UInt64, by actor: Actor) async throws -> DestructionApproved {
        var approved = try await register.appendRetention(.personalDataDestroyed, by: actor) { view, _ in
            guard let request = view.ledger.request(seq), request.approvedSeq == nil else {
                throw RIPAError(
                    .badInput, "entry \(seq) is not a destruction request awaiting approval", reason: .retentionNoSuchRequest,
                    values: ["request": String(seq)])
            }
            let hash = try Casework.policyInForce(view.context, hash: nil).hash
            return try JSONValue(encoding: DestructionRecord(request: seq, cases: request.cases, policyHash: hash))
        } then: { entry, destroyed, writer in
            try Register.destroy(destroyed, recordedBy: entry, in: writer)
            let requester = try RetentionLedger.fromLog(writer.reader).request(seq)?.requestedBy ?? ""
            return DestructionApproved(
                seq: entry.seq, request: seq, requestedBy: requester, approvedBy: actor.user.userID, cases: destroyed, compacted: false)
        }
        // After the commit: the old pages (the data keys' sealed bytes, the projections' text)
        // are rewritten out of the database and its WAL.
        try await register.store.backend.compact()
        approved.compacted = true
        return approved
    }
}
