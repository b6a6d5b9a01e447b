import Foundation
import Ledger
import RegisterStore

extension Register {
    /// Builds a register in place: the database, the register key file (0600, beside it), the
    /// genesis entry and the first administrator's enrolment. `create` calls it in a staging
    /// folder and moves the result into place.
    ///
    /// - Returns: the register and its verifier key (to publish).
    ///   `policy`, when given, is adopted by the administrator in the same transaction.
    static func build(
        databasePath: String, origin: String, administrator: NewUser, passphrase: String,
        policy: (policy: Policy, files: [String])? = nil,
        testRegister: Bool = false, clock: RegisterClock = .system
    ) throws -> (Register, NoteVerifierKey) {
        if clock.isTest, !testRegister {
            throw RIPAError(.badInput, "a fixed clock ($RIPA_CLOCK) is only for a test register: add --test-register, or unset RIPA_CLOCK")
        }
        try administrator.validate()
        guard administrator.roles.contains(.administrator) else {
            throw RIPAError(.badInput, "the first user must be an administrator")
        }
        let keyFile = RegisterKeyFile(databasePath: databasePath)
        let registerKey: NoteSignerKey
        do {
            registerKey = try NoteSignerKey(name: origin, signingKey: SigningKey())
        } catch {
            throw RIPAError(.badInput, "origin '\(origin)' cannot name a register: \(error.message) (use a form like ripa.example-council.gov.uk/register)")
        }
        if FileManager.default.fileExists(atPath: keyFile.path) {
            throw RIPAError(.keyFile, "\(keyFile.path) already exists; init never overwrites a key (move it away or choose another --db)")
        }
        let store = try RegisterStore.create(at: databasePath, origin: origin)
        do {
            try keyFile.create(registerKey)
            let register = try Register(store: store, keyFile: keyFile, clock: clock, isTestRegister: testRegister)
            let adminKey = SigningKey()
            let sealed = try Register.seal(adminKey, passphrase: passphrase, userID: administrator.userID, name: administrator.name, testRegister: testRegister)
            try store.append(checkpointSigners: [registerKey], now: register.clock()) { writer in
                try writer.appendAsRegister(
                    .registerCreated,
                    RegisterCreation(
                        format: RegisterSchema.format, origin: origin, verifierKey: registerKey.verifierKey.description,
                        testRegister: testRegister),
                    key: registerKey.signingKey)
                try writer.appendAsRegister(
                    .userEnrolled, administrator.enrolment(publicKey: adminKey.publicKey), key: registerKey.signingKey)
                try writer.saveSealedKey(sealed, userID: administrator.userID)
                if let policy {
                    guard let user = try writer.reader.user(id: administrator.userID) else { return }
                    try writer.append(.policyAdopted, try PolicyAdoption(policy: policy.policy, files: policy.files), by: Actor(user: user, key: adminKey))
                }
            }
            return (register, registerKey.verifierKey)
        } catch {
            try? store.close()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: databasePath + suffix) }
            keyFile.remove()
            throw error
        }
    }

    /// Enrols a user (`user.enrolled`), sealing their new key under their passphrase.
    @discardableResult
    public func enrol(_ user: NewUser, passphrase: String, by actor: Actor) throws -> Entry {
        try user.validate()
        let key = SigningKey()
        let sealed = try seal(key, passphrase: passphrase, userID: user.userID, name: user.name)
        return try write { writer in
            if let existing = try writer.reader.user(id: user.userID) {
                let state = existing.isActive ? "is already enrolled" : "was revoked; user ids are never reused"
                throw RIPAError(.badInput, "user '\(user.userID)' \(state)")
            }
            let entry = try writer.append(.userEnrolled, user.enrolment(publicKey: key.publicKey), by: actor)
            try writer.saveSealedKey(sealed, userID: user.userID)
            return entry
        }
    }

    /// Changes a user's roles (`user.roles-changed`). An administrator cannot change their own.
    @discardableResult
    public func changeRoles(of userID: String, to roles: [Role], by actor: Actor) throws -> Entry {
        guard userID != actor.user.userID else {
            throw RIPAError(.separationOfDuties, "an administrator cannot change their own roles; ask another administrator")
        }
        return try write { writer in
            let user = try activeUser(userID, in: writer.reader)
            if user.roles.contains(Role.administrator.rawValue), !roles.contains(.administrator) {
                try requireAnotherAdministrator(besides: userID, in: writer.reader)
            }
            return try writer.append(.userRolesChanged, UserRolesChange(userID: userID, roles: roles), by: actor)
        }
    }

    /// Revokes a user (`user.revoked`): they can sign nothing from then on.
    @discardableResult
    public func revoke(_ userID: String, reason: String, by actor: Actor) throws -> Entry {
        guard userID != actor.user.userID else {
            throw RIPAError(.separationOfDuties, "an administrator cannot revoke themselves; ask another administrator")
        }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RIPAError(.badInput, "give the reason for the revocation (--reason)")
        }
        return try write { writer in
            let user = try activeUser(userID, in: writer.reader)
            if user.roles.contains(Role.administrator.rawValue) {
                try requireAnotherAdministrator(besides: userID, in: writer.reader)
            }
            return try writer.append(.userRevoked, UserRevocation(userID: userID, reason: reason), by: actor)
        }
    }

    /// Re-seals a user's key under a new passphrase. Writes no entry: the key is unchanged.
    public func changePassphrase(of actor: Actor, to passphrase: String) throws {
        let sealed = try seal(actor.key, passphrase: passphrase, userID: actor.user.userID, name: actor.user.name)
        try store.append(checkpointSigners: [], now: clock()) { writer in
            try writer.saveSealedKey(sealed, userID: actor.user.userID)
        }
    }

    /// Replaces the register key (`register.key-rotated`, signed by the old key). The
    /// checkpoint of the rotation carries both signatures; later ones only the new key's.
    ///
    /// - Returns: the new verifier key.
    public func rotateKey(reason: String, by actor: Actor) throws -> NoteVerifierKey {
        guard actor.holds(.administrator) else {
            throw RIPAError(.notPermitted, "\(actor.user.userID) may not rotate the register key: it needs the administrator role")
        }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RIPAError(.badInput, "give the reason for the rotation (--reason)")
        }
        let current = try verifierKey()
        let old = try keyFile.load(matching: current.description)
        let next = try NoteSignerKey(name: old.name, signingKey: SigningKey())
        try keyFile.stage(next)
        do {
            try write { writer in
                writer.checkpointSigners = [old, next]
                try writer.appendAsRegister(
                    .registerKeyRotated,
                    RegisterKeyRotation(
                        verifierKey: next.verifierKey.description, previousVerifierKey: old.verifierKey.description,
                        requestedBy: actor.user.userID, reason: reason),
                    key: old.signingKey)
            }
        } catch {
            unlink(keyFile.pendingPath)
            throw error
        }
        try keyFile.promoteStaged()
        return next.verifierKey
    }

    private func activeUser(_ userID: String, in reader: RegisterReader) throws -> UserRecord {
        guard let user = try reader.user(id: userID) else {
            throw RIPAError(.unknownUser, "no user '\(userID)' is enrolled; `ripa user list` shows who is")
        }
        guard user.isActive else {
            throw RIPAError(.unknownUser, "user '\(userID)' was already revoked at entry \(user.revokedSeq!)")
        }
        return user
    }

    private func requireAnotherAdministrator(besides userID: String, in reader: RegisterReader) throws {
        let others = try reader.users().filter {
            $0.isActive && $0.userID != userID && $0.roles.contains(Role.administrator.rawValue)
        }
        guard !others.isEmpty else {
            throw RIPAError(.badInput, "'\(userID)' is the last administrator; enrol another before removing them")
        }
    }
}
