import Foundation
import Ledger

/// What the account rules may consult: the accounts just before an entry, the founding
/// administrators and test flag from the signed genesis, and the pack's two-person rule.
/// The live register reads its projections; `ripa verify` answers from its own walk.
public protocol AccountContext {
    /// The account with an id.
    func account(id: String) throws -> Account?
    /// Every account.
    func accounts() throws -> [Account]
    /// The founding administrators the genesis entry names.
    func founders() throws -> [String]
    /// Whether the genesis entry makes this a test register.
    func isTestRegister() throws -> Bool
    /// The pack's two-person rule in force.
    func twoPersonControl() throws -> PolicyRules.TwoPersonControl
}

/// The rules for accounts as one pure function (RIPA.md §3, issues 8 §2 and 9 §4): enrolment is
/// an invitation the person accepts with their own new key; a key is replaced only by an entry
/// its predecessor signs; privileged roles need other administrators' approval; no one removes
/// themselves or the last administrator; a real register opens only once both founding
/// administrators have accepted.
///
/// This is the one place these rules live. The live register runs `apply` when it projects a
/// user entry inside the append (a refusal rolls the append back, so nothing is written), and
/// `ripa verify` runs it on every user entry of the log: a refusal live and a finding in
/// verification are the same check with the same words. `requireOpen` and `requireRole`, the
/// rules on who may sign any entry, are shared the same way.
public enum Accounts {
    /// Checks a user entry and returns the accounts it changes (more than one when the last
    /// founding administrator's acceptance opens the register).
    ///
    /// - Parameter byRegisterKey: whether the register key signed it (founding invitations only).
    /// - Throws: `RIPAError` naming the rule broken.
    public static func apply(_ entry: Entry, kind: EntryKind, byRegisterKey: Bool, context: some AccountContext) throws -> [Account] {
        switch kind {
        case .userInvited:
            let body = try entry.body.decode(UserInvitation.self)
            try NewUser(userID: body.userID, name: body.name, roles: body.roles, rank: body.rank).validate()
            if let existing = try context.account(id: body.userID) {
                let lapsed = existing.acceptedSeq == nil && (existing.revokedSeq != nil || entry.time > existing.expiresAt)
                guard lapsed else {
                    let invited = existing.acceptedSeq == nil
                    let state = invited ? "has an open invitation (withdraw it, or wait until it expires)" : "is already enrolled; user ids are never reused"
                    throw RIPAError(
                        .badInput, "user '\(body.userID)' \(state)",
                        reason: .userIDTaken, values: ["user_id": body.userID, "state": invited ? "invited" : "enrolled"])
                }
            }
            let rule = try context.twoPersonControl()
            guard body.codeHash.count == 64, body.codeHash.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw RIPAError(.badInput, "the invitation's code_hash is not a lower-case hex SHA-256")
            }
            let latest = entry.time.millisecondsSince1970 + Int64(rule.invitationDays) * 86_400_000
            guard body.expiresAt > entry.time, body.expiresAt.millisecondsSince1970 <= latest else {
                throw RIPAError(.badInput, "the invitation runs to \(body.expiresAt), but an invitation lasts at most \(rule.invitationDays) days (two_person_control.invitation_days)")
            }
            var account = Account(
                userID: body.userID, name: body.name, rank: body.rank, headOfPaidService: body.headOfPaidService,
                invitedSeq: entry.seq, invitedBy: nil, codeHash: body.codeHash, expiresAt: body.expiresAt,
                acceptedSeq: nil, publicKey: nil, retiredKeys: [], roles: [], pending: nil, revokedSeq: nil)
            if byRegisterKey {
                guard try context.founders().contains(body.userID), body.roles == [.administrator] else {
                    throw RIPAError(.notPermitted, "the register key invites only the founding administrators the genesis entry names")
                }
                account.roles = [.administrator]
            } else {
                let signer = try authorisedSigner(entry, kind, context)
                account.invitedBy = signer.userID
                try request(body.roles, for: &account, by: signer.userID, seq: entry.seq, rule: rule, context: context)
            }
            return [account]

        case .userAccepted:
            let body = try entry.body.decode(UserAcceptance.self)
            guard var account = try context.account(id: body.userID) else {
                throw RIPAError(.unknownUser, "no invitation for '\(body.userID)'; an administrator enrols people by inviting them", reason: .userNoInvitation, values: ["user_id": body.userID])
            }
            guard account.acceptedSeq == nil else {
                throw RIPAError(.badInput, "the invitation of '\(body.userID)' was already accepted at entry \(account.acceptedSeq!): an invitation is used once")
            }
            guard account.revokedSeq == nil else {
                throw RIPAError(.unknownUser, "the invitation of '\(body.userID)' was withdrawn at entry \(account.revokedSeq!)")
            }
            guard body.invitation == account.invitedSeq else {
                throw RIPAError(.badInput, "the acceptance names invitation \(body.invitation) but the open invitation of '\(body.userID)' is entry \(account.invitedSeq)")
            }
            guard entry.time <= account.expiresAt else {
                throw RIPAError(
                    .badInput, "the invitation of '\(body.userID)' expired at \(account.expiresAt); ask an administrator for a new one",
                    reason: .userInvitationExpired, values: ["user_id": body.userID, "expires_at": account.expiresAt.description])
            }
            guard InvitationCode.hash(ofProof: body.codeProof) == account.codeHash else {
                throw RIPAError(.badInput, "that code is not the invitation code of '\(body.userID)'; nothing was written")
            }
            let key: PublicKey
            do { key = try PublicKey(base64: body.publicKey) } catch {
                throw RIPAError(.badInput, "the acceptance's public key is malformed")
            }
            guard key == entry.signer else {
                throw RIPAError(.notPermitted, "the acceptance of '\(body.userID)' is not signed by the key it names (no proof of possession)")
            }
            try requireUnused(body.publicKey, context)
            account.acceptedSeq = entry.seq
            account.publicKey = body.publicKey
            guard account.isFounder else { return [account] }
            // The last founder's acceptance opens the register: every founder's row changes.
            let founders = try context.founders()
            var all = [account]
            for id in founders where id != account.userID {
                guard let other = try context.account(id: id) else { continue }
                all.append(other)
            }
            return all

        case .userApproved:
            let body = try entry.body.decode(UserApproval.self)
            let signer = try authorisedSigner(entry, kind, context)
            guard var account = try context.account(id: body.userID), account.revokedSeq == nil else {
                throw RIPAError(.unknownUser, "no user '\(body.userID)' is enrolled", reason: .userUnknown, values: ["user_id": body.userID])
            }
            guard var pending = account.pending else {
                throw RIPAError(.wrongState, "'\(body.userID)' has no roles awaiting approval")
            }
            guard pending.seq == body.request, Set(pending.roles) == Set(body.roles) else {
                throw RIPAError(.wrongState, "'\(body.userID)' has no request for \(body.roles.map(\.rawValue).joined(separator: ", ")) at entry \(body.request) awaiting approval")
            }
            guard signer.userID != pending.requestedBy else {
                throw RIPAError(.separationOfDuties, "\(signer.userID) asked for these roles and may not approve them: another administrator must (two-person control, RIPA.md §3)")
            }
            guard signer.userID != account.userID else {
                throw RIPAError(.separationOfDuties, "\(signer.userID) may not approve their own roles (RIPA.md §3)")
            }
            guard !pending.approvals.contains(signer.userID) else {
                throw RIPAError(.separationOfDuties, "\(signer.userID) has already approved this request; it needs another administrator")
            }
            pending.approvals.append(signer.userID)
            if pending.approvals.count >= pending.required {
                account.roles = Array(Set(account.roles + pending.roles)).sorted()
                account.pending = nil
            } else {
                account.pending = pending
            }
            return [account]

        case .userRolesChanged:
            let body = try entry.body.decode(UserRolesChange.self)
            let signer = try authorisedSigner(entry, kind, context)
            var account = try activeAccount(body.userID, context)
            try requireRemovable(
                account, by: signer, removesAdministrator: account.roles.contains(.administrator) && !body.roles.contains(.administrator),
                selfRule: "an administrator cannot change their own roles", context)
            guard !body.roles.isEmpty else { throw RIPAError(.badInput, "give at least one role", reason: .inputMissing, values: ["field": "roles"]) }
            try request(body.roles, for: &account, by: signer.userID, seq: entry.seq, rule: try context.twoPersonControl(), context: context)
            return [account]

        case .userRevoked:
            let body = try entry.body.decode(UserRevocation.self)
            // Free text, like every reason: newlines allowed, control characters not.
            guard !body.reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw RIPAError(.badInput, "give the reason for the revocation", reason: .inputMissing, values: ["field": "reason"])
            }
            try TextField.check(body.reason, "reason", .multiLine)
            let signer = try authorisedSigner(entry, kind, context)
            guard var account = try context.account(id: body.userID) else {
                throw RIPAError(.unknownUser, "no user '\(body.userID)' is enrolled", reason: .userUnknown, values: ["user_id": body.userID])
            }
            if let revoked = account.revokedSeq {
                let what = account.acceptedSeq == nil ? "the invitation of '\(body.userID)' was already withdrawn" : "user '\(body.userID)' was already revoked"
                throw RIPAError(.unknownUser, "\(what) at entry \(revoked)")
            }
            try requireRemovable(
                account, by: signer, removesAdministrator: account.isActiveAdministrator,
                selfRule: "an administrator cannot revoke themselves", context)
            account.revokedSeq = entry.seq
            account.pending = nil
            return [account]

