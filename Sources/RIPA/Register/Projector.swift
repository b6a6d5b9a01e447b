import Ledger
import RegisterStorage

/// Derives the projections (users, the current register key, cases, views) from entries.
///
/// The same function runs when an entry is appended and when the projections are rebuilt
/// from the log, so the two cannot drift apart.
public enum Projector {
    static let verifierKeyMeta = "verifier_key"
    static let policyMeta = "policy_seq"
    static let policyHashMeta = "policy_hash"

    /// Applies one entry's effect to the projections.
    public static func apply(_ stored: Entry, to writer: RegisterWriter) throws {
        // Decisions read the personal fields opened (or as destroyed, once their key is gone).
        let (entry, state) = try writer.reader.opened(stored)
        guard let kind = EntryKind(rawValue: entry.kind) else {
            throw RIPAError(.badInput, "entry \(entry.seq) has unknown kind \(entry.kind)")
        }
        // An alias whose year's tag key is destroyed links nothing (`AliasIndex.reproject`).
        if kind == .profileAliased, !state.isReadable { return }
        switch kind {
        case .registerCreated:
            let body = try entry.body.decode(RegisterCreation.self)
            try writer.setMeta(verifierKeyMeta, body.verifierKey)
        case .registerKeyRotated:
            let body = try entry.body.decode(RegisterKeyRotation.self)
            try writer.setMeta(verifierKeyMeta, body.verifierKey)
        case .userInvited, .userAccepted, .userApproved, .userRolesChanged, .userRevoked, .userKeyReplaced:
            let context = LiveAccountContext(reader: writer.reader)
            let registerKey = try writer.reader.meta(verifierKeyMeta).flatMap { try? NoteVerifierKey(parsing: $0) }?.publicKey
            let changed = try Accounts.apply(entry, kind: kind, byRegisterKey: entry.signer == registerKey, context: context)
            for account in changed { try writer.saveAccountDocument(try JSONValue(encoding: account), userID: account.userID) }
            let open = try Accounts.isOpen(context)
            for account in changed {
                if let record = account.userRecord(registerOpen: open) { try writer.saveUser(record) }
            }
        default:
            try DomainProjector.apply(kind, entry, to: writer)
        }
    }

    /// Rebuilds every projection from the log, in one transaction, under the register key
    /// the log names as current (not the one the projections name: they may be what was edited).
    ///
    /// It never refuses: an entry whose decision does not follow the rules in force (taken,
    /// say, from a projection row edited before it was made) is projected conservatively
    /// (`DomainProjector.applyConservatively`) and listed in the report with the rule.
    ///
    /// - Throws: `RIPAError.keyFile` without the register key; storage errors.
    @discardableResult
    public static func rebuild(_ register: Register) async throws -> RebuildReport {
        try await rebuild(
            register.store, checkpointSigners: { reader in [try register.keyStore.load(matching: try currentVerifierKey(in: reader))] },
            now: register.clock())
    }

    /// Projects a log copied from another register (an export bundle, `ImportedLog`) into a
    /// store of its own, tagging the rows with `tagKey`, a key made for that copy alone: the
    /// copy has no register key, and its rows are only ever read, never trusted by a writer.
    public static func project(imported store: RegisterStore, tagKey: NoteSignerKey) async throws -> RebuildReport {
        try await rebuild(store, checkpointSigners: { _ in [tagKey] }, now: .now())
    }

    static func rebuild(
        _ store: RegisterStore, checkpointSigners: @escaping @Sendable (RegisterReader) throws -> [NoteSignerKey], now: EntryTime
    ) async throws -> RebuildReport {
        try await store.append(checkpointSigners: checkpointSigners, now: now) { writer in
            try writer.clearProjections()
            var report = RebuildReport(entries: 0, exceptions: [])
            var seq: UInt64 = 0
            while true {
                let batch = try writer.reader.leaves(from: seq, limit: 4096)
                if batch.isEmpty { break }
                for (stored, leaf) in batch {
                    let entry = try Entry(leafData: leaf)
                    if let exception = try project(entry, to: writer) { report.exceptions.append(exception) }
                    seq = stored + 1
                    report.entries += 1
                }
            }
            return report
        }
    }

    /// The verifier key the log names as current: the last rotation's, else the genesis entry's.
    static func currentVerifierKey(in reader: RegisterReader) throws -> String {
        if let rotation = try reader.entries(kind: EntryKind.registerKeyRotated.rawValue).last {
            return try rotation.body.decode(RegisterKeyRotation.self).verifierKey
        }
        return try reader.entry(at: 0).body.decode(RegisterCreation.self).verifierKey
    }

    /// Projects one entry while rebuilding; an entry whose decision breaks a rule is projected
    /// conservatively and returned as an exception.
    static func project(_ entry: Entry, to writer: RegisterWriter) throws -> RuleException? {
        do {
            try apply(entry, to: writer)
            return nil
        } catch let error as StoreError {
            throw error
        } catch {
            guard let kind = EntryKind(rawValue: entry.kind) else { throw error }
            let rule = (error as? RIPAError)?.message ?? (error as? LedgerError)?.message ?? "\(error)"
            let projected = try DomainProjector.applyConservatively(kind, try writer.reader.opened(entry).entry, to: writer)
            return RuleException(seq: entry.seq, kind: entry.kind, rule: rule, projected: projected)
        }
    }
}

