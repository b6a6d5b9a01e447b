import Foundation
import GRDB
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

    /// The columns `init(columns:)` reads, in its order (by position: every append looks a user up).
    /// They are also `ProjectionTable.users.columns`, the columns the row's tag covers.
    static let columns = "user_id, name, roles, rank, head_of_paid_service, public_key, enrolled_seq, revoked_seq"

    init(columns row: FastStatement.Columns) throws {
        self.init(
            userID: row.text(0), name: row.text(1),
            roles: row.text(2).split(separator: ",").map(String.init), rank: row.text(3),
            headOfPaidService: row.int64(4) != 0,
            publicKey: try PublicKey(bytes: row.blob(5)),
            enrolledSeq: UInt64(row.int64(6)),
            revokedSeq: row.isNull(7) ? nil : UInt64(row.int64(7)))
    }
}

extension RegisterReader {
    /// Decodes a row of `SELECT columns, mac`, checking its tag when this reader holds the key.
    private func user(row: FastStatement.Columns) throws -> UserRecord {
        let user = try UserRecord(columns: row)
        if let authenticator {
            // `columns` lists the table's tagged columns in order; the mac follows them.
            let count = Int32(ProjectionTable.users.columns.count)
            let values = (0..<count).map { ProjectionValue(row, $0) }
            try authenticator.check(.users, values, tag: row.isNull(count) ? nil : row.blob(count), row: "user \(user.userID)")
        }
        return user
    }

    /// Every user, enrolled order.
    public func users() throws -> [UserRecord] {
        try FastStatement(try db.cachedStatement(sql: "SELECT \(UserRecord.columns), mac FROM users ORDER BY enrolled_seq"))
            .fetchAll(db, user(row:))
    }

    /// The user with this id, or nil.
    public func user(id: String) throws -> UserRecord? {
        var query = FastStatement(try db.cachedStatement(sql: "SELECT \(UserRecord.columns), mac FROM users WHERE user_id = ?"))
        query.bind(id)
        return try query.fetchOne(db, user(row:))
    }

    /// The user holding this public key, or nil.
    public func user(publicKey: PublicKey) throws -> UserRecord? {
        var query = FastStatement(try db.cachedStatement(sql: "SELECT \(UserRecord.columns), mac FROM users WHERE public_key = ?"))
        query.bind(publicKey.bytes)
        return try query.fetchOne(db, user(row:))
    }
}

extension RegisterWriter {
    /// Inserts or replaces a user's projection row, tagged.
    public func saveUser(_ user: UserRecord) throws {
        let values: [ProjectionValue] = [
            .text(user.userID), .text(user.name), .text(user.roles.joined(separator: ",")), .text(user.rank),
            .integer(user.headOfPaidService ? 1 : 0), .blob(user.publicKey.bytes), .integer(Int64(user.enrolledSeq)),
            user.revokedSeq.map { .integer(Int64($0)) } ?? .null,
        ]
        let mac = try tag(.users, values)
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO users
                (user_id, name, roles, rank, head_of_paid_service, public_key, enrolled_seq, revoked_seq, mac)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                user.userID, user.name, user.roles.joined(separator: ","), user.rank, user.headOfPaidService ? 1 : 0,
                Data(user.publicKey.bytes), Int64(user.enrolledSeq), user.revokedSeq.map { Int64($0) }, Data(mac),
            ])
    }
}