        case .userKeyReplaced:
            let body = try entry.body.decode(UserKeyReplacement.self)
            var account = try activeAccount(body.userID, context)
            guard let current = account.publicKey, body.previousPublicKey == current, entry.signer.base64 == current else {
                throw RIPAError(.notPermitted, "a key replacement for '\(body.userID)' must be signed by their key in force and name it")
            }
            try requireOpen(context)
            guard (try? PublicKey(base64: body.publicKey)) != nil else {
                throw RIPAError(.badInput, "the new public key is malformed")
            }
            try requireUnused(body.publicKey, context)
            account.retiredKeys.append(current)
            account.publicKey = body.publicKey
            return [account]

        default:
            return []
        }
    }

    /// Whether every founding administrator has accepted: before that only their acceptances
    /// may be written (a real register starts with two, so no one person founds it alone).
    public static func isOpen(_ context: some AccountContext) throws -> Bool {
        for id in try context.founders() {
            guard try context.account(id: id)?.acceptedSeq != nil else { return false }
        }
        return true
    }

    /// The founders-first rule, for any entry but a founder's acceptance: the register must be open.
    ///
    /// - Throws: `RIPAError.notPermitted` naming the founders still awaited.
    public static func requireOpen(_ context: some AccountContext) throws {
        let waiting = try context.founders().filter { try context.account(id: $0)?.acceptedSeq == nil }
        guard waiting.isEmpty else {
            throw RIPAError(.notPermitted, "the register is not open: nothing but the founding administrators' acceptances may be written before every founding administrator accepted their invitation (waiting for \(waiting.joined(separator: ", ")))")
        }
    }

    /// Who may sign a kind: a user holding one of its roles in force. A privileged role awaiting
    /// approval does not count; the message says so, and who can approve it.
    ///
    /// - Parameter pending: the signer's roles awaiting approval, read only if the check fails
    ///   (the live path checks every append, views included, from the `users` row alone).
    /// - Throws: `RIPAError.notPermitted` naming the role needed.
    public static func requireRole(
        _ kind: EntryKind, userID: String, roles: [Role], pending: @autoclosure () throws -> Account.RoleRequest?
    ) throws {
        guard !kind.permits(roles: roles) else { return }
        let held = roles.isEmpty ? "no roles" : roles.map(\.rawValue).joined(separator: ", ")
        var message = "\(userID) (\(held)) may not write \(kind.rawValue): it needs \(kind.rolesText)"
        var values = ["user_id": userID, "kind": kind.rawValue, "roles_needed": kind.rolesText]
        if case .role(let needed) = kind.signer, let pending = try pending(), pending.roles.contains(where: needed.contains) {
            let awaiting = pending.roles.map(\.rawValue).joined(separator: ", ")
            message += "; \(awaiting) awaits approval by another administrator, and a role awaiting approval signs nothing"
            values["awaiting_approval"] = awaiting
        }
        throw RIPAError(.notPermitted, message, reason: .userRoleNeeded, values: values)
    }

    /// The active account whose key in force signed the entry, once the register is open, holding
    /// a role in force that may write the kind.
    static func authorisedSigner(_ entry: Entry, _ kind: EntryKind, _ context: some AccountContext) throws -> Account {
        let key = entry.signer.base64
        guard let signer = try context.accounts().first(where: { $0.publicKey == key }), signer.isActive else {
            throw RIPAError(.unknownUser, "entry \(entry.seq) is signed by a key no active user holds")
        }
        try requireOpen(context)
        try requireRole(kind, userID: signer.userID, roles: signer.roles, pending: signer.pending)
        return signer
    }

    /// The account of an active user (accepted, not revoked), or why there is none.
    static func activeAccount(_ userID: String, _ context: some AccountContext) throws -> Account {
        guard let account = try context.account(id: userID) else {
            throw RIPAError(.unknownUser, "no user '\(userID)' is enrolled", reason: .userUnknown, values: ["user_id": userID])
        }
        if let revoked = account.revokedSeq { throw RIPAError(.unknownUser, "user '\(userID)' was already revoked at entry \(revoked)") }
        guard account.acceptedSeq != nil else { throw RIPAError(.unknownUser, "'\(userID)' has not accepted their invitation yet") }
        return account
    }

    /// An administrator's own account and roles are changed only by another administrator
    /// (separation of duties), and the last administrator is never removed: with none left no
    /// one could enrol, approve or revoke again. The signer holds the administrator role, so
    /// only a self-removal can leave none; the message then names both rules.
    static func requireRemovable(
        _ account: Account, by signer: Account, removesAdministrator: Bool, selfRule: String, _ context: some AccountContext
    ) throws {
        let userID = account.userID
        let last = try removesAdministrator && !context.accounts().contains { $0.isActiveAdministrator && $0.userID != userID }
        if signer.userID == userID {
            throw RIPAError(.separationOfDuties, last
                ? "\(selfRule), and '\(userID)' is the last administrator: enrol another administrator first"
                : "\(selfRule); ask another administrator")
        }
        // Unreachable while only an administrator signs; kept so the rule does not rest on that.
        if last { throw RIPAError(.badInput, "'\(userID)' is the last administrator; enrol another before removing them") }
    }

    /// A key is used once: never another account's, never a retired one.
    static func requireUnused(_ key: String, _ context: some AccountContext) throws {
        for account in try context.accounts() where account.publicKey == key || account.retiredKeys.contains(key) {
            throw RIPAError(.badInput, "public key \(key) is already used by '\(account.userID)'")
        }
    }

    /// Asks for roles: ordinary ones and privileged ones already held take effect at once;
    /// other privileged ones wait for approval — except on a test register whose requester is
    /// its only active administrator, or whose pack sets 0 approvals.
    static func request(_ roles: [Role], for account: inout Account, by requester: String, seq: UInt64,
                        rule: PolicyRules.TwoPersonControl, context: some AccountContext) throws {
        let roles = Array(Set(roles)).sorted()
        let added = roles.filter { $0.isPrivileged && !account.roles.contains($0) }
        guard !added.isEmpty else {
            account.roles = roles
            account.pending = nil
            return
        }
        let testRegister = try context.isTestRegister()
        try rule.requireFloor(testRegister: testRegister)
        let otherAdministrators = try context.accounts().filter { $0.isActiveAdministrator && $0.userID != account.userID }
        if rule.approvals == 0 || (testRegister && otherAdministrators.count <= 1) {
            account.roles = roles
            account.pending = nil
            return
        }
        let approvers = otherAdministrators.filter { $0.userID != requester }
        guard approvers.count >= rule.approvals else {
            throw RIPAError(.separationOfDuties, "\(added.map(\.rawValue).joined(separator: ", ")) needs \(rule.approvals) approval\(rule.approvals == 1 ? "" : "s") by administrators other than \(requester) and \(account.userID), but there \(approvers.count == 1 ? "is" : "are") \(approvers.count); enrol another administrator first (two-person control, RIPA.md §3)")
        }
        account.roles = roles.filter { !$0.isPrivileged || account.roles.contains($0) }
        account.pending = Account.RoleRequest(seq: seq, requestedBy: requester, roles: added, approvals: [], required: rule.approvals)
    }
}

