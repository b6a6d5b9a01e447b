import Foundation
import Ledger
import RegisterStorage

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
    public func policyInForce() async throws -> AdoptedPolicy {
        try await store.read { reader in try Casework.policyInForce(LiveCaseContext(reader: reader), hash: nil) }
    }

    /// Records a pack as in force from now on (`policy.adopted`).
    @discardableResult
    public func adopt(_ policy: Policy, files: [String], by actor: Actor) async throws -> Entry {
        let body = try PolicyAdoption(policy: policy, files: files)
        return try await write { writer in try writer.append(.policyAdopted, body, by: actor) }
    }

    /// Applies: the serious crime threshold runs first, against the pack in force; a
    /// failure is recorded as `application.refused` (offences and reasons only).
    ///
    /// - Throws: `PolicyError` for an unknown offence (nothing is written), `RIPAError` for
    ///   an incomplete form or an unknown team member.
    public func apply(_ application: Application, by actor: Actor) async throws -> ApplicationOutcome {
        var form = application
        if !form.team.contains(actor.user.userID) { form.team.insert(actor.user.userID, at: 0) }
        try form.validate()
        let validated = form
        return try await write { writer in
            var application = validated
            let context = LiveCaseContext(reader: writer.reader)
            let adopted = try Casework.policyInForce(context, hash: nil)
            // The online identities are keyed under the pack in force, as `Casework` checks them.
            let rules = adopted.policy.rules.addressRules
            for (s, subject) in application.subjects.enumerated() {
                application.subjects[s].onlineIdentities = try subject.onlineIdentities.map {
                    try OnlineIdentity(address: $0.address, rules: rules)
                }
            }
            let threshold = try SeriousCrimeThreshold.evaluate(type: application.type, offenceIDs: application.offences, policy: adopted.policy)
            if !threshold.passes {
                let body = ApplicationRefusal(type: application.type, operation: application.operation, threshold: threshold, reason: threshold.summary, policyHash: adopted.hash)
                return .refused(entry: try writer.append(.applicationRefused, body, by: actor), threshold: threshold)
            }
            let urn = try Casework.nextURN(type: application.type, at: writer.nextTime, rules: adopted.policy.rules, context: context)
            // The number comes from counting the case rows: one deleted outside the register
            // would hand out a URN already in use and overwrite that case's projection.
            if try context.authorisation(urn: urn) != nil {
                throw StoreError(
                    .projectionTampered, "the next URN, \(urn), is already a case: the stored cases were changed outside the register, so no URN is issued",
                    reason: .urnAlreadyIssued, values: ["urn": urn])
            }
            let body = ApplicationSubmission(urn: urn, application: application, threshold: threshold, policyHash: adopted.hash)
            return .accepted(urn: urn, entry: try writer.append(.applicationSubmitted, body, by: actor), threshold: threshold)
        }
    }

    /// Appends a decision on a case; `Casework` checks it against the rules (and rolls the
    /// append back if it does not follow them).
    @discardableResult
    public func decide(_ kind: EntryKind, _ body: some Encodable & Sendable, by actor: Actor) async throws -> Entry {
        try await write { writer in try writer.append(kind, body, by: actor) }
    }

    /// Records a JP's decision (`judicial.decision`), with the JP's order when given: the
    /// document is stored under its SHA-256 in the same transaction as the entry naming it
    /// (Code of Practice 2018 para 8.2), so neither is kept without the other.
    ///
    /// - Throws: `RIPAError.badInput` for a document over `DocumentStore.maximumBytes` or an
    ///   empty one; the lifecycle's rules as `decide` does.
    @discardableResult
    public func recordJudicial(_ body: JudicialDecision, order: [UInt8]?, by actor: Actor) async throws -> Entry {
        try await recordJudicialDecision(body, order: order, by: actor).entry
    }

    /// As `recordJudicial(_:order:by:)`, with the case as the decision leaves it, read in the
    /// same transaction.
    func recordJudicialDecision(_ body: JudicialDecision, order: [UInt8]?, by actor: Actor) async throws -> (entry: Entry, authorisation: Authorisation) {
        var body = body
        if let order {
            guard !order.isEmpty else { throw RIPAError(.badInput, "the JP's order file is empty") }
            guard order.count <= DocumentStore.maximumBytes else {
                throw RIPAError(.badInput, "the JP's order is \(order.count) bytes; the register keeps documents of at most \(DocumentStore.maximumBytes / 1024 / 1024) MB (scan it at a lower resolution)")
            }
            body.order = DocumentStore.hash(order)
        }
        let recorded = body
        return try await write { writer in
            // Sealed under the case's key, kept under the hash of the plaintext the entry names.
            if let order, let hash = recorded.order {
                try writer.saveDocument(try DocumentSealing.sealed(order, hash: hash, urn: recorded.urn, writer: writer), hash: hash)
            }
            let entry = try writer.append(.judicialDecision, recorded, by: actor)
            return (entry, try Casework.existing(recorded.urn, LiveCaseContext(reader: writer.reader)))
        }
    }

    /// A document kept in the register, opened under its case's key and checked against its hash.
    ///
    /// - Throws: `RIPAError.badInput` for a hash not kept, or content that no longer matches
    ///   it; `RIPAError.notPermitted` for a document destroyed with its case's personal data,
    ///   or sealed and the data-protection key not here.
    public func document(hash: String) async throws -> [UInt8] {
        let wanted = hash.lowercased()
        switch try await store.read({ reader in
            // The case citing it, so that a document gone with its case says so.
            let urn = try reader.entries(kind: EntryKind.judicialDecision.rawValue)
                .first { $0.body["order"]?.stringValue == wanted }?.body["urn"]?.stringValue
            return try DocumentSealing.kept(hash: wanted, urn: urn, reader: reader)
        }) {
        case .content(let content):
            return content
        case .missing:
            throw RIPAError(.badInput, "no document \(wanted) is kept in this register", reason: .documentUnknown, values: ["hash": wanted])
        case .altered:
            throw RIPAError(.badInput, "document \(wanted) no longer matches its hash: it was altered", reason: .documentAltered, values: ["hash": wanted])
        case .destroyed(let urn, let seq):
            throw RIPAError(
                .notPermitted, "document \(wanted) was destroyed with the personal data of \(urn) (entry \(seq))",
                reason: .documentDestroyed, values: ["hash": wanted, "urn": urn, "seq": String(seq)])
        case .sealed(let urn):
            throw RIPAError(
                .notPermitted, "document \(wanted) is sealed under the data key of \(urn) and cannot be read here: the register's data-protection key is not beside its register key",
                reason: "data.sealed", values: ["hash": wanted, "urn": urn])
        }
    }

    /// The case with this URN.
    public func authorisation(_ urn: String) async throws -> Authorisation {
        try await store.read { reader in try Casework.existing(urn, LiveCaseContext(reader: reader)) }
    }

    /// Every case, in URN order: type, year, number (`URN`), so `DS-2026-10000` follows
    /// `DS-2026-9999` (the store returns them as its index has them).
    public func authorisations() async throws -> [Authorisation] {
        let cache = authorisationCache
        return try await store.read { reader in
            // The size and the rows are read in one snapshot, so the list held is the one at that size.
            let size = try reader.size()
            if let held = cache.authorisations(at: size) { return held }
            let authorisations = try reader.authorisations().map { try reader.openedAuthorisation($0) }.sortedByURN()
            cache.hold(authorisations, at: size)
            return authorisations
        }
    }

    /// A look at a profile through the gate, decided and recorded in one transaction (so
    /// two investigators at the same instant cannot both take the one initial examination).
    /// The address is keyed under the pack in force inside the same transaction.
    public func view(address: String, caseRef: String, purpose: String, urn: String?, by actor: Actor) async throws -> ViewOutcome {
        try await write { writer in
            let adopted = try Casework.policyInForce(LiveCaseContext(reader: writer.reader), hash: nil)
            let identity = try OnlineIdentity(address: address, rules: adopted.policy.rules.addressRules)
            return try writer.recordView(identity, caseRef: caseRef, purpose: purpose, urn: urn, under: adopted, by: actor)
        }
    }

    /// The gate's decision alone, on the register as it stands, recording nothing.
    public func decideView(address: String, urn: String?, viewer: String) async throws -> ViewingGate.Decision {
        try await store.read { reader in
            let context = LiveCaseContext(reader: reader)
            let adopted = try Casework.policyInForce(context, hash: nil)
            let identity = try OnlineIdentity(address: address, rules: adopted.policy.rules.addressRules)
            return try ViewingGate.decide(profile: identity.profile, viewer: viewer, urn: urn, at: clock(), rules: adopted.policy.rules, context: context)
        }
    }

    /// The profile key of an address under the pack in force.
    ///
    /// - Throws: `RIPAError.badInput` for an address that names no account.
    public func profileKey(address: String) async throws -> String {
        let rules = try await policyInForce().policy.rules.addressRules
        return try OnlineIdentity(address: address, rules: rules).profile
    }

    /// Records that the profiles at two addresses are one account (`profile.aliased`), keyed
    /// under the pack in force; `Casework` refuses a self-alias, an alias already recorded and
    /// an alias without evidence. Signed by a monitoring officer.
    ///
    /// - Throws: `RIPAError.badInput` (nothing is written).
    public func alias(_ first: String, _ second: String, evidence: String, by actor: Actor) async throws -> ProfileAliasOutcome {
        try await write { writer in
            let context = LiveCaseContext(reader: writer.reader)
            let rules = try Casework.policyInForce(context, hash: nil).policy.rules.addressRules
            let body = ProfileAliasing(
                first: try OnlineIdentity(address: first, rules: rules).profile,
                second: try OnlineIdentity(address: second, rules: rules).profile, evidence: evidence)
            // Sealed under the tag key of its year before signing (docs/personal-data.md).
            let entry = try writer.append(.profileAliased, json: try AliasIndex.sealed(body, writer: writer), by: actor)
            return ProfileAliasOutcome(entry: entry, alias: body, group: try AliasIndex.group(of: body.first, reader: writer.reader))
        }
    }

    /// Every alias recorded, oldest first, read from the log (`profile.aliased` entries),
    /// opened; one whose key is destroyed, or sealed and not openable here, reads as such and
    /// has no group.
    public func aliases() async throws -> [ProfileAliasRecord] {
        try await store.read { reader in
            try reader.entries(kind: EntryKind.profileAliased.rawValue).map { stored in
                let (entry, state) = try reader.opened(stored)
                let by = try reader.user(publicKey: entry.signer)?.userID ?? ""
                guard state.isReadable else {
                    let text: String
                    if case .destroyed = state { text = PersonalFields.destroyedText } else { text = PersonalFields.sealedText }
                    return ProfileAliasRecord(
                        seq: entry.seq, time: entry.time, recordedBy: by, alias: ProfileAliasing(first: text, second: text, evidence: text),
                        group: [], state: state)
                }
                let body = try ProfileAliasing(json: entry.body)
                return ProfileAliasRecord(
                    seq: entry.seq, time: entry.time, recordedBy: by, alias: body,
                    group: try AliasIndex.group(of: body.first, reader: reader), state: state)
            }
        }
    }
}

