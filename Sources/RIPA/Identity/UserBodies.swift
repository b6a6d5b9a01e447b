/// Body of a `user.enrolled` entry.
public struct UserEnrolment: Sendable, Hashable, Codable {
    /// The id used with `--as`.
    public var userID: String
    /// Full name.
    public var name: String
    /// Roles held from this entry on.
    public var roles: [Role]
    /// Rank or grade (the central record names the authorising officer's rank).
    public var rank: String
    /// Head of paid service: may authorise where confidential information is likely (RIPA.md §3).
    public var headOfPaidService: Bool
    /// The user's Ed25519 public key, base64.
    public var publicKey: String

    enum CodingKeys: String, CodingKey {
        case userID = "user_id", name, roles, rank, headOfPaidService = "head_of_paid_service", publicKey = "public_key"
    }

    /// Makes an enrolment.
    public init(userID: String, name: String, roles: [Role], rank: String, headOfPaidService: Bool, publicKey: String) {
        self.userID = userID
        self.name = name
        self.roles = roles
        self.rank = rank
        self.headOfPaidService = headOfPaidService
        self.publicKey = publicKey
    }

    /// The name and rank are single-line text (`TextField`): they are printed in `user list`
    /// and the central record, where a line break would forge a row. Checked when a user is
    /// enrolled and again by `verify --replay`.
    public func checkText() throws(RIPAError) {
        try TextField.check(name, "name")
        try TextField.check(rank, "rank")
    }
}

/// Body of a `user.roles-changed` entry.
public struct UserRolesChange: Sendable, Hashable, Codable {
    /// Whose roles change.
    public var userID: String
    /// The roles held from this entry on.
    public var roles: [Role]
    enum CodingKeys: String, CodingKey { case userID = "user_id", roles }
    /// Makes a change.
    public init(userID: String, roles: [Role]) {
        self.userID = userID
        self.roles = roles
    }
}

/// Body of a `user.revoked` entry.
public struct UserRevocation: Sendable, Hashable, Codable {
    /// Who is revoked; they can sign nothing from this entry on.
    public var userID: String
    /// Why.
    public var reason: String
    enum CodingKeys: String, CodingKey { case userID = "user_id", reason }
    /// Makes a revocation.
    public init(userID: String, reason: String) {
        self.userID = userID
        self.reason = reason
    }
}
