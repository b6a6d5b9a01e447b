import Ledger
import RegisterStore
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
    /// Views of a profile allowed without an authorisation since `since` (nil: ever).
    func initialViewCount(profile: String, since: EntryTime?) throws -> Int
}

/// The live register's context: its projections, read inside the write transaction.
struct LiveCaseContext: CaseContext {
    let reader: RegisterReader

    func user(publicKey: PublicKey) throws -> UserRecord? { try reader.user(publicKey: publicKey) }
    func user(id: String) throws -> UserRecord? { try reader.user(id: id) }

    /// Decoded packs by the hash of their entry's bytes: an entry never changes, and
    /// decoding a pack costs far more than the gate's whole decision.
    private static let decoded = Mutex<[Hash: AdoptedPolicy]>([:])

    func policy() throws -> AdoptedPolicy? {
        guard let text = try reader.meta(Projector.policyMeta), let seq = UInt64(text),
              let leaf = try reader.leafData(at: seq)
        else { return nil }
        let key = Hash.sha256(leaf)
        if let cached = Self.decoded.withLock({ $0[key] }) { return cached }
        let adoption = try Entry(leafData: leaf).body.decode(PolicyAdoption.self)
        let adopted = AdoptedPolicy(policy: adoption.policy, hash: adoption.hash, seq: seq)
        Self.decoded.withLock { $0[key] = adopted }
        return adopted
    }

    func authorisation(urn: String) throws -> Authorisation? {
        try reader.authorisation(urn: urn).map { try $0.document.decode(Authorisation.self) }
    }

    func urnCount(type: AuthorisationType, year: Int) throws -> Int {
        try reader.authorisationCount(type: type.rawValue, year: year)
    }

    func authorisations(coveringProfile profile: String) throws -> [Authorisation] {
        try reader.authorisations(coveringProfile: profile).map { try $0.document.decode(Authorisation.self) }
    }

    func initialViewCount(profile: String, since: EntryTime?) throws -> Int {
        try reader.initialViewCount(profileKey: profile, since: since)
    }
}