/// An entry of the log whose decision does not follow the rules in force, found by
/// `ripa rebuild`, and how it was projected.
public struct RuleException: Sendable, Hashable, Codable {
    /// The entry.
    public var seq: UInt64
    /// Its kind.
    public var kind: String
    /// The rule it breaks, as the decision's check words it.
    public var rule: String
    /// What the rebuilt projections hold for it.
    public var projected: String
}

/// What `ripa rebuild` did.
public struct RebuildReport: Sendable, Hashable, Codable {
    /// Entries projected.
    public var entries: UInt64
    /// Entries whose decisions do not follow the rules, in log order.
    public var exceptions: [RuleException]
}

/// The projections of the RIPA case kinds, from `Casework`'s effects.
enum DomainProjector {
    static func apply(_ kind: EntryKind, _ entry: Entry, to writer: RegisterWriter) throws {
        switch try Casework.apply(entry, kind: kind, context: LiveCaseContext(reader: writer.reader)) {
        case .none:
            break
        case .policy(let adopted):
            try writer.setMeta(Projector.policyMeta, String(adopted.seq))
            try writer.setMeta(Projector.policyHashMeta, adopted.hash)
        case .authorisation(let authorisation):
            try save(authorisation, entry, to: writer)
        case .view(let view):
            try writer.saveView(view)
        case .alias(let alias):
            try AliasIndex.save(alias, seq: entry.seq, writer: writer)
        }
    }

    static func save(_ authorisation: Authorisation, _ entry: Entry, to writer: RegisterWriter) throws {
        let document = try AuthorisationDocument.sealed(authorisation, writer: writer)
        let profiles = try AuthorisationIndex.keys(
            authorisation.application.profileKeys, writer: writer, sealed: document[BodySealing.member] != nil)
        try writer.saveAuthorisation(AuthorisationRecord(
            urn: authorisation.urn, type: authorisation.type.rawValue, year: Casework.year(ofURN: authorisation.urn),
            document: document, profiles: profiles, updatedSeq: entry.seq))
    }

    /// The projection of an entry whose decision does not follow the rules, chosen so that the
    /// rebuilt register is never laxer than the log supports:
    /// - a recorded look happened, whatever the rules said: it is projected as recorded, so it
    ///   counts against the profile's allowance (later looks are refused, not let through);
    /// - an application is projected as submitted: a pending application permits nothing until
    ///   granted and approved, and later applications number on from its URN;
    /// - a cancellation stops activity: it takes effect as recorded;
    /// - any other decision (grant, approval, review, renewal, refusal, a pack) is not applied:
    ///   a decision that breaks the rules gives no permission, and the case stays as it was.
    ///
    /// - Returns: what the projections now hold for the entry, in words.
    static func applyConservatively(_ kind: EntryKind, _ entry: Entry, to writer: RegisterWriter) throws -> String {
        let context = LiveCaseContext(reader: writer.reader)
        guard let signer = try context.user(publicKey: entry.signer) else {
            return "not projected: no user holds its signing key"
        }
        switch kind {
        case .viewRecorded, .viewRefused:
            guard let body = try? ViewBody(json: entry.body) else { return "not projected: the body is malformed" }
            let outcome: ViewRecord.Outcome = kind == .viewRefused ? .refused : body.basis == .authorisation ? .authorised : .initial
            // Keyed as the live register and replay key it: by its tag when sealed (its
            // profile may read as destroyed), else by its profile.
            try writer.saveView(ViewRecord(
                seq: entry.seq, profileKey: body.profileTag ?? body.profile, time: entry.time, viewer: signer.userID, caseRef: body.caseRef,
                urn: body.urn, outcome: outcome))
            return kind == .viewRefused ? "projected as recorded: a refused look" : "projected as recorded (\(outcome.rawValue)): it counts as a look at \(body.profile)"
        case .applicationSubmitted:
            guard let body = try? entry.body.decode(ApplicationSubmission.self) else { return "not projected: the body is malformed" }
            guard try context.authorisation(urn: body.urn) == nil else { return "not projected: \(body.urn) is already a case" }
            try save(Authorisation(submission: body, applicant: signer.userID, at: entry.time), entry, to: writer)
            return "projected as a pending application \(body.urn): it permits nothing until granted and approved"
        case .authorisationCancelled:
            guard let body = try? entry.body.decode(CancellationRecord.self), var authorisation = try context.authorisation(urn: body.urn) else {
                return "not applied: no such case"
            }
            if authorisation.cancellation == nil {
                authorisation.cancellation = Authorisation.Cancellation(
                    at: entry.time, officer: Authorisation.Officer(userID: signer.userID, name: signer.name, rank: signer.rank),
                    reason: body.reason, valueObtained: body.valueObtained, ceasedAt: body.ceasedAt,
                    afterExpiry: authorisation.state(at: entry.time) == .expired)
                try save(authorisation, entry, to: writer)
            }
            return "applied as recorded: \(body.urn) is cancelled"
        default:
            return "not applied: a decision that breaks the rules gives no permission; the projection stays as before it"
        }
    }
}
