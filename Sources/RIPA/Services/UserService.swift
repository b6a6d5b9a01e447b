import Foundation
import Ledger

/// People, their roles and keys, and the register key.
///
/// Every rule (who may enrol, approve, change roles or revoke; the last administrator; the
/// passphrase rule) is checked below this, by the `Register` core and `Accounts`, inside the
/// write transaction; a front end parses, calls and prints.
public struct UserService: Sendable {
    let register: Register

    /// Unlocks a user's key with their passphrase: the actor every write is signed by.
    ///
    /// - Throws: `RIPAError.unknownUser`, `.wrongPassphrase` or `.notPermitted` (`Register.unlock`).
    public func unlock(userID: String, passphrase: String) async throws -> Actor {
        try await register.unlock(userID: userID, passphrase: passphrase)
    }

    /// Enrols a person (`user.invited`): a one-time code, shown once, to hand to them. A
    /// privileged role waits for another administrator's approval.
    ///
    /// - Throws: `RIPAError` for a bad id, name, rank or roles, or an actor who may not enrol.
    public func invite(
        userID: String, name: String, roles: [Role], rank: String, headOfPaidService: Bool = false, by actor: Actor
    ) async throws -> InvitationIssued {
        let issued = try await register.invite(
            NewUser(userID: userID, name: name, roles: roles, rank: rank, headOfPaidService: headOfPaidService), by: actor)
        return InvitationIssued(issued)
    }

    /// Accepts an invitation (`user.accepted`): makes the person's key and seals it under the
    /// passphrase they chose, checked against `PassphraseRule` here, not by the front end.
    ///
    /// - Throws: `RIPAError` for a malformed or wrong code, an expired, used or withdrawn
    ///   invitation, or a passphrase the rule refuses.
    public func accept(userID: String, code: String, passphrase: String) async throws -> InvitationAccepted {
        let entry = try await register.acceptInvitation(userID: userID, code: code, passphrase: passphrase)
        return InvitationAccepted(userID: userID, seq: entry.seq, registerOpen: try await register.isOpen())
    }

    /// Checks an invitation code's form before anything else is asked of the person (their
    /// new passphrase, typed twice): the code is checked again, against the invitation, on
    /// acceptance.
    ///
    /// - Throws: `RIPAError.badInput` for anything that is not a code.
    public static func checkCodeForm(_ code: String) throws(RIPAError) {
        _ = try InvitationCode(parsing: code)
    }

    /// Approves a user's privileged roles awaiting approval (`user.approved`): two-person control.
    public func approve(_ userID: String, by actor: Actor) async throws -> UserChange {
        let (entry, account) = try await register.approve(userID, by: actor)
        return UserChange(userID: userID, seq: entry.seq, roles: account.roles, awaitingApproval: account.pending.map(PendingRoles.init))
    }

    /// Changes a user's roles (`user.roles-changed`) to the full list given; privileged roles
    /// not already held wait for approval.
    public func changeRoles(of userID: String, to roles: [Role], by actor: Actor) async throws -> UserChange {
        let (entry, account) = try await register.changeRoles(of: userID, to: roles, by: actor)
        return UserChange(
            userID: userID, seq: entry.seq, roles: account?.roles ?? roles, awaitingApproval: account?.pending.map(PendingRoles.init))
    }

    /// Revokes a user, or withdraws an unaccepted invitation (`user.revoked`).
    public func revoke(_ userID: String, reason: String, by actor: Actor) async throws -> UserChange {
        let entry = try await register.revoke(userID, reason: reason, by: actor)
        return UserChange(userID: userID, seq: entry.seq, roles: [], awaitingApproval: nil)
    }

    /// Replaces the actor's key under a new passphrase (`user.key-replaced`), checked against
    /// `PassphraseRule` here.
    public func changePassphrase(of actor: Actor, to passphrase: String) async throws -> UserChange {
        let entry = try await register.changePassphrase(of: actor, to: passphrase)
        return UserChange(userID: actor.userID, seq: entry.seq, roles: actor.roles, awaitingApproval: nil)
    }

    /// Every account and open invitation, in invitation order, with its status at the
    /// register's clock.
    public func list() async throws -> [UserSummary] {
        let (accounts, open) = (try await register.accounts(), try await register.isOpen())
        let now = register.clock()
        return accounts.map { UserSummary($0, registerOpen: open, at: now) }
    }

    /// One account.
    ///
    /// - Throws: `RIPAError.unknownUser` if no one is enrolled under the id.
    public func user(_ userID: String) async throws -> UserSummary {
        guard let account = try await register.accounts().first(where: { $0.userID == userID }) else {
            throw RIPAError(.unknownUser, "no user '\(userID)' is enrolled", reason: .userUnknown, values: ["user_id": userID])
        }
        return UserSummary(account, registerOpen: try await register.isOpen(), at: register.clock())
    }

    /// Whether every founding administrator has accepted (until then nothing else is written).
    public func isOpen() async throws -> Bool {
        try await register.isOpen()
    }

    /// Replaces the register key (`register.key-rotated`, signed by the old key).
    ///
    /// - Throws: `RIPAError.notPermitted` unless the actor is an administrator; `.badInput`
    ///   without a reason.
    public func rotateRegisterKey(reason: String, by actor: Actor) async throws -> RegisterKeyRotated {
        RegisterKeyRotated(verifierKey: try await register.rotateKey(reason: reason, by: actor).description)
    }
}
