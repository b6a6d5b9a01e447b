import Foundation
import Ledger
import RegisterStorage

/// An invitation as issued: the code is shown once, to hand to the person; only its hash is
/// in the register.
public struct IssuedInvitation: Sendable {
    /// Who is invited.
    public let userID: String
    /// The one-time code.
    public let code: InvitationCode
    /// Until when it can be accepted.
    public let expiresAt: EntryTime
    /// The `user.invited` entry.
    public let entry: Entry
    /// Privileged roles that will wait for other administrators' approval.
    public let awaitingApproval: [Role]
}

extension Register {
    /// Checks a new passphrase: the one place every passphrase a person chooses (at
    /// `user accept` and `user passwd`) is checked, against `PassphraseRule` (NIST SP 800-63B-4).
    ///
    /// - Throws: `RIPAError.badInput` saying what a passphrase needs.
    public static func checkNewPassphrase(_ passphrase: String, userID: String, name: String? = nil) throws(RIPAError) {
        try PassphraseRule.check(passphrase, userID: userID, name: name)
    }

    /// Seals a user's key under their passphrase at the register's cost (`keySealingCost`):
    /// the one place a user key is sealed.
    func sealUserKey(_ key: SigningKey, passphrase: String) throws -> SealedKey {
        try SealedKey.seal(key, passphrase: passphrase, cost: keySealingCost)
    }

    /// Makes a register in an empty store: keeps a new register key in `keyStore`, and in one
    /// transaction signed by the register key the genesis entry (naming the founding
    /// administrators), the initial pack and each founder's invitation. No one holds a user key
    /// yet: each founder accepts their own invitation (`acceptInvitation`), and nothing else can
    /// be written until all have. Nothing is left behind if any step fails.
    ///
    /// - Parameters:
    ///   - administrators: the founders: at least two on a real register, one allowed on a test register.
    /// - Returns: the register, its verifier key (to publish) and the founders' invitations.
    public static func build(
        store: RegisterStore, keyStore: any RegisterKeyStore, administrators: [NewUser],
        policy: (policy: Policy, files: [String]),
        testRegister: Bool = false, clock: RegisterClock = .system
    ) async throws -> (Register, NoteVerifierKey, [IssuedInvitation]) {
        if clock.isTest, !testRegister {
            throw RIPAError(.badInput, "a fixed clock is only for a test register", reason: .clockNeedsTestRegister)
        }
        let origin = store.origin
        let registerKey: NoteSignerKey
        do {
            registerKey = try NoteSignerKey(name: origin, signingKey: SigningKey())
        } catch {
            throw RIPAError(.badInput, "origin '\(origin)' cannot name a register: \(error.message) (use a form like ripa.example-council.gov.uk/register)")
        }
        guard !administrators.isEmpty else { throw RIPAError(.badInput, "name the founding administrators", reason: .registerNoFounders) }
        guard testRegister || administrators.count >= 2 else {
            throw RIPAError(
                .separationOfDuties, "a real register starts with two administrators: no one person founds it (RIPA.md §3); only a test register may start with one",
                reason: .registerOneFounder, values: ["founders": String(administrators.count)])
        }
        for administrator in administrators {
            try administrator.validate()
            guard administrator.roles == [.administrator] else {
                throw RIPAError(.badInput, "a founding administrator holds the administrator role only")
            }
        }
        guard Set(administrators.map(\.userID)).count == administrators.count else {
            throw RIPAError(.badInput, "the founding administrators must have different user ids")
        }
        try policy.policy.rules.twoPersonControl.requireFloor(testRegister: testRegister)
        try keyStore.create(registerKey)
        do {
            let keyring = DataKeyring(protectionKey: try keyStore.createDataProtectionKey())
            let register = try Register(store: store.with(keyring: keyring), keyStore: keyStore, clock: clock, isTestRegister: testRegister)
            let founders = administrators.map(\.userID)
            let invitations = try await store.append(checkpointSigners: [registerKey], now: register.clock()) { writer in
                // Checked under the write lock (a read first would also leave SQLite a reader to close).
                guard writer.size == 0 else {
                    throw StoreError(.alreadyExists, "\(store.backend.location) already holds a register")
                }
                try writer.appendAsRegister(
                    .registerCreated,
                    RegisterCreation(
                        format: RegisterFormat.current, origin: origin, verifierKey: registerKey.verifierKey.description,
                        testRegister: testRegister, administrators: founders),
                    key: registerKey.signingKey, founders: founders.count)
                try writer.appendAsRegister(
                    .policyAdopted, try PolicyAdoption(policy: policy.policy, files: policy.files),
                    key: registerKey.signingKey, founders: founders.count)
                return try administrators.map { administrator in
                    let code = InvitationCode.generate()
                    let body = administrator.invitation(code: code, at: writer.nextTime, rule: policy.policy.rules.twoPersonControl)
                    let entry = try writer.appendAsRegister(.userInvited, body, key: registerKey.signingKey, founders: founders.count)
                    return IssuedInvitation(userID: administrator.userID, code: code, expiresAt: body.expiresAt, entry: entry, awaitingApproval: [])
                }
            }
            return (register, registerKey.verifierKey, invitations)
        } catch {
            // The caller discards the store; the key must not outlive it.
            keyStore.remove()
            throw error
        }
    }

