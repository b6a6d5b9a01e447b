import Foundation
import Ledger
import RegisterStorage

/// Where a register's entry times come from.
///
/// A real register stamps entries with the system clock only: a user who could set the
/// clock could backdate a look under an expired authorisation, or push every live one past
/// its expiry. A fixed clock is a property of a *test register*, chosen at `init` and
/// recorded in its signed genesis entry.
public enum RegisterClock: Sendable {
    /// The system clock.
    case system
    /// A clock of the caller's (demos, tests of expiry); only a test register accepts it.
    case test(@Sendable () -> EntryTime)

    var now: @Sendable () -> EntryTime {
        switch self {
        case .system: { .now() }
        case .test(let clock): clock
        }
    }

    var isTest: Bool {
        if case .test = self { return true }
        return false
    }
}

/// The register as the domain sees it: a store, its key store and a clock.
///
/// Every write goes through `write(_:)`, which takes the write lock, loads the register
/// key, lets the caller decide and append, and keeps the projections in step — all in one
/// durable transaction.
public struct Register: Sendable {
    /// The storage.
    public let store: RegisterStore
    /// Where the register key is kept (never in the store).
    public let keyStore: any RegisterKeyStore
    /// The time entries are stamped with.
    public let clock: @Sendable () -> EntryTime
    /// Whether this is a test register (its genesis entry says so): every output that
    /// reports on the register says so too, so a test register is never taken for a real one.
    public let isTestRegister: Bool
    /// Every case as last decoded, by log size (`authorisations()`).
    let authorisationCache = AuthorisationCache()

    init(store: RegisterStore, keyStore: any RegisterKeyStore, clock: RegisterClock, isTestRegister: Bool) throws {
        guard isTestRegister || !clock.isTest else {
            throw RIPAError(.badInput, "a fixed clock is refused: this is a real register, whose entry times come from the system clock only (only a test register takes a fixed clock)", reason: .clockNeedsTestRegister)
        }
        self.store = store
        self.keyStore = keyStore
        self.clock = clock.now
        self.isTestRegister = isTestRegister
    }

    /// Opens an existing register over its store and key store.
    ///
    /// - Parameter clock: `.system`, or a test clock, which only a test register accepts.
    /// - Throws: `StoreError` when the store holds no register; `RIPAError.badInput` for a
    ///   test clock on a real register.
    public static func open(store: RegisterStore, keyStore: any RegisterKeyStore, clock: RegisterClock = .system) async throws -> Register {
        // From the signed genesis entry, never from a projection someone could edit.
        let genesis = try await store.read { try $0.entry(at: 0) }
        let creation = try genesis.body.decode(RegisterCreation.self)
        return try Register(
            store: store.with(keyring: try await dataKeyring(store: store, keyStore: keyStore)), keyStore: keyStore, clock: clock,
            isTestRegister: creation.testRegister == true)
    }

    /// The keyring over the data-protection key kept beside the register key. A register made
    /// before personal data was sealed gains one on its first writable open, if it has no data
    /// key yet; a read-only open without the key reads personal data as sealed.
    static func dataKeyring(store: RegisterStore, keyStore: any RegisterKeyStore) async throws -> DataKeyring? {
        // A reader who may not read the key file (an auditor's account on a copy) reads the
        // personal fields as sealed; only a writer needs it.
        if store.isReadOnly { return (try? keyStore.dataProtectionKey())?.map(DataKeyring.init(protectionKey:)) }
        if let key = try keyStore.dataProtectionKey() { return DataKeyring(protectionKey: key) }
        guard try await store.read({ try $0.dataKeyRows() }).isEmpty else {
            throw RIPAError(
                .keyFile, "the data-protection key is missing from beside the register key (\(keyStore.location)): every case's personal data is sealed under it; restore it from the key backup",
                reason: "data.noProtectionKey")
        }
        return DataKeyring(protectionKey: try keyStore.createDataProtectionKey())
    }

    /// The verifier key the log names as current.
    public func verifierKey() async throws -> NoteVerifierKey {
        let text = try await store.read { try $0.meta(Projector.verifierKeyMeta) }
        guard let text else { throw RIPAError(.keyFile, "the register has no verifier key recorded", reason: .registerNoVerifierKey) }
        return try NoteVerifierKey(parsing: text)
    }

    /// Runs `body` inside one append transaction, signed with the register's current key.
    public func write<T: Sendable>(_ body: @Sendable (RegisterWriter) throws -> T) async throws -> T {
        try await store.append(
            checkpointSigners: { reader in
                guard let current = try reader.meta(Projector.verifierKeyMeta) else {
                    throw RIPAError(.keyFile, "the register has no verifier key recorded", reason: .registerNoVerifierKey)
                }
                return [try keyStore.load(matching: current)]
            },
            now: clock(), body)
    }

