import Ledger
import RegisterStorage
import Synchronization

/// What a decision may consult: the register as it stood just before the entry. The live
/// register reads its projections; `verify --replay` answers from its own replay of the
/// log. Both feed the same rules in `Casework`.
public protocol CaseContext {
    /// The user holding a key.
    func user(publicKey: PublicKey) throws -> UserRecord?
    /// The user with an id.
    func user(id: String) throws -> UserRecord?
    /// The pack in force.
    func policy() throws -> AdoptedPolicy?
    /// A case.
    func authorisation(urn: String) throws -> Authorisation?
    /// How many URNs of a type were issued in a year.
    func urnCount(type: AuthorisationType, year: Int) throws -> Int
    /// The cases whose subjects' online identities include the profile.
    func authorisations(coveringProfile profile: String) throws -> [Authorisation]
    /// Looks at a profile or any key recorded as the same account that the gate allowed —
    /// initial examinations and looks under an authorisation alike — since `since` (nil: ever),
    /// for a decision at `time`.
    func allowedViewCount(profile: String, since: EntryTime?, at time: EntryTime) throws -> Int
    /// The keys recorded as one account with `profile` (`profile.aliased`), itself included,
    /// sorted.
    func aliasGroup(of profile: String) throws -> [String]
    /// Whether the signed genesis makes this a test register (some floors bind only a real one).
    func isTestRegister() throws -> Bool
}

extension CaseContext {
    /// A context that does not say is held to a real register's floors.
    public func isTestRegister() throws -> Bool { false }
}

/// The live register's context: its projections, read inside the write transaction.
struct LiveCaseContext: CaseContext {
    let reader: RegisterReader

    func user(publicKey: PublicKey) throws -> UserRecord? { try reader.user(publicKey: publicKey) }
    func user(id: String) throws -> UserRecord? { try reader.user(id: id) }
    func isTestRegister() throws -> Bool { try LiveAccountContext(reader: reader).isTestRegister() }

    /// Decoded packs by their hash: decoding a pack costs far more than the gate's whole
    /// decision, and a pack's content never changes under its hash.
    private static let decoded = Mutex<[String: AdoptedPolicy]>([:])

    func policy() throws -> AdoptedPolicy? {
        // Inside a write both rows' tags are checked: an edit here could put an older, laxer pack in force.
        guard let hash = try reader.authenticatedMeta(Projector.policyHashMeta) else { return nil }
        guard let text = try reader.authenticatedMeta(Projector.policyMeta), let seq = UInt64(text) else { return nil }
        if let cached = Self.decoded.withLock({ $0[hash] }), cached.seq == seq { return cached }
        let adoption = try reader.entry(at: seq).body.decode(PolicyAdoption.self)
        guard try PolicyAdoption.hash(of: adoption.policy) == hash else {
            throw RIPAError(.policy, "the pack in force (entry \(seq)) does not match its recorded hash", reason: .policyHashMismatch, values: ["seq": String(seq)])
        }
        let adopted = AdoptedPolicy(policy: adoption.policy, hash: hash, seq: seq)
        Self.decoded.withLock { $0[hash] = adopted }
        return adopted
    }

    func authorisation(urn: String) throws -> Authorisation? {
        try reader.authorisation(urn: urn).map { try reader.openedAuthorisation($0) }
    }

    func urnCount(type: AuthorisationType, year: Int) throws -> Int {
        try reader.authorisationCount(type: type.rawValue, year: year)
    }

    func authorisations(coveringProfile profile: String) throws -> [Authorisation] {
        var found: [Authorisation] = []
        for key in try AuthorisationIndex.lookupKeys(profile, reader: reader) {
            found += try reader.authorisations(coveringProfile: key).map { try reader.openedAuthorisation($0) }
        }
        return found
    }

    func allowedViewCount(profile: String, since: EntryTime?, at time: EntryTime) throws -> Int {
        var keys: [String] = []
        for member in try AliasIndex.group(of: profile, reader: reader) {
            keys += try ProfileTag.lookupKeys(member, since: since, now: time, keys: reader)
        }
        return try reader.allowedViewCount(lookupKeys: keys, since: since)
    }

    func aliasGroup(of profile: String) throws -> [String] {
        try AliasIndex.group(of: profile, reader: reader)
    }
}