    /// Enrols a person (`user.invited`): an invitation with a one-time code, shown once.
    /// Privileged roles wait for another administrator's approval (`approve`).
    public func invite(_ user: NewUser, by actor: Actor) async throws -> IssuedInvitation {
        try user.validate()
        let code = InvitationCode.generate()
        return try await write { writer in
            let rule = try LiveCaseContext(reader: writer.reader).policy()?.policy.rules.twoPersonControl ?? .standard
            let body = user.invitation(code: code, at: writer.nextTime, rule: rule)
            let entry = try writer.append(.userInvited, body, by: actor)
            let account = try writer.reader.account(id: user.userID)
            return IssuedInvitation(
                userID: user.userID, code: code, expiresAt: body.expiresAt, entry: entry,
                awaitingApproval: account?.pending?.roles ?? [])
        }
    }

    /// Accepts an invitation (`user.accepted`): makes the person's key, signs the acceptance
    /// with it (proof of possession) and seals it under the passphrase they chose, so no one
    /// else ever knew it.
    ///
    /// - Throws: `RIPAError` for an unknown, used, withdrawn or expired invitation, a wrong
    ///   code or a passphrase that fails `checkNewPassphrase`.
    @discardableResult
    public func acceptInvitation(userID: String, code text: String, passphrase: String) async throws -> Entry {
        let code = try InvitationCode(parsing: text)
        try Self.checkNewPassphrase(passphrase, userID: userID)
        let key = SigningKey()
        let sealed = try sealUserKey(key, passphrase: passphrase)
        return try await write { writer in
            // The acceptance names the open invitation; with none it names entry 0 and
            // `Accounts.apply` refuses it when projected, as `ripa verify` would.
            let invitation = try writer.reader.account(id: userID)?.invitedSeq ?? 0
            let body = UserAcceptance(userID: userID, invitation: invitation, publicKey: key.publicKey.base64, codeProof: code.proof)
            let entry = try writer.append(kind: EntryKind.userAccepted.rawValue, body: JSONValue(encoding: body), signedBy: key)
            try Projector.apply(entry, to: writer)
            try writer.saveSealedKey(sealed, userID: userID)
            return entry
        }
    }

    /// Approves a pending grant of privileged roles (`user.approved`), as an administrator other
    /// than the one who asked and the person. `Accounts.apply` checks it when projected.
    @discardableResult
    public func approve(_ userID: String, by actor: Actor) async throws -> (entry: Entry, account: Account) {
        try await write { writer in
            // The approval names what awaits approval; with nothing awaiting it names nothing,
            // and `Accounts.apply` refuses it (the rule and its words are there, once).
            let pending = try writer.reader.account(id: userID)?.pending
            let body = UserApproval(userID: userID, request: pending?.seq ?? 0, roles: pending?.roles ?? [])
            let entry = try writer.append(.userApproved, body, by: actor)
            // Projected, so the account is there: `Accounts.apply` refuses an approval of none.
            return (entry, try writer.reader.account(id: userID)!)
        }
    }

    /// Changes a user's roles (`user.roles-changed`). An administrator cannot change their own,
    /// nor remove the last administrator; privileged roles not already held wait for approval.
    /// `Accounts.apply` checks it when projected.
    @discardableResult
    public func changeRoles(of userID: String, to roles: [Role], by actor: Actor) async throws -> (entry: Entry, account: Account?) {
        try await write { writer in
            let entry = try writer.append(.userRolesChanged, UserRolesChange(userID: userID, roles: roles), by: actor)
            return (entry, try writer.reader.account(id: userID))
        }
    }

    /// Revokes a user, or withdraws an unaccepted invitation (`user.revoked`): they can sign
    /// nothing from then on. Not oneself, not the last administrator: `Accounts.apply` checks
    /// it when projected.
    @discardableResult
    public func revoke(_ userID: String, reason: String, by actor: Actor) async throws -> Entry {
        try await write { writer in
            try writer.append(.userRevoked, UserRevocation(userID: userID, reason: reason), by: actor)
        }
    }

