import Ledger
import RegisterStorage

/// One person's account as the user entries leave it: the invitation, its acceptance, the
/// key in force (and those it replaced), the roles in force and those awaiting approval, and
/// any revocation. A projection (the `accounts` table) like the others, derived by `Accounts`
/// from the log alone; `users` holds only what signing needs.
public struct Account: Sendable, Hashable, Codable {
    /// Privileged roles asked for and not yet approved (two-person control, RIPA.md §3).
    public struct RoleRequest: Sendable, Hashable, Codable {
        /// The entry that asked (`user.invited` or `user.roles-changed`).
        public var seq: UInt64
        /// The administrator who asked.
        public var requestedBy: String
        /// The privileged roles waiting.
        public var roles: [Role]
        /// Administrators who approved so far.
        public var approvals: [String]
        /// Approvals needed (the pack's `two_person_control.approvals` when asked).
        public var required: Int
        enum CodingKeys: String, CodingKey { case seq, requestedBy = "requested_by", roles, approvals, required }
    }

    /// The id used with `--as`.
    public var userID: String
    /// Full name.
    public var name: String
    /// Rank or grade.
    public var rank: String
    /// Head of paid service.
    public var headOfPaidService: Bool
    /// The `user.invited` entry.
    public var invitedSeq: UInt64
    /// The administrator who invited them; nil for a founding administrator (the register key at `init`).
    public var invitedBy: String?
    /// The invitation's `code_hash`.
    public var codeHash: String
    /// The end of the invitation's validity.
    public var expiresAt: EntryTime
    /// The `user.accepted` entry, once accepted.
    public var acceptedSeq: UInt64?
    /// The key in force, base64; nil until accepted.
    public var publicKey: String?
    /// Keys replaced (`user.key-replaced`), oldest first: they sign nothing any more.
    public var retiredKeys: [String]
    /// Roles in force (once accepted).
    public var roles: [Role]
    /// Privileged roles awaiting approval.
    public var pending: RoleRequest?
    /// The `user.revoked` entry (or the withdrawal of an unaccepted invitation).
    public var revokedSeq: UInt64?

    enum CodingKeys: String, CodingKey {
        case userID = "user_id", name, rank, headOfPaidService = "head_of_paid_service", invitedSeq = "invited_seq",
            invitedBy = "invited_by", codeHash = "code_hash", expiresAt = "expires_at", acceptedSeq = "accepted_seq",
            publicKey = "public_key", retiredKeys = "retired_keys", roles, pending, revokedSeq = "revoked_seq"
    }

    /// Invited by the register key at `init`.
    public var isFounder: Bool { invitedBy == nil }
    /// Accepted and not revoked.
    public var isActive: Bool { acceptedSeq != nil && revokedSeq == nil }
    /// An active administrator.
    var isActiveAdministrator: Bool { isActive && roles.contains(.administrator) }

    /// Where the account stands, in words.
    public func status(registerOpen: Bool, at time: EntryTime) -> String {
        if let revokedSeq { return acceptedSeq == nil ? "invitation withdrawn at entry \(revokedSeq)" : "revoked at entry \(revokedSeq)" }
        guard acceptedSeq != nil else {
            return time > expiresAt ? "invitation expired \(expiresAt)" : "invited, not yet accepted (code valid until \(expiresAt))"
        }
        if !registerOpen { return "accepted; the register opens once every founding administrator has accepted" }
        if let pending {
            return "active; \(pending.roles.map(\.rawValue).joined(separator: ", ")) awaiting approval (\(pending.approvals.count) of \(pending.required))"
        }
        return "active"
    }

    /// The row of `users` (who may sign, with what): nil until accepted, and for a founding
    /// administrator until every founder has accepted (nothing else may be written before).
    public func userRecord(registerOpen: Bool) -> UserRecord? {
        guard acceptedSeq != nil, let publicKey, let key = try? PublicKey(base64: publicKey) else { return nil }
        guard registerOpen || !isFounder else { return nil }
        return UserRecord(
            userID: userID, name: name, roles: roles.map(\.rawValue), rank: rank, headOfPaidService: headOfPaidService,
            publicKey: key, enrolledSeq: invitedSeq, revokedSeq: revokedSeq)
    }
}