    /// Unlocks a user's key with their passphrase, and checks it is the key the register
    /// has for them in force: a sealed key copied from another user's row, or an old one
    /// written back after `user passwd`, is refused, not used.
    ///
    /// - Throws: `RIPAError.unknownUser` if there is no such active user (or their invitation
    ///   is unaccepted), `.notPermitted` if the register is not yet open (`Accounts.requireOpen`),
    ///   `.wrongPassphrase` if the passphrase does not unseal the key, `.notPermitted` if the
    ///   unsealed key is not theirs in force.
    public func unlock(userID: String, passphrase: String) async throws -> Actor {
        let (user, sealed, account) = try await store.read { reader in
            (try reader.user(id: userID), try reader.sealedKey(userID: userID), try reader.account(id: userID))
        }
        guard let user else {
            if let account, account.revokedSeq == nil {
                if account.acceptedSeq == nil {
                    throw RIPAError(.unknownUser, "user '\(userID)' has not accepted their invitation yet and can sign nothing", reason: .userNotAccepted, values: ["user_id": userID])
                }
                try await store.read { reader in try Accounts.requireOpen(LiveAccountContext(reader: reader)) }
            }
            throw RIPAError(.unknownUser, "no user '\(userID)' is enrolled", reason: .userUnknown, values: ["user_id": userID])
        }
        guard user.isActive else {
            throw RIPAError(.unknownUser, "user '\(userID)' was revoked at entry \(user.revokedSeq!) and can no longer act")
        }
        guard let sealed else {
            throw RIPAError(.unknownUser, "user '\(userID)' has no key in this register")
        }
        try requireSealingCost(sealed, userID: userID)
        let key: SigningKey
        do {
            key = try sealed.unseal(passphrase: passphrase)
        } catch {
            guard error.code == .wrongPassphrase else { throw error }
            throw RIPAError(.wrongPassphrase, "wrong passphrase for '\(userID)'")
        }
        guard key.publicKey == user.publicKey else {
            let whose: String
            if account?.retiredKeys.contains(key.publicKey.base64) == true {
                whose = "a key of '\(userID)' that was replaced (a passphrase change) and signs nothing any more"
            } else if let owner = try await store.read({ try $0.user(publicKey: key.publicKey) }) {
                whose = "the key of '\(owner.userID)'"
            } else {
                whose = "not the key enrolled for '\(userID)'"
            }
            throw RIPAError(
                .notPermitted, "the sealed key stored for '\(userID)' is \(whose): the sealed_keys table was altered; nothing was signed (restore the row from a backup taken after the user's last passphrase change)",
                reason: .userKeyNotInForce, values: ["user_id": userID])
        }
        // Taken after the unseal (which takes a while by design): the moment the passphrase was
        // proved, on the log's timeline — never before the last entry, as the next entry's time
        // never is (`RegisterWriter.nextTime`), so a clock running behind the log cannot make
        // a fresh unlock look stale.
        let now = clock()
        let last = try await store.read { reader in try reader.size() == 0 ? nil : try reader.entry(at: reader.size() - 1).time }
        return Actor(user: user, key: key, authenticatedAt: last.map { max($0, now) } ?? now)
    }
}

extension RegisterWriter {
    /// Appends an entry signed by a user, after checking they are active and hold a role
    /// allowed to write that kind (`Accounts.requireRole`, as `ripa verify` checks), and
    /// projects it: a user entry's own rules are checked there, by `Accounts.apply`.
    ///
    /// - Throws: `RIPAError.notPermitted` naming the role needed.
    @discardableResult
    public func append(_ kind: EntryKind, _ body: some Encodable, by actor: Actor) throws -> Entry {
        try append(kind, json: try JSONValue(encoding: body), by: actor)
    }

    /// As `append(_:_:by:)`, with a body already in JSON form (the hot paths build it directly).
    @discardableResult
    public func append(_ kind: EntryKind, json body: JSONValue, by actor: Actor) throws -> Entry {
        guard let current = try reader.user(id: actor.user.userID), current.isActive,
              current.publicKey == actor.user.publicKey, actor.key.publicKey == current.publicKey
        else {
            throw RIPAError(.unknownUser, "user '\(actor.user.userID)' is not an active user of this register")
        }
        // A users row exists only once the register is open (`Account.userRecord`), so the
        // founders-first rule needs no read here; the role rule is the one `ripa verify` runs.
        try Accounts.requireRole(
            kind, userID: current.userID, roles: current.roles.compactMap(Role.init(rawValue:)),
            pending: reader.account(id: current.userID)?.pending)
        let authenticated = SignerAuthentication.kinds.contains(kind)
        let stamped = authenticated ? SignerAuthentication.stamp(body, with: actor.authenticatedAt) : body
        // Personal fields are sealed under the case's data key before signing: the signature
        // and the tree cover the ciphertext, and stay valid when the key is destroyed.
        let (stored, opened) = try BodySealing.sealing(stamped, kind: kind, writer: self)
        let entry = try append(kind: kind.rawValue, body: stored, signedBy: actor.key)
        if authenticated { try requireAuthentication(entry) }
        try Projector.apply(entry, to: self)
        // Its caller reads it as decisions do: personal fields opened (its leaf data is the
        // stored bytes). A body just sealed here is known opened; any other is opened as read.
        if let opened { return entry.replacingBody(opened) }
        return try reader.opened(entry).entry
    }

    /// `SignerAuthentication`'s rule, live: always required, against the pack in force before
    /// the entry (a refusal rolls the append back).
    func requireAuthentication(_ entry: Entry) throws {
        let rule = try LiveCaseContext(reader: reader).policy()?.policy.rules.sessionRules ?? .standard
        try SignerAuthentication.check(entry, rule: rule, required: true)
    }

    /// Appends an entry signed by the register key and projects it.
    @discardableResult
    func appendAsRegister(_ kind: EntryKind, _ body: some Encodable, key: SigningKey, founders: Int) throws -> Entry {
        precondition(kind.permitsRegisterKey(at: size, founders: founders))
        let entry = try append(kind: kind.rawValue, body: JSONValue(encoding: body), signedBy: key)
        if SignerAuthentication.applies(to: kind, signedByRegisterKey: true) { try requireAuthentication(entry) }
        try Projector.apply(entry, to: self)
        return entry
    }
}
