import Ledger

/// A user who may sign, as the register currently knows them: a projection of the user
/// entries (an accepted invitation, the key in force, the roles in force, any revocation).
public struct UserRecord: Sendable, Hashable {
    /// The short id used with `--as`.
    public var userID: String
    /// Full name.
    public var name: String
    /// Role names (the domain decides which exist).
    public var roles: [String]
    /// Rank or grade (the central record names the authorising officer's rank).
    public var rank: String
    /// Whether the user is the head of paid service (may authorise where confidential
    /// information is likely).
    public var headOfPaidService: Bool
    /// The user's Ed25519 public key: the `signer` of their entries.
    public var publicKey: PublicKey
    /// The entry that enrolled them.
    public var enrolledSeq: UInt64
    /// The entry that revoked them, if any.
    public var revokedSeq: UInt64?

    /// Makes a record.
    public init(
        userID: String, name: String, roles: [String], rank: String, headOfPaidService: Bool,
        publicKey: PublicKey, enrolledSeq: UInt64, revokedSeq: UInt64? = nil
    ) {
        self.userID = userID
        self.name = name
        self.roles = roles
        self.rank = rank
        self.headOfPaidService = headOfPaidService
        self.publicKey = publicKey
        self.enrolledSeq = enrolledSeq
        self.revokedSeq = revokedSeq
    }

    /// Whether the user may still act.
    public var isActive: Bool { revokedSeq == nil }

    /// The row's values, in `ProjectionTable.users.columns` order.
    var values: [ProjectionValue] {
        [
            .text(userID), .text(name), .text(roles.joined(separator: ",")), .text(rank),
            .integer(headOfPaidService ? 1 : 0), .blob(publicKey.bytes), .integer(Int64(enrolledSeq)),
            revokedSeq.map { .integer(Int64($0)) } ?? .null,
        ]
    }

    init(values v: [ProjectionValue]) throws {
        let what = "a users row"
        let roles = try v[2].text(what)
        self.init(
            userID: try v[0].text(what), name: try v[1].text(what),
            roles: roles.split(separator: ",").map(String.init), rank: try v[3].text(what),
            headOfPaidService: try v[4].integer(what) != 0,
            publicKey: try PublicKey(bytes: try v[5].blob(what)),
            enrolledSeq: UInt64(try v[6].integer(what)),
            revokedSeq: try v[7].optionalInteger(what).map { UInt64($0) })
    }
}

extension RegisterReader {
    /// Decodes a users row, checking its tag when this reader holds the key.
    private func user(row: StoredRow) throws -> UserRecord {
        let id = (try? row.values[0].text("")) ?? "?"
        return try UserRecord(values: try checked(.users, row, what: "user \(id)").values)
    }

    /// Every user, enrolled order.
    public func users() throws -> [UserRecord] {
        try storage.rows(.users, after: nil, limit: Int.max).map(user(row:)).sorted { $0.enrolledSeq < $1.enrolledSeq }
    }

    /// The user with this id, or nil.
    public func user(id: String) throws -> UserRecord? {
        try storage.row(.users, key: [.text(id)]).map(user(row:))
    }

    /// The user holding this public key, or nil.
    public func user(publicKey: PublicKey) throws -> UserRecord? {
        try storage.rows(.users, where: "public_key", is: .blob(publicKey.bytes)).first.map(user(row:))
    }
}

extension RegisterWriter {
    /// Inserts or replaces a user's projection row, tagged.
    public func saveUser(_ user: UserRecord) throws {
        try put(.users, user.values)
    }
}
