import Ledger
import RegisterStorage

/// `verify --replay`'s own view of the register, built only from the entries it has
/// walked, never from the stored projections: users, the pack in force, cases and views.
struct ReplayContext: CaseContext {
    private var usersByKey: [PublicKey: UserRecord] = [:]
    private var keysByID: [String: PublicKey] = [:]
    private var adopted: AdoptedPolicy?
    private var cases: [String: Authorisation] = [:]
    private var urnCounts: [String: Int] = [:]
    private var casesByProfile: [String: [String]] = [:]
    private var caseSeqs: [String: UInt64] = [:]
    private var verifierKey: String?
    /// Views replayed but not yet compared with the stored rows (see `checkViews(with:)`).
    private var pendingViews: [ViewRecord] = []
    private var viewCount = 0
    private var accounts: [String: Account] = [:]
    private var testRegister = false
    /// Allowed looks (initial and authorised) by profile key: one a view, so kept compact.
    private var allowedViews = AllowedLooks()
    /// Alias groups: each aliased key's group key (the smallest key in it), and each group's keys.
    private var groupOf: [String: String] = [:]
    private var groups: [String: [String]] = [:]
    private(set) var decisions = 0

    func user(publicKey: PublicKey) throws -> UserRecord? { usersByKey[publicKey] }
    func user(id: String) throws -> UserRecord? { keysByID[id].flatMap { usersByKey[$0] } }
    func isTestRegister() throws -> Bool { testRegister }
    func policy() throws -> AdoptedPolicy? { adopted }
    func authorisation(urn: String) throws -> Authorisation? { cases[urn] }
    func urnCount(type: AuthorisationType, year: Int) throws -> Int { urnCounts["\(type.rawValue)/\(year)"] ?? 0 }
    func authorisations(coveringProfile profile: String) throws -> [Authorisation] {
        (casesByProfile[profile] ?? []).compactMap { cases[$0] }
    }
    func allowedViewCount(profile: String, since: EntryTime?) throws -> Int {
        var count = 0
        for key in try aliasGroup(of: profile) {
            count += allowedViews.count(for: key, since: since)
        }
        return count
    }
    func aliasGroup(of profile: String) throws -> [String] {
        groupOf[profile].flatMap { groups[$0] } ?? [profile]
    }

    /// Checks the stored projections against this replay of the log, field by field: they
    /// are caches, and a cache that disagrees with the log misleads every later decision.
    /// Users (every column), cases (the whole document, type, year, last entry, profile index),
    /// the register's projected state (verifier key, pack in force) and the view rows not yet
    /// checked by `checkViews(with:)`; then that no stored view row is left over.
    ///
    /// - Throws: `VerificationFailure` (check `replay`) naming the row and the field that differ.
    mutating func compare(with reader: RegisterReader) throws {
        try checkViews(with: reader)
        let stored = try reader.authorisations()
        guard stored.count == cases.count else { throw Self.differs("the cases (\(stored.count) stored, \(cases.count) in the log)") }
        var indexed = 0
        for record in stored {
            guard let replayed = cases[record.urn] else { throw Self.differs("case \(record.urn) (not in the log)") }
            let profiles = Set(replayed.application.profileKeys)
            indexed += profiles.count
            let fields: [(String, Bool)] = [
                ("document", record.document == (try JSONValue(encoding: replayed))),
                ("type", record.type == replayed.type.rawValue),
                ("year", record.year == Casework.year(ofURN: replayed.urn)),
                ("updated_seq", record.updatedSeq == caseSeqs[record.urn]),
                ("profile index", Set(record.profiles) == profiles && record.profiles.count == profiles.count),
            ]
            if let field = fields.first(where: { !$0.1 }) { throw Self.differs("case \(record.urn) (\(field.0))") }
        }
        guard try reader.authorisationProfileCount() == indexed else { throw Self.differs("the profile index of the cases (rows that name no case)") }

        let users = try reader.users()
        guard users.count == usersByKey.count else { throw Self.differs("the users (\(users.count) stored, \(usersByKey.count) in the log)") }
        for user in users {
            guard let replayed = keysByID[user.userID].flatMap({ usersByKey[$0] }) else { throw Self.differs("user \(user.userID) (not in the log)") }
            let fields: [(String, Bool)] = [
                ("name", user.name == replayed.name), ("roles", user.roles == replayed.roles), ("rank", user.rank == replayed.rank),
                ("head_of_paid_service", user.headOfPaidService == replayed.headOfPaidService),
                ("public_key", user.publicKey == replayed.publicKey), ("enrolled_seq", user.enrolledSeq == replayed.enrolledSeq),
                ("revoked_seq", user.revokedSeq == replayed.revokedSeq),
            ]
            if let field = fields.first(where: { !$0.1 }) { throw Self.differs("user \(user.userID) (\(field.0))") }
        }

        let storedAccounts = try reader.accountDocuments()
        guard storedAccounts.count == accounts.count else { throw Self.differs("the accounts (\(storedAccounts.count) stored, \(accounts.count) in the log)") }
        for (userID, document) in storedAccounts {
            guard let replayed = accounts[userID], try JSONValue(encoding: replayed) == document else { throw Self.differs("account \(userID)") }
        }

        let meta: [(String, String?)] = [
            (Projector.verifierKeyMeta, verifierKey),
            (Projector.policyMeta, adopted.map { String($0.seq) }), (Projector.policyHashMeta, adopted?.hash),
        ]
        for (key, replayed) in meta where try reader.meta(key) != replayed {
            throw Self.differs("the register's \(key)")
        }

        let replayedGroups = groups.values.sorted { $0[0].utf8.lexicographicallyPrecedes($1[0].utf8) }
        guard try reader.aliasGroups() == replayedGroups else { throw Self.differs("the profile aliases") }

        guard try reader.viewCount() == viewCount else { throw Self.differs("the views (\(try reader.viewCount()) rows stored, \(viewCount) looks in the log)") }
    }