/// The outcome of `ripa alias`.
public struct ProfileAliasOutcome: Sendable {
    /// The `profile.aliased` entry.
    public let entry: Entry
    /// What it records.
    public let alias: ProfileAliasing
    /// The keys now counted as one account.
    public let group: [String]
}

/// One recorded alias, for `ripa aliases`.
public struct ProfileAliasRecord: Sendable {
    /// The entry.
    public let seq: UInt64
    /// When.
    public let time: EntryTime
    /// The monitoring officer who recorded it.
    public let recordedBy: String
    /// The two keys and the evidence.
    public let alias: ProfileAliasing
    /// The keys counted as one account with them now.
    public let group: [String]
    /// Whether its profile keys and evidence could be read (destroyed with its year's tag key).
    public let state: SealState
}

extension RegisterWriter {
    /// Decides and records a look inside this append transaction.
    ///
    /// - Parameter adopted: the pack in force, when the caller has just read it in this
    ///   transaction (to normalise the address); read here otherwise.
    public func recordView(
        _ identity: OnlineIdentity, caseRef: String, purpose: String, urn: String?, under adopted: AdoptedPolicy? = nil, by actor: Actor
    ) throws -> ViewOutcome {
        try ViewingGate.checkFields(caseRef: caseRef, purpose: purpose, urn: urn)
        let context = LiveCaseContext(reader: reader)
        let adopted = try adopted ?? Casework.policyInForce(context, hash: nil)
        let decision = try ViewingGate.decide(
            profile: identity.profile, viewer: actor.user.userID, urn: urn, at: nextTime, rules: adopted.policy.rules, context: context)
        let body = ViewBody(
            profile: identity.profile, address: identity.address, caseRef: caseRef, purpose: purpose, urn: urn,
            basis: decision.basis, refusal: ViewRefusal(decision.refusal))
        let entry = try append(decision.allowed ? .viewRecorded : .viewRefused, json: body.json, by: actor)
        return ViewOutcome(entry: entry, profile: identity.profile, decision: decision)
    }
}
