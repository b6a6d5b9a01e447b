import Foundation
import Ledger
import RegisterStorage

/// Looking at profiles through the viewing gate (Code of Practice 2018 paras 3.10-3.17).
///
/// Every look is decided and recorded in one append, so two investigators at the same
/// instant cannot both take a profile's one initial examination. A profile is its account:
/// any spelling of the address, archived and redirected copies, and the identifiers recorded
/// as one account (`alias`) count as the same profile.
public struct GateService: Sendable {
    let register: Register

    // MARK: Commands

    /// Passes a look through the gate and records it (`view.recorded` or `view.refused`).
    ///
    /// - Parameters:
    ///   - address: the profile's address (or a post's that shows its account).
    ///   - caseRef: the case reference; `purpose`: why.
    ///   - urn: the authorisation relied on, if any (a repeat look needs one).
    /// - Returns: the decision, allowed or refused; both are recorded.
    /// - Throws: `RIPAError.badInput` for an address that names no account or a missing case
    ///   or purpose (nothing is recorded).
    public func look(at address: String, caseRef: String, purpose: String, authorisation urn: String?, by actor: Actor) async throws -> LookResult {
        let outcome = try await register.view(address: address, caseRef: caseRef, purpose: purpose, urn: urn, by: actor)
        return LookResult(
            allowed: outcome.decision.allowed, profile: outcome.profile, seq: outcome.entry.seq, basis: outcome.decision.basis,
            urn: urn, refusal: outcome.decision.refusal)
    }

    /// Records that the profiles at two addresses are one account (`profile.aliased`), keyed
    /// under the pack in force. Only a monitoring officer may, with the evidence.
    ///
    /// - Throws: `RIPAError` for a self-alias, one already recorded, no evidence, or the wrong
    ///   role (nothing is written).
    public func alias(_ first: String, _ second: String, evidence: String, by actor: Actor) async throws -> AliasResult {
        let outcome = try await register.alias(first, second, evidence: evidence, by: actor)
        return AliasResult(seq: outcome.entry.seq, profiles: outcome.alias.profiles, group: outcome.group)
    }

    // MARK: Queries

    /// What the gate would decide for `viewer` looking at `address` now, recording nothing.
    ///
    /// - Throws: `RIPAError.badInput` for an address that names no account.
    public func decide(address: String, authorisation urn: String?, viewer: String) async throws -> GateDecision {
        let time = register.clock()
        return try await register.store.read { reader in
            let context = LiveCaseContext(reader: reader)
            let adopted = try Casework.policyInForce(context, hash: nil)
            let identity = try OnlineIdentity(address: address, rules: adopted.policy.rules.addressRules)
            let decision = try ViewingGate.decide(
                profile: identity.profile, viewer: viewer, urn: urn, at: time, rules: adopted.policy.rules, context: context)
            return GateDecision(allowed: decision.allowed, profile: identity.profile, basis: decision.basis, refusal: decision.refusal)
        }
    }

    /// The profile key of an address under the pack in force (`facebook:jobloggs`).
    ///
    /// - Throws: `RIPAError.badInput` for an address that names no account.
    public func profileKey(address: String) async throws -> String {
        try await register.profileKey(address: address)
    }

    /// The looks recorded, allowed and refused, oldest first, matching every filter given.
    ///
    /// - Parameters:
    ///   - profile: an address: the looks at its account, under any key recorded as one with it.
    ///   - caseRef: only this case reference.
    ///   - urn: only looks citing this authorisation.
    /// - Returns: the profile key the address names (nil without one) and the looks.
    public func looks(profile address: String? = nil, caseRef: String? = nil, authorisation urn: String? = nil) async throws -> LookHistory {
        var key: String?
        if let address { key = try await register.profileKey(address: address) }
        let profileKey = key
        let now = register.clock()
        let looks = try await register.store.read { reader in
            // A profile's looks are its account's: the keys recorded as one account with it too,
            // each under its keyed tags (docs/personal-data.md).
            let views: [ViewRecord]
            if let profileKey {
                views = try AliasIndex.group(of: profileKey, reader: reader)
                    .flatMap { try ProfileTag.lookupKeys($0, since: nil, now: now, keys: reader) }
                    .flatMap { try reader.views(profileKey: $0, caseRef: caseRef, urn: urn) }
                    .sorted { $0.seq < $1.seq }
            } else {
                views = try reader.views(profileKey: nil, caseRef: caseRef, urn: urn)
            }
            return try views.map(reader.openedLook)
        }
        return LookHistory(profile: profileKey, looks: looks)
    }

    /// Every alias recorded, oldest first, read from the log.
    public func aliases() async throws -> [AliasRecord] {
        try await register.aliases().map { record in
            AliasRecord(
                seq: record.seq, time: record.time, recordedBy: record.recordedBy, profiles: record.alias.profiles,
                evidence: record.alias.evidence, group: record.group)
        }
    }
}

// MARK: - Results

extension RegisterReader {
    /// A stored look as people read it: a sealed look is stored under its profile's tag, so
    /// its profile is read from its entry, opened (or marked sealed or destroyed).
    func openedLook(_ view: ViewRecord) throws -> Look {
        var look = Look(view)
        if ProfileTag.isTag(view.profileKey) {
            look.profile = try opened(entry(at: view.seq)).entry.body["profile"]?.stringValue ?? PersonalFields.sealedText
        }
        return look
    }
}