    /// Compares the view rows of the entries replayed since the last call with the stored
    /// ones, each by its key (profile, entry): every column must match. Called after each chunk
    /// of entries, so memory stays flat however many views the log holds.
    ///
    /// - Throws: `VerificationFailure` (check `replay`) naming the entry whose row differs.
    mutating func checkViews(with reader: RegisterReader) throws {
        defer { pendingViews.removeAll(keepingCapacity: true) }
        for view in pendingViews {
            guard let stored = try reader.view(profileKey: view.profileKey, seq: view.seq) else {
                throw Self.differs("the view of entry \(view.seq) (no row for \(view.profileKey): deleted, or moved to another profile)")
            }
            let fields: [(String, Bool)] = [
                ("time", stored.time == view.time), ("viewer", stored.viewer == view.viewer), ("case_ref", stored.caseRef == view.caseRef),
                ("urn", stored.urn == view.urn), ("outcome", stored.outcome == view.outcome),
            ]
            if let field = fields.first(where: { !$0.1 }) { throw Self.differs("the view of entry \(view.seq) (\(field.0))") }
        }
    }

    static func differs(_ what: String) -> VerificationFailure {
        VerificationFailure(index: nil, check: .replay, "the stored projection of \(what) differs from a replay of the log; rebuild the projections from the log")
    }

    /// Takes in the accounts the authority walk found an entry changed: the users who may sign
    /// (as `Account.userRecord` derives them, live and here alike) and the accounts themselves.
    mutating func take(_ changed: [Account], registerOpen: Bool) {
        for account in changed {
            accounts[account.userID] = account
            if let old = keysByID[account.userID] { usersByKey[old] = nil }
            keysByID[account.userID] = nil
            if let record = account.userRecord(registerOpen: registerOpen) {
                usersByKey[record.publicKey] = record
                keysByID[record.userID] = record.publicKey
            }
        }
    }

    /// Re-runs the entry's decision and takes in its effect.
    ///
    /// - Throws: `VerificationFailure` (check `replay`) naming the entry and the rule.
    mutating func replay(_ entry: Entry) throws {
        guard let kind = EntryKind(rawValue: entry.kind) else { return }
        switch kind {
        case .registerCreated:
            let creation = try? entry.body.decode(RegisterCreation.self)
            verifierKey = creation?.verifierKey
            testRegister = creation?.testRegister == true
            return
        case .registerKeyRotated:
            verifierKey = (try? entry.body.decode(RegisterKeyRotation.self))?.verifierKey
            return
        case .userInvited, .userAccepted, .userApproved, .userRolesChanged, .userRevoked, .userKeyReplaced:
            // Checked by the authority walk under the same `Accounts` rules; its changes arrive through `take`.
            return
        default:
            break
        }
        let effect: Casework.Effect
        do {
            effect = try Casework.apply(entry, kind: kind, context: self)
        } catch let error as RIPAError {
            // The live register decides from its projections: if they had been edited (a row
            // deleted, which the live path cannot see), an honest entry can land here.
            throw VerificationFailure(index: entry.seq, check: .replay, "\(entry.kind) does not follow the rules in force: \(error.message) (if the stored projections were edited before this entry, the register decided from them: a rebuild of the projections lists every such entry)")
        } catch let error as LedgerError {
            throw VerificationFailure(index: entry.seq, check: .replay, "\(entry.kind) body is malformed: \(error.message)")
        }
        decisions += 1
        switch effect {
        case .none:
            break
        case .policy(let policy):
            adopted = policy
        case .authorisation(let authorisation):
            if cases[authorisation.urn] == nil {
                urnCounts["\(authorisation.type.rawValue)/\(Casework.year(ofURN: authorisation.urn))", default: 0] += 1
                for profile in authorisation.application.profileKeys { casesByProfile[profile, default: []].append(authorisation.urn) }
            }
            cases[authorisation.urn] = authorisation
            caseSeqs[authorisation.urn] = entry.seq
        case .view(let view):
            if view.outcome != .refused { allowedViews.append(view.time, for: view.profileKey) }
            viewCount += 1
            pendingViews.append(view)
        case .alias(let alias):
            // Byte order, as SQLite orders the stored groups.
            let members = Set(try aliasGroup(of: alias.first) + aliasGroup(of: alias.second))
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for member in members {
                if let old = groupOf[member] { groups[old] = nil }
                groupOf[member] = members[0]
            }
            groups[members[0]] = members
        }
    }
}
