import Ledger

/// An invitation as issued (`UserService.invite`, and each founder's at creation): the
/// one-time code is in it, to show once; only its hash is in the register.
public struct InvitationIssued: Sendable, Hashable, Codable {
    /// Who is invited.
    public var userID: String
    /// The one-time code, in groups of four.
    public var code: String
    /// Until when it can be accepted.
    public var expiresAt: EntryTime
    /// The `user.invited` entry.
    public var seq: UInt64
    /// Privileged roles that wait for other administrators' approval.
    public var awaitingApproval: [Role]

    enum CodingKeys: String, CodingKey {
        case userID = "user_id", code, expiresAt = "expires_at", seq, awaitingApproval = "awaiting_approval"
    }

    /// The result of an issued invitation.
    public init(_ issued: IssuedInvitation) {
        userID = issued.userID
        code = issued.code.description
        expiresAt = issued.expiresAt
        seq = issued.entry.seq
        awaitingApproval = issued.awaitingApproval
    }
}

/// An accepted invitation (`UserService.accept`).
public struct InvitationAccepted: Sendable, Hashable, Codable {
    /// Who accepted.
    public var userID: String
    /// The `user.accepted` entry.
    public var seq: UInt64
    /// Whether the register is open now (every founding administrator has accepted).
    public var registerOpen: Bool

    enum CodingKeys: String, CodingKey { case userID = "user_id", seq, registerOpen = "register_open" }
}

/// Privileged roles asked for and not yet approved, as `user show --json` prints them.
public struct PendingRoles: Sendable, Hashable, Codable {
    /// The privileged roles waiting.
    public var roles: [Role]
    /// The administrator who asked.
    public var requestedBy: String
    /// The entry that asked.
    public var requestSeq: UInt64
    /// Administrators who approved so far.
    public var approvals: [String]
    /// Approvals needed.
    public var required: Int

    enum CodingKeys: String, CodingKey {
        case roles, requestedBy = "requested_by", requestSeq = "request_seq", approvals, required
    }

    init(_ request: Account.RoleRequest) {
        roles = request.roles
        requestedBy = request.requestedBy
        requestSeq = request.seq
        approvals = request.approvals
        required = request.required
    }
}

/// A change to an account (approval, roles, revocation, passphrase): the entry and what the
/// account holds after it.
public struct UserChange: Sendable, Hashable, Codable {
    /// The user changed.
    public var userID: String
    /// The entry.
    public var seq: UInt64
    /// The roles in force after it (empty for a revocation).
    public var roles: [Role]
    /// Privileged roles still awaiting approval, if any.
    public var awaitingApproval: PendingRoles?

    enum CodingKeys: String, CodingKey { case userID = "user_id", seq, roles, awaitingApproval = "awaiting_approval" }
}

/// One account as `user list` and `user show` report it.
public struct UserSummary: Sendable, Hashable, Codable {
    /// The id used with `--as`.
    public var userID: String
    /// Full name.
    public var name: String
    /// Roles in force.
    public var roles: [Role]
    /// Rank or grade.
    public var rank: String
    /// Head of paid service.
    public var headOfPaidService: Bool
    /// The key in force, base64; nil until accepted.
    public var publicKey: String?
    /// The `user.invited` entry.
    public var enrolledSeq: UInt64
    /// The administrator who invited them; nil for a founding administrator (the register key).
    public var invitedBy: String?
    /// The `user.accepted` entry.
    public var acceptedSeq: UInt64?
    /// The `user.revoked` entry.
    public var revokedSeq: UInt64?
    /// Privileged roles awaiting approval.
    public var awaitingApproval: PendingRoles?
    /// Keys replaced by `user passwd`.
    public var keysReplaced: Int
    /// Where the account stands, in words, at the register's clock.
    public var status: String

    enum CodingKeys: String, CodingKey {
        case userID = "user_id", name, roles, rank, headOfPaidService = "head_of_paid_service", publicKey = "public_key",
            enrolledSeq = "enrolled_seq", invitedBy = "invited_by", acceptedSeq = "accepted_seq", revokedSeq = "revoked_seq",
            awaitingApproval = "awaiting_approval", keysReplaced = "keys_replaced", status
    }

    init(_ account: Account, registerOpen: Bool, at time: EntryTime) {
        userID = account.userID
        name = account.name
        roles = account.roles
        rank = account.rank
        headOfPaidService = account.headOfPaidService
        publicKey = account.publicKey
        enrolledSeq = account.invitedSeq
        invitedBy = account.invitedBy
        acceptedSeq = account.acceptedSeq
        revokedSeq = account.revokedSeq
        awaitingApproval = account.pending.map(PendingRoles.init)
        keysReplaced = account.retiredKeys.count
        status = account.status(registerOpen: registerOpen, at: time)
    }

    // Absent values are written as null, as the CLI's `--json` always has.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(userID, forKey: .userID)
        try container.encode(name, forKey: .name)
        try container.encode(roles, forKey: .roles)
        try container.encode(rank, forKey: .rank)
        try container.encode(headOfPaidService, forKey: .headOfPaidService)
        try container.encode(publicKey, forKey: .publicKey)
        try container.encode(enrolledSeq, forKey: .enrolledSeq)
        try container.encode(invitedBy, forKey: .invitedBy)
        try container.encode(acceptedSeq, forKey: .acceptedSeq)
        try container.encode(revokedSeq, forKey: .revokedSeq)
        try container.encode(awaitingApproval, forKey: .awaitingApproval)
        try container.encode(keysReplaced, forKey: .keysReplaced)
        try container.encode(status, forKey: .status)
    }
}

/// A rotation of the register key (`UserService.rotateRegisterKey`).
public struct RegisterKeyRotated: Sendable, Hashable, Codable {
    /// The new verifier key, to publish.
    public var verifierKey: String

    enum CodingKeys: String, CodingKey { case verifierKey = "verifier_key" }
}