/// The accounts held in memory, for `ripa verify`: the same `Accounts` rules, with a key index
/// so that each entry's signer is found in one lookup.
struct AccountBook: AccountContext {
    private(set) var byID: [String: Account] = [:]
    /// Current keys → user id.
    private(set) var owners: [PublicKey: String] = [:]
    /// Replaced keys → user id, and the entry that replaced them (for messages).
    private(set) var retired: [PublicKey: String] = [:]
    var founderIDs: [String] = []
    var testRegister = false
    var rule = PolicyRules.TwoPersonControl.standard
    /// `Accounts.isOpen`, kept: it is asked of every entry, and once open a register stays open.
    private(set) var open = true

    func account(id: String) throws -> Account? { byID[id] }
    func accounts() throws -> [Account] { Array(byID.values) }
    func founders() throws -> [String] { founderIDs }
    func isTestRegister() throws -> Bool { testRegister }
    func twoPersonControl() throws -> PolicyRules.TwoPersonControl { rule }

    /// Starts from the genesis entry.
    mutating func found(_ creation: RegisterCreation) {
        founderIDs = creation.administrators ?? []
        testRegister = creation.testRegister == true
        open = (try? Accounts.isOpen(self)) == true
    }

    /// Takes in the accounts an entry changed.
    mutating func update(_ changed: [Account]) {
        for account in changed {
            if let old = byID[account.userID]?.publicKey, let key = try? PublicKey(base64: old) { owners[key] = nil }
            byID[account.userID] = account
            if let text = account.publicKey, let key = try? PublicKey(base64: text) { owners[key] = account.userID }
            for text in account.retiredKeys { if let key = try? PublicKey(base64: text) { retired[key] = account.userID } }
        }
        if !open { open = (try? Accounts.isOpen(self)) == true }
    }

    var activeCount: Int { byID.values.count(where: \.isActive) }
}

/// Kept in a `verify --save-state` file, so the next `verify --since` goes on from here. Only
/// the accounts and the settings are written: the key indexes are rebuilt from the accounts.
extension AccountBook: Codable {
    enum CodingKeys: String, CodingKey { case accounts, founders, testRegister = "test_register", rule, open }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        founderIDs = try container.decode([String].self, forKey: .founders)
        testRegister = try container.decode(Bool.self, forKey: .testRegister)
        rule = try container.decode(PolicyRules.TwoPersonControl.self, forKey: .rule)
        update(try container.decode([Account].self, forKey: .accounts))
        open = try container.decode(Bool.self, forKey: .open)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(byID.values.sorted { $0.userID < $1.userID }, forKey: .accounts)
        try container.encode(founderIDs, forKey: .founders)
        try container.encode(testRegister, forKey: .testRegister)
        try container.encode(rule, forKey: .rule)
        try container.encode(open, forKey: .open)
    }
}
