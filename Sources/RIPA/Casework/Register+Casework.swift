import Foundation
import Ledger
import RegisterStore

/// The outcome of `apply`: accepted under a URN, or refused at the threshold (recorded).
public enum ApplicationOutcome: Sendable {
    /// Accepted.
    case accepted(urn: String, entry: Entry, threshold: ThresholdResult)
    /// Refused at the serious crime threshold; the refusal is in the register.
    case refused(entry: Entry, threshold: ThresholdResult)
}

/// The outcome of a look at a profile through the gate.
public struct ViewOutcome: Sendable {
    /// The entry recording it (view.recorded or view.refused).
    public let entry: Entry
    /// The normalised profile.
    public let profile: String
    /// The decision.
    public let decision: ViewingGate.Decision
}

extension Register {
    /// The pack in force.
    public func policyInForce() throws -> AdoptedPolicy {
        try store.read { reader in try Casework.policyInForce(LiveCaseContext(reader: reader), hash: nil) }
    }

    /// Records a pack as in force from now on (`policy.adopted`).
    @discardableResult
    public func adopt(_ policy: Policy, files: [String], by actor: Actor) throws -> Entry {
        let body = try PolicyAdoption(policy: policy, files: files)
        return try write { writer in try writer.append(.policyAdopted, body, by: actor) }
    }

    /// Applies: the serious crime threshold runs first, against the pack in force; a
    /// failure is recorded as `application.refused` (offences and reasons only).
    ///
    /// - Throws: `PolicyError` for an unknown offence (nothing is written), `RIPAError` for
    ///   an incomplete form or an unknown team member.
    public func apply(_ application: Application, by actor: Actor) throws -> ApplicationOutcome {
        var application = application
        if !application.team.contains(actor.user.userID) { application.team.insert(actor.user.userID, at: 0) }
        try application.validate()
        return try write { writer in
            let context = LiveCaseContext(reader: writer.reader)
            let adopted = try Casework.policyInForce(context, hash: nil)
            let threshold = try SeriousCrimeThreshold.evaluate(type: application.type, offenceIDs: application.offences, policy: adopted.policy)
            if !threshold.passes {
                let body = ApplicationRefusal(type: application.type, operation: application.operation, threshold: threshold, reason: threshold.summary, policyHash: adopted.hash)
                return .refused(entry: try writer.append(.applicationRefused, body, by: actor), threshold: threshold)
            }
            let urn = try Casework.nextURN(type: application.type, at: writer.nextTime, rules: adopted.policy.rules, context: context)
            let body = ApplicationSubmission(urn: urn, application: application, threshold: threshold, policyHash: adopted.hash)
            return .accepted(urn: urn, entry: try writer.append(.applicationSubmitted, body, by: actor), threshold: threshold)
        }
    }

    /// Appends a decision on a case; `Casework` checks it against the rules (and rolls the
    /// append back if it does not follow them).
    @discardableResult
    public func decide(_ kind: EntryKind, _ body: some Encodable, by actor: Actor) throws -> Entry {
        try write { writer in try writer.append(kind, body, by: actor) }
    }

    /// The case with this URN.
    public func authorisation(_ urn: String) throws -> Authorisation {
        try store.read { reader in try Casework.existing(urn, LiveCaseContext(reader: reader)) }
    }

    /// Every case, in URN order.
    public func authorisations() throws -> [Authorisation] {
        try store.read { reader in try reader.authorisations().map { try $0.document.decode(Authorisation.self) } }
    }

    /// A look at a profile through the gate, decided and recorded in one transaction (so
    /// two investigators at the same instant cannot both take the one initial examination).
    public func view(address: String, caseRef: String, purpose: String, urn: String?, by actor: Actor) throws -> ViewOutcome {
        let identity = try OnlineIdentity(address: address)
        return try write { writer in
            try writer.recordView(identity, caseRef: caseRef, purpose: purpose, urn: urn, by: actor)
        }
    }

    /// The gate's decision alone, on the register as it stands, recording nothing.
    public func decideView(address: String, urn: String?, viewer: String) throws -> ViewingGate.Decision {
        let identity = try OnlineIdentity(address: address)
        return try store.read { reader in
            let context = LiveCaseContext(reader: reader)
            let adopted = try Casework.policyInForce(context, hash: nil)
            return try ViewingGate.decide(profile: identity.profile, viewer: viewer, urn: urn, at: clock(), rules: adopted.policy.rules, context: context)
        }
    }
}

extension RegisterWriter {
    /// Decides and records a look inside this append transaction.
    public func recordView(_ identity: OnlineIdentity, caseRef: String, purpose: String, urn: String?, by actor: Actor) throws -> ViewOutcome {
        for (field, value) in [("--case", caseRef), ("--purpose", purpose)] where value.isBlank {
            throw RIPAError(.badInput, "every view needs \(field): the register records which case and why (RIPA.md §5)")
        }
        try TextField.check(caseRef, "case reference (--case)")
        try TextField.check(purpose, "purpose (--purpose)")
        try TextField.check(urn, "authorisation (--authorisation)")
        let context = LiveCaseContext(reader: reader)
        let adopted = try Casework.policyInForce(context, hash: nil)
        let decision = try ViewingGate.decide(
            profile: identity.profile, viewer: actor.user.userID, urn: urn, at: nextTime, rules: adopted.policy.rules, context: context)
        let body = ViewBody(
            profile: identity.profile, address: identity.address, caseRef: caseRef, purpose: purpose, urn: urn,
            basis: decision.basis, reason: decision.reason)
        let entry = try append(decision.allowed ? .viewRecorded : .viewRefused, json: body.json, by: actor)
        return ViewOutcome(entry: entry, profile: identity.profile, decision: decision)
    }
}