/// One look at a profile as the register keeps it: who, when, which profile, for which case,
/// under which authorisation, and how the gate decided.
public struct Look: Sendable, Hashable, Codable {
    /// How the gate decided.
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// Allowed without an authorisation as the initial examination.
        case initial
        /// Allowed under a cited authorisation.
        case authorised
        /// Refused.
        case refused
    }

    /// The entry recording it.
    public var seq: UInt64
    /// When.
    public var time: EntryTime
    /// The viewer's user id.
    public var viewer: String
    /// The normalised profile key.
    public var profile: String
    /// The case reference given.
    public var caseRef: String
    /// The authorisation cited, if any.
    public var urn: String?
    /// The decision.
    public var outcome: Outcome

    enum CodingKeys: String, CodingKey { case seq, time, viewer, profile, caseRef = "case_ref", urn, outcome }

    /// Makes a look.
    public init(seq: UInt64, time: EntryTime, viewer: String, profile: String, caseRef: String, urn: String?, outcome: Outcome) {
        self.seq = seq
        self.time = time
        self.viewer = viewer
        self.profile = profile
        self.caseRef = caseRef
        self.urn = urn
        self.outcome = outcome
    }

    init(_ view: ViewRecord) {
        let outcome: Outcome =
            switch view.outcome {
            case .initial: .initial
            case .authorised: .authorised
            case .refused: .refused
            }
        self.init(seq: view.seq, time: view.time, viewer: view.viewer, profile: view.profileKey, caseRef: view.caseRef, urn: view.urn, outcome: outcome)
    }

    /// Encodes every field, `null` for no authorisation cited.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seq, forKey: .seq)
        try c.encode(time, forKey: .time)
        try c.encode(viewer, forKey: .viewer)
        try c.encode(profile, forKey: .profile)
        try c.encode(caseRef, forKey: .caseRef)
        try c.encode(urn, forKey: .urn)
        try c.encode(outcome, forKey: .outcome)
    }
}

/// The looks matching a filter (`ripa views`; its `--json` is `looks`).
public struct LookHistory: Sendable, Hashable, Codable {
    /// The profile key asked about, if any.
    public var profile: String?
    /// The looks, oldest first.
    public var looks: [Look]
}

/// A look as the gate decided and recorded it.
public struct LookResult: Sendable, Hashable, Codable {
    /// Allowed or refused.
    public var allowed: Bool
    /// The normalised profile key.
    public var profile: String
    /// The entry recording it (`view.recorded` or `view.refused`).
    public var seq: UInt64
    /// For an allowed look, the basis: the initial examination, or the authorisation.
    public var basis: ViewBasis?
    /// The authorisation cited, if any.
    public var urn: String?
    /// For a refused look, why, as data (a `gate.*` reason and its values), as `view.refused` records it.
    public var refusal: RIPAError?
    /// For a refused look, the refusal's message.
    public var reason: String? { refusal?.message }

    enum CodingKeys: String, CodingKey { case allowed, profile, seq, basis, urn, reason, refusal }

    /// Makes a result.
    public init(allowed: Bool, profile: String, seq: UInt64, basis: ViewBasis?, urn: String?, refusal: RIPAError?) {
        self.allowed = allowed
        self.profile = profile
        self.seq = seq
        self.basis = basis
        self.urn = urn
        self.refusal = refusal
    }

    /// Decodes a result (`reason` is derived from `refusal`).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        allowed = try c.decode(Bool.self, forKey: .allowed)
        profile = try c.decode(String.self, forKey: .profile)
        seq = try c.decode(UInt64.self, forKey: .seq)
        basis = try c.decodeIfPresent(ViewBasis.self, forKey: .basis)
        urn = try c.decodeIfPresent(String.self, forKey: .urn)
        refusal = try c.decodeIfPresent(RIPAError.self, forKey: .refusal)
    }

    /// Encodes every field, `null` where there is none, the refusal's message as `reason`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(allowed, forKey: .allowed)
        try c.encode(profile, forKey: .profile)
        try c.encode(seq, forKey: .seq)
        try c.encode(basis, forKey: .basis)
        try c.encode(urn, forKey: .urn)
        try c.encode(reason, forKey: .reason)
        try c.encode(refusal, forKey: .refusal)
    }
}

/// What the gate would decide, recording nothing.
public struct GateDecision: Sendable, Hashable, Codable {
    /// Allowed or refused.
    public var allowed: Bool
    /// The normalised profile key.
    public var profile: String
    /// For an allowed look, the basis.
    public var basis: ViewBasis?
    /// For a refused look, why, as data.
    public var refusal: RIPAError?
    /// For a refused look, the refusal's message.
    public var reason: String? { refusal?.message }

    /// Encodes every field, `null` where there is none.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(allowed, forKey: .allowed)
        try c.encode(profile, forKey: .profile)
        try c.encode(basis, forKey: .basis)
        try c.encode(refusal, forKey: .refusal)
    }
}

/// An alias as recorded.
public struct AliasResult: Sendable, Hashable, Codable {
    /// The `profile.aliased` entry.
    public var seq: UInt64
    /// The two profile keys recorded as one account.
    public var profiles: [String]
    /// Every key now counted as one account with them.
    public var group: [String]
    /// The first key.
    public var first: String { profiles.first ?? "" }
    /// The second key.
    public var second: String { profiles.count > 1 ? profiles[1] : "" }
}

/// One alias recorded (`ripa aliases`).
public struct AliasRecord: Sendable, Hashable, Codable {
    /// The `profile.aliased` entry.
    public var seq: UInt64
    /// When.
    public var time: EntryTime
    /// The monitoring officer who recorded it.
    public var recordedBy: String
    /// The two profile keys.
    public var profiles: [String]
    /// Why they are one account.
    public var evidence: String
    /// The keys counted as one account with them now.
    public var group: [String]
    /// The first key.
    public var first: String { profiles.first ?? "" }
    /// The second key.
    public var second: String { profiles.count > 1 ? profiles[1] : "" }

    enum CodingKeys: String, CodingKey { case seq, time, recordedBy = "recorded_by", profiles, evidence, group }
}
