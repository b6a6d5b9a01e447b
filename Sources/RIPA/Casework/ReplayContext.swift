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
    /// Where the data keys are read (the snapshot being verified, with the keyring), to open
    /// sealed bodies and compute the profile tags looks are counted by; nil without the keyring.
    /// Not saved with a verify state: the verifier reads them from the snapshot it verifies.
    var dataKeys: DataKeySet?
    /// Entries whose decisions could not be re-run in full: their personal data was destroyed
    /// or is sealed and the data-protection key is not here.
    private(set) var notRechecked = 0
    /// Whether an earlier decision carried `authenticated_at`: from then on every one must.
    private var authenticationSeen = false
    /// Whether an alias could not be read (its year's tag key destroyed, or no keyring here):
    /// from then on a look or an alias the live gate decided with it cannot be re-decided in
    /// full, and one that does not re-decide as recorded is taken as recorded (not re-checked).
    private var aliasUnreadable = false
    /// Legal holds, destruction requests and destructions, replayed (`ReplayContext+Retention.swift`).
    var retention = RetentionLedger()

    func user(publicKey: PublicKey) throws -> UserRecord? { usersByKey[publicKey] }
    func user(id: String) throws -> UserRecord? { keysByID[id].flatMap { usersByKey[$0] } }
    func isTestRegister() throws -> Bool { testRegister }
    func policy() throws -> AdoptedPolicy? { adopted }
    func authorisation(urn: String) throws -> Authorisation? { cases[urn] }
    func urnCount(type: AuthorisationType, year: Int) throws -> Int { urnCounts["\(type.rawValue)/\(year)"] ?? 0 }
    func authorisations(coveringProfile profile: String) throws -> [Authorisation] {
        (casesByProfile[profile] ?? []).compactMap { cases[$0] }
    }
    func allowedViewCount(profile: String, since: EntryTime?, at time: EntryTime) throws -> Int {
        var count = 0
        for member in try aliasGroup(of: profile) {
            for key in try dataKeys.map({ try ProfileTag.lookupKeys(member, since: since, now: time, keys: $0) }) ?? [member] {
                count += allowedViews.count(for: key, since: since)
            }
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
            // A sealed document is compared opened, and its profile index by the profiles' tags.
            let sealed = record.document[BodySealing.member] != nil
            var profiles = Set(replayed.application.profileKeys)
            var indexComparable = true
            if sealed {
                if case .key(let key)? = try reader.dataKey(AuthorisationIndex.name) {
                    profiles = Set(profiles.map { ProfileTag.tag($0, key: key) })
                } else {
                    indexComparable = false
                    profiles = Set(record.profiles)
                }
            }
            indexed += profiles.count
            // Without the data-protection key a sealed document cannot be compared; its other
            // columns and the log's signatures still are.
            var readable = !sealed
            if sealed, case .key? = try reader.dataKey(record.urn) { readable = true }
            // `.none`, not `nil`: JSONValue is ExpressibleByNilLiteral, so a bare nil here would be JSON null.
            let document: JSONValue? = readable ? try AuthorisationDocument.opened(record.document, urn: record.urn, reader: reader) : .none
            let replayedDocument = try JSONValue(encoding: replayed)
            // A sealed document is exactly its box, for this case: a member added beside it
            // (the attacker cannot reach inside) is an edit.
            let wellFormed = !sealed || (record.document.objectValue?.count == 1 && record.document[BodySealing.member]?["case"]?.stringValue == record.urn)
            let fields: [(String, Bool)] = [
                ("document", wellFormed && (document == nil || document == replayedDocument)),
                ("type", record.type == replayed.type.rawValue),
                ("year", record.year == Casework.year(ofURN: replayed.urn)),
                ("updated_seq", record.updatedSeq == caseSeqs[record.urn]),
                ("profile index", !indexComparable || (Set(record.profiles) == profiles && record.profiles.count == profiles.count)),
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

        // Stored members are tags standing for profiles (`AliasIndex`): read back through the
        // entries that name them; without the data-protection key they cannot be compared.
        let replayedGroups = groups.values.sorted { $0[0].utf8.lexicographicallyPrecedes($1[0].utf8) }
        let storedGroups: [[String]]?
        do { storedGroups = try AliasIndex.storedGroups(reader) } catch let error as RIPAError { throw Self.differs("the profile aliases (\(error.message))") }
        if let storedGroups, storedGroups != replayedGroups { throw Self.differs("the profile aliases") }

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

    /// `SignerAuthentication`'s rule, against the pack in force before the entry.
    private mutating func replayAuthentication(_ entry: Entry, kind: EntryKind) throws {
        guard SignerAuthentication.kinds.contains(kind) else { return }
        let registerKey = verifierKey.flatMap { try? NoteVerifierKey(parsing: $0) }?.publicKey
        guard SignerAuthentication.applies(to: kind, signedByRegisterKey: entry.signer == registerKey) else { return }
        do {
            let rule = adopted?.policy.rules.sessionRules ?? .standard
            if try SignerAuthentication.check(entry, rule: rule, required: authenticationSeen) != nil { authenticationSeen = true }
        } catch {
            throw VerificationFailure(index: entry.seq, check: .replay, "\(entry.kind) does not follow the rules in force: \(error.message)")
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
    mutating func replay(_ stored: Entry) throws {
        guard let kind = EntryKind(rawValue: stored.kind) else { return }
        // Decisions are re-run on the personal fields opened; where they are sealed (no
        // data-protection key here) or destroyed, what needs them cannot be re-checked.
        // Without any keys, placeholders stand in for the sealed fields, as for a destroyed case.
        let (entry, state) = try (dataKeys.map { try $0.opened(stored) } ?? NoDataKeys().opened(stored))
        if !state.isReadable {
            if kind == .profileAliased { aliasUnreadable = true }
            try replayUnreadable(entry, kind: kind)
            return
        }
        try replayAuthentication(entry, kind: kind)
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
        case .retentionHoldPlaced, .retentionHoldReleased, .retentionDestructionRequested, .personalDataDestroyed:
            try replayRetention(entry, kind: kind)
            decisions += 1
            return
        default:
            break
        }
        let effect: Casework.Effect
        do {
            effect = try Casework.apply(entry, kind: kind, context: self)
        } catch let error as RIPAError where aliasUnreadable && [.viewRecorded, .viewRefused, .profileAliased].contains(kind) {
            // Decided live with an alias that is gone: taken as recorded, not re-checked.
            _ = error
            try replayUnreadable(entry, kind: kind)
            return
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
            retention.noteLook(view)
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

extension ReplayContext {
    /// The active administrators, for two-person control over destruction.
    var activeAdministrators: [String] {
        usersByKey.values.filter { $0.isActive && $0.roles.contains(Role.administrator.rawValue) }.map(\.userID).sorted()
    }

    /// A case's personal data destroyed, as the live register rewrites its projection (under
    /// its last case entry, as a rebuild projects it).
    mutating func destroyPersonalData(of urn: String) {
        guard let authorisation = cases[urn] else { return }
        cases[urn] = authorisation.withPersonalDataDestroyed()
    }

    /// Takes in an entry whose personal fields cannot be read (destroyed, or sealed and no key
    /// here): a look counts by its tag as recorded, without re-deciding it; another decision is
    /// re-run on its fields as they read, and if its rules need what is gone it is taken as
    /// recorded. Signatures, order, roles and times were checked by the walk all the same.
    mutating func replayUnreadable(_ entry: Entry, kind: EntryKind) throws {
        notRechecked += 1
        switch kind {
        case .viewRecorded, .viewRefused:
            guard let body = try? ViewBody(json: entry.body), let viewer = try user(publicKey: entry.signer) else { return }
            let outcome: ViewRecord.Outcome = kind == .viewRefused ? .refused : body.basis == .authorisation ? .authorised : .initial
            let view = ViewRecord(
                seq: entry.seq, profileKey: body.profileTag ?? body.profile, time: entry.time, viewer: viewer.userID,
                caseRef: body.caseRef, urn: body.urn, outcome: outcome)
            if view.outcome != .refused { allowedViews.append(view.time, for: view.profileKey) }
            viewCount += 1
            pendingViews.append(view)
            retention.noteLook(view)
        default:
            let effect: Casework.Effect
            if let decided = try? Casework.apply(entry, kind: kind, context: self) {
                effect = decided
            } else if kind == .applicationSubmitted, let body = try? entry.body.decode(ApplicationSubmission.self),
                      let applicant = try user(publicKey: entry.signer), cases[body.urn] == nil {
                // Its subjects are gone, so the form no longer validates: taken as recorded, so
                // that the decisions on the case (a JP's, in the clear) still replay.
                effect = .authorisation(Authorisation(submission: body, applicant: applicant.userID, at: entry.time))
            } else {
                return
            }
            decisions += 1
            if case .authorisation(let authorisation) = effect {
                if cases[authorisation.urn] == nil {
                    urnCounts["\(authorisation.type.rawValue)/\(Casework.year(ofURN: authorisation.urn))", default: 0] += 1
                }
                cases[authorisation.urn] = authorisation
                caseSeqs[authorisation.urn] = entry.seq
            }
        }
    }
}

/// Kept in a `verify --save-state` file, so `verify --since --replay` re-runs only the new
/// decisions, from the users, pack, cases, views and aliases the log had reached. Saved only
/// between chunks, when every replayed view has been compared (`pendingViews` is empty).
extension ReplayContext: Codable, Sendable {
    enum CodingKeys: String, CodingKey {
        case users, policy, cases, urnCounts = "urn_counts", casesByProfile = "cases_by_profile", caseSeqs = "case_seqs",
            verifierKey = "verifier_key", viewCount = "view_count", accounts, testRegister = "test_register",
            allowedViews = "allowed_views", groupOf = "group_of", groups, decisions, retention,
            notRechecked = "not_rechecked", authenticationSeen = "authentication_seen", aliasUnreadable = "alias_unreadable"
    }

    /// A user who may sign, as `UserRecord` holds them (which is not `Codable`: it is storage's type).
    private struct SavedUser: Codable {
        var userID: String, name: String, roles: [String], rank: String, headOfPaidService: Bool
        var publicKey: String, enrolledSeq: UInt64, revokedSeq: UInt64?
    }

    private struct SavedPolicy: Codable {
        var policy: Policy, hash: String, seq: UInt64
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        for user in try container.decode([SavedUser].self, forKey: .users) {
            let key: PublicKey
            do { key = try PublicKey(base64: user.publicKey) } catch {
                throw DecodingError.dataCorruptedError(forKey: .users, in: container, debugDescription: "user \(user.userID)'s key: \(error.message)")
            }
            usersByKey[key] = UserRecord(
                userID: user.userID, name: user.name, roles: user.roles, rank: user.rank, headOfPaidService: user.headOfPaidService,
                publicKey: key, enrolledSeq: user.enrolledSeq, revokedSeq: user.revokedSeq)
            keysByID[user.userID] = key
        }
        adopted = try container.decodeIfPresent(SavedPolicy.self, forKey: .policy).map { AdoptedPolicy(policy: $0.policy, hash: $0.hash, seq: $0.seq) }
        cases = try container.decode([String: Authorisation].self, forKey: .cases)
        urnCounts = try container.decode([String: Int].self, forKey: .urnCounts)
        casesByProfile = try container.decode([String: [String]].self, forKey: .casesByProfile)
        caseSeqs = try container.decode([String: UInt64].self, forKey: .caseSeqs)
        verifierKey = try container.decodeIfPresent(String.self, forKey: .verifierKey)
        viewCount = try container.decode(Int.self, forKey: .viewCount)
        accounts = try container.decode([String: Account].self, forKey: .accounts)
        testRegister = try container.decode(Bool.self, forKey: .testRegister)
        allowedViews = try container.decode(AllowedLooks.self, forKey: .allowedViews)
        groupOf = try container.decode([String: String].self, forKey: .groupOf)
        groups = try container.decode([String: [String]].self, forKey: .groups)
        decisions = try container.decode(Int.self, forKey: .decisions)
        retention = try container.decodeIfPresent(RetentionLedger.self, forKey: .retention) ?? RetentionLedger()
        notRechecked = try container.decode(Int.self, forKey: .notRechecked)
        // Once a decision carried `authenticated_at`, every later one must: the new part is held to it.
        authenticationSeen = try container.decode(Bool.self, forKey: .authenticationSeen)
        aliasUnreadable = try container.decodeIfPresent(Bool.self, forKey: .aliasUnreadable) ?? false
    }

    func encode(to encoder: any Encoder) throws {
        precondition(pendingViews.isEmpty, "the replay is saved only when every view has been compared")
        var container = encoder.container(keyedBy: CodingKeys.self)
        let users = usersByKey.values.sorted { $0.userID < $1.userID }.map {
            SavedUser(userID: $0.userID, name: $0.name, roles: $0.roles, rank: $0.rank, headOfPaidService: $0.headOfPaidService,
                      publicKey: $0.publicKey.base64, enrolledSeq: $0.enrolledSeq, revokedSeq: $0.revokedSeq)
        }
        try container.encode(users, forKey: .users)
        try container.encodeIfPresent(adopted.map { SavedPolicy(policy: $0.policy, hash: $0.hash, seq: $0.seq) }, forKey: .policy)
        try container.encode(cases, forKey: .cases)
        try container.encode(urnCounts, forKey: .urnCounts)
        try container.encode(casesByProfile, forKey: .casesByProfile)
        try container.encode(caseSeqs, forKey: .caseSeqs)
        try container.encodeIfPresent(verifierKey, forKey: .verifierKey)
        try container.encode(viewCount, forKey: .viewCount)
        try container.encode(accounts, forKey: .accounts)
        try container.encode(testRegister, forKey: .testRegister)
        try container.encode(allowedViews, forKey: .allowedViews)
        try container.encode(groupOf, forKey: .groupOf)
        try container.encode(groups, forKey: .groups)
        try container.encode(decisions, forKey: .decisions)
        try container.encode(retention, forKey: .retention)
        try container.encode(notRechecked, forKey: .notRechecked)
        try container.encode(authenticationSeen, forKey: .authenticationSeen)
        try container.encode(aliasUnreadable, forKey: .aliasUnreadable)
    }
}

/// The key source of a verifier without the data-protection key: every sealed field reads as
/// sealed (its placeholder), so the decisions that do not need it still replay.
struct NoDataKeys: DataKeySource {
    func dataKey(_ name: String, absenceIsFinal: Bool) throws -> DataKeyring.Lookup? { nil }
}