    /// Replaces the user's key (`user.key-replaced`, signed by the old key) and seals the new
    /// one under the new passphrase. From then on only the new key signs for them: the old
    /// sealed key, restored from a backup or written back by hand, unlocks nothing.
    @discardableResult
    public func changePassphrase(of actor: Actor, to passphrase: String) async throws -> Entry {
        try Self.checkNewPassphrase(passphrase, userID: actor.user.userID, name: actor.user.name)
        let key = SigningKey()
        let sealed = try sealUserKey(key, passphrase: passphrase)
        return try await write { writer in
            let body = UserKeyReplacement(userID: actor.user.userID, publicKey: key.publicKey.base64, previousPublicKey: actor.key.publicKey.base64)
            let entry = try writer.append(.userKeyReplaced, body, by: actor)
            try writer.saveSealedKey(sealed, userID: actor.user.userID)
            return entry
        }
    }

    /// Every account, in invitation order.
    public func accounts() async throws -> [Account] {
        try await store.read { reader in try reader.accounts() }
    }

    /// Whether every founding administrator has accepted.
    public func isOpen() async throws -> Bool {
        try await store.read { reader in try Accounts.isOpen(LiveAccountContext(reader: reader)) }
    }

    /// Replaces the register key (`register.key-rotated`, signed by the old key). The
    /// checkpoint of the rotation carries both signatures; later ones only the new key's.
    ///
    /// - Returns: the new verifier key.
    public func rotateKey(reason: String, by actor: Actor) async throws -> NoteVerifierKey {
        guard actor.holds(.administrator) else {
            throw RIPAError(.notPermitted, "\(actor.user.userID) may not rotate the register key: it needs the administrator role")
        }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RIPAError(.badInput, "give the reason for the rotation", reason: .inputMissing, values: ["field": "reason"])
        }
        let current = try await verifierKey()
        let old = try keyStore.load(matching: current.description)
        let next = try NoteSignerKey(name: old.name, signingKey: SigningKey())
        try keyStore.stage(next)
        do {
            try await write { writer in
                writer.checkpointSigners = [old, next]
                try writer.appendAsRegister(
                    .registerKeyRotated,
                    RegisterKeyRotation(
                        verifierKey: next.verifierKey.description, previousVerifierKey: old.verifierKey.description,
                        requestedBy: actor.user.userID, reason: reason, authenticatedAt: actor.authenticatedAt),
                    key: old.signingKey, founders: 0)
                // The projections' tags are keyed from the register key: every row is checked
                // under the old key and re-tagged under the new one here, in the rotation's own
                // transaction, so the two cannot disagree after a crash.
                try writer.reauthenticateProjections(with: ProjectionAuthenticator(registerKey: next))
            }
        } catch {
            keyStore.discardStaged()
            throw error
        }
        try keyStore.promoteStaged()
        return next.verifierKey
    }
}

extension NewUser {
    func invitation(code: InvitationCode, at time: EntryTime, rule: PolicyRules.TwoPersonControl) -> UserInvitation {
        UserInvitation(
            userID: userID, name: name, roles: roles, rank: rank, headOfPaidService: headOfPaidService, codeHash: code.hash,
            expiresAt: EntryTime(millisecondsSince1970: time.millisecondsSince1970 + Int64(rule.invitationDays) * 86_400_000))
    }
}

extension RegisterReader {
    /// A user's account, decoded.
    func account(id: String) throws -> Account? {
        try accountDocument(userID: id).map { try $0.decode(Account.self) }
    }

    /// Every account, in invitation order.
    func accounts() throws -> [Account] {
        try accountDocuments().map { try $0.document.decode(Account.self) }.sorted { $0.invitedSeq < $1.invitedSeq }
    }
}

/// The live register's account context: its projections, read inside the transaction.
struct LiveAccountContext: AccountContext {
    let reader: RegisterReader

    func account(id: String) throws -> Account? { try reader.account(id: id) }
    func accounts() throws -> [Account] { try reader.accounts() }
    func founders() throws -> [String] { try genesis().administrators ?? [] }
    func isTestRegister() throws -> Bool { try genesis().testRegister == true }
    func twoPersonControl() throws -> PolicyRules.TwoPersonControl {
        try LiveCaseContext(reader: reader).policy()?.policy.rules.twoPersonControl ?? .standard
    }
    private func genesis() throws -> RegisterCreation { try reader.entry(at: 0).body.decode(RegisterCreation.self) }
}
