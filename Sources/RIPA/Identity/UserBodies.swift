import Ledger

/// Body of a `user.invited` entry: an administrator (or, for a founding administrator, the
/// register key at `init`) enrols a person. No key yet: the person makes their own when they
/// accept, so no administrator ever knows it.
public struct UserInvitation: Sendable, Hashable, Codable {
    /// The id used with `--as`.
    public var userID: String
    /// Full name.
    public var name: String
    /// The roles asked for. Privileged ones (monitoring-officer, administrator) take effect
    /// only once approved by other administrators (`user.approved`).
    public var roles: [Role]
    /// Rank or grade (the central record names the authorising officer's rank).
    public var rank: String
    /// Head of paid service: may authorise where confidential information is likely (RIPA.md §3).
    public var headOfPaidService: Bool
    /// Lower-case hex SHA-256 of the code's proof (`InvitationCode`): the code itself is never written.
    public var codeHash: String
    /// The end of the invitation's validity; an acceptance after it is refused.
    public var expiresAt: EntryTime

    /// When the signer last gave their passphrase (`SignerAuthentication`): stamped from the
    /// actor by the register as it appends; absent in entries written before the member existed.
    public var authenticatedAt: EntryTime? = nil

    enum CodingKeys: String, CodingKey {
        case userID = "user_id", name, roles, rank, headOfPaidService = "head_of_paid_service", codeHash = "code_hash",
            expiresAt = "expires_at", authenticatedAt = "authenticated_at"
    }

    /// Makes an invitation.
    public init(userID: String, name: String, roles: [Role], rank: String, headOfPaidService: Bool, codeHash: String, expiresAt: EntryTime) {
        self.userID = userID
        self.name = name
        self.roles = roles
        self.rank = rank
        self.headOfPaidService = headOfPaidService
        self.codeHash = codeHash
        self.expiresAt = expiresAt
    }
}

/// Body of a `user.accepted` entry, signed by the key it names (proof of possession).
public struct UserAcceptance: Sendable, Hashable, Codable {
    /// Who accepts.
    public var userID: String
    /// The `user.invited` entry accepted.
    public var invitation: UInt64
    /// The person's new Ed25519 public key, base64: it signs this entry.
    public var publicKey: String
    /// Lower-case hex of the code's first hash; its SHA-256 is the invitation's `code_hash`.
    public var codeProof: String

    enum CodingKeys: String, CodingKey { case userID = "user_id", invitation, publicKey = "public_key", codeProof = "code_proof" }

    /// Makes an acceptance.
    public init(userID: String, invitation: UInt64, publicKey: String, codeProof: String) {
        self.userID = userID
        self.invitation = invitation
        self.publicKey = publicKey
        self.codeProof = codeProof
    }
}

/// Body of a `user.approved` entry: an administrator other than the one who asked, and other
/// than the person, approves a grant of privileged roles (two-person control, RIPA.md §3).
public struct UserApproval: Sendable, Hashable, Codable {
    /// Whose roles.
    public var userID: String
    /// The entry that asked for them (`user.invited` or `user.roles-changed`).
    public var request: UInt64
    /// The privileged roles approved: exactly those awaiting approval.
    public var roles: [Role]

    /// When the signer last gave their passphrase (`SignerAuthentication`): stamped from the
    /// actor by the register as it appends; absent in entries written before the member existed.
    public var authenticatedAt: EntryTime? = nil

    enum CodingKeys: String, CodingKey { case userID = "user_id", request, roles, authenticatedAt = "authenticated_at" }

    /// Makes an approval.
    public init(userID: String, request: UInt64, roles: [Role]) {
        self.userID = userID
        self.request = request
        self.roles = roles
    }
}

/// Body of a `user.key-replaced` entry, signed by the user's key in force (the old one): from
/// this entry on only the new key signs for them, so a copy of the old sealed key is worthless.
public struct UserKeyReplacement: Sendable, Hashable, Codable {
    /// Whose key.
    public var userID: String
    /// The new public key, base64.
    public var publicKey: String
    /// The key replaced (the signer of this entry), base64.
    public var previousPublicKey: String

    enum CodingKeys: String, CodingKey { case userID = "user_id", publicKey = "public_key", previousPublicKey = "previous_public_key" }

    /// Makes a replacement.
    public init(userID: String, publicKey: String, previousPublicKey: String) {
        self.userID = userID
        self.publicKey = publicKey
        self.previousPublicKey = previousPublicKey
    }
}

/// Body of a `user.roles-changed` entry.
public struct UserRolesChange: Sendable, Hashable, Codable {
    /// Whose roles change.
    public var userID: String
    /// The roles asked for from this entry on; privileged ones not already held wait for approval.
    public var roles: [Role]
    /// When the signer last gave their passphrase (`SignerAuthentication`): stamped from the
    /// actor by the register as it appends; absent in entries written before the member existed.
    public var authenticatedAt: EntryTime? = nil

    enum CodingKeys: String, CodingKey { case userID = "user_id", roles, authenticatedAt = "authenticated_at" }
    /// Makes a change.
    public init(userID: String, roles: [Role]) {
        self.userID = userID
        self.roles = roles
    }
}

/// Body of a `user.revoked` entry.
public struct UserRevocation: Sendable, Hashable, Codable {
    /// Who is revoked (or whose invitation is withdrawn); they can sign nothing from this entry on.
    public var userID: String
    /// Why.
    public var reason: String
    /// When the signer last gave their passphrase (`SignerAuthentication`): stamped from the
    /// actor by the register as it appends; absent in entries written before the member existed.
    public var authenticatedAt: EntryTime? = nil

    enum CodingKeys: String, CodingKey { case userID = "user_id", reason, authenticatedAt = "authenticated_at" }
    /// Makes a revocation.
    public init(userID: String, reason: String) {
        self.userID = userID
        self.reason = reason
    }
}
