import Foundation
import GRDB
import GRDBSQLite
import Ledger

/// A column value of a projection row, as SQLite stores it (its storage class matters: the
/// text "1" and the integer 1 are different values to the MAC).
public enum ProjectionValue: Sendable, Hashable, CustomStringConvertible {
    /// An INTEGER.
    case integer(Int64)
    /// A TEXT value (UTF-8).
    case text(String)
    /// A BLOB.
    case blob([UInt8])
    /// NULL.
    case null

    /// The value as a person reads it in an error message.
    public var description: String {
        switch self {
        case .integer(let v): "\(v)"
        case .text(let v): v
        case .blob(let v): "\(v.count) bytes"
        case .null: "NULL"
        }
    }

    init(_ value: DatabaseValue) {
        switch value.storage {
        case .int64(let v): self = .integer(v)
        case .string(let v): self = .text(v)
        case .blob(let v): self = .blob([UInt8](v))
        case .null: self = .null
        // The register never stores a real number in a projection: it cannot match a MAC.
        case .double(let v): self = .text("real \(v)")
        }
    }

    init(_ columns: FastStatement.Columns, _ index: Int32) {
        switch columns.type(index) {
        case SQLITE_INTEGER: self = .integer(columns.int64(index))
        case SQLITE_TEXT: self = .text(columns.text(index))
        case SQLITE_BLOB: self = .blob(columns.blob(index))
        case SQLITE_NULL: self = .null
        default: self = .text("real")
        }
    }
}

/// A projection table and the columns its rows' MAC covers.
///
/// `ProjectionTable.all` is the one list of authenticated projections: a new projection table
/// gets a `mac BLOB` column in `Schemas/register.sql` and an entry here, and its writer passes
/// the same values to `ProjectionAuthenticator.tag`; key rotation re-tags it from this list.
public struct ProjectionTable: Sendable {
    /// The SQL table name (also bound into each tag, so a row cannot move between tables).
    public let name: String
    /// Every column except `mac`, in the order the tag covers them.
    public let columns: [String]
    /// The primary key's columns.
    let key: [String]
    /// Which rows are projections (nil: every row).
    let filter: String?

    /// Users (`user.*` entries).
    public static let users = ProjectionTable(
        name: "users",
        columns: ["user_id", "name", "roles", "rank", "head_of_paid_service", "public_key", "enrolled_seq", "revoked_seq"],
        key: ["user_id"], filter: nil)
    /// Cases: the canonical JSON document of each application or authorisation.
    public static let authorisations = ProjectionTable(
        name: "authorisations", columns: ["urn", "type", "year", "document", "updated_seq"], key: ["urn"], filter: nil)
    /// The index from profile to the cases naming it.
    public static let authorisationProfiles = ProjectionTable(
        name: "authorisation_profiles", columns: ["profile_key", "urn"], key: ["profile_key", "urn"], filter: nil)
    /// Looks at profiles.
    public static let views = ProjectionTable(
        name: "views", columns: ["profile_key", "seq", "time_ms", "viewer", "case_ref", "urn", "outcome"],
        key: ["profile_key", "seq"], filter: nil)
    /// The projected register state (verifier key, pack in force); `format` and `origin` are
    /// written when the file is created, before there is a key, and are not projections.
    public static let meta = ProjectionTable(
        name: "register_meta", columns: ["key", "value"], key: ["key"], filter: "key NOT IN ('format', 'origin')")

    /// Every authenticated projection table.
    /// Each person's account document (invitation, keys, roles awaiting approval).
    public static let accounts = ProjectionTable(name: "accounts", columns: ["user_id", "document"], key: ["user_id"], filter: nil)
    /// Profile keys recorded as one account (`profile.aliased`).
    public static let profileAliases = ProjectionTable(
        name: "profile_aliases", columns: ["profile_key", "group_key", "seq"], key: ["profile_key"], filter: nil)

    public static let all: [ProjectionTable] = [.meta, .users, .accounts, .authorisations, .authorisationProfiles, .views, .profileAliases]
}

/// Authenticates projection rows with a key the database does not hold, so that the live
/// register never takes a decision from a row edited outside it (DESIGN.md "Trust").
///
/// The key is BLAKE2b-256 keyed with the register signing key's seed over a fixed context:
/// whoever can sign checkpoints can tag rows, nobody holding only the database can. Each
/// row's tag is BLAKE2b-128 over the table name and its columns, each with its storage class
/// and length. A tag covers one row: it shows a row was changed or made up, not that a row
/// was deleted or put back as it was earlier (`verify --replay` compares every row with the log).
///
/// `ripa key rotate` re-tags every row under the new key in the rotation's own transaction,
/// after checking every row under the old key (a rotation never launders an edited row).
public struct ProjectionAuthenticator: Sendable {
    /// The derivation context; a new tag format gets a new context.
    static let context = "ripa-register/projection-mac/v1"
    private let hash: KeyedHash

    /// The authenticator of the register key `registerKey`.
    public init(registerKey: NoteSignerKey) {
        hash = KeyedHash(deriving: registerKey.signingKey.seed, context: Self.context)
    }

    static func message(_ table: ProjectionTable, _ values: [ProjectionValue]) -> [UInt8] {
        var message: [UInt8] = []
        message.reserveCapacity(192)
        message.append(contentsOf: table.name.utf8)
        message.append(0)
        func length(_ count: Int) {
            withUnsafeBytes(of: UInt32(count).bigEndian) { message.append(contentsOf: $0) }
        }
        for value in values {
            switch value {
            case .null:
                message.append(0)
            case .integer(let v):
                message.append(1)
                withUnsafeBytes(of: v.bigEndian) { message.append(contentsOf: $0) }
            case .text(let v):
                message.append(2)
                length(v.utf8.count)
                message.append(contentsOf: v.utf8)
            case .blob(let v):
                message.append(3)
                length(v.count)
                message.append(contentsOf: v)
            }
        }
        return message
    }

    /// The tag of a row of `table` with these column values (in `table.columns` order).
    public func tag(_ table: ProjectionTable, _ values: [ProjectionValue]) -> [UInt8] {
        hash.tag(Self.message(table, values))
    }

    /// Checks a stored row's tag.
    ///
    /// - Throws: `StoreError.projectionTampered` naming the row and what to run.
    func check(_ table: ProjectionTable, _ values: [ProjectionValue], tag: [UInt8]?, row: @autoclosure () -> String) throws {
        guard let tag, hash.isValid(tag, for: Self.message(table, values)) else {
            throw StoreError.tampered(row())
        }
    }
}

extension StoreError {
    /// A projection row whose tag does not match: edited, inserted or moved outside the register.
    static func tampered(_ row: String) -> StoreError {
        StoreError(.projectionTampered, "the stored projection of \(row) was changed outside the register, so no decision is taken from it; run `ripa verify --replay`, then `ripa rebuild --as ADMIN`")
    }
}

extension RegisterReader {
    /// Checks the tag of a projection row read with its `mac` column (any query naming the
    /// table's columns), when this reader holds the register key. A new projection table's
    /// reads call this with its `ProjectionTable`.
    ///
    /// - Throws: `StoreError.projectionTampered` naming `what`.
    public func checkTag(_ table: ProjectionTable, _ row: Row, what: @autoclosure () -> String) throws {
        guard let authenticator else { return }
        let values = table.columns.map { ProjectionValue(row[$0] as DatabaseValue) }
        try authenticator.check(table, values, tag: (row["mac"] as Data?).map { [UInt8]($0) }, row: what())
    }
}

extension RegisterWriter {
    /// The tag for a row this transaction writes.
    ///
    /// - Throws: `StoreError.corrupt` if the transaction was opened without the register key
    ///   (a projection row must never be written untagged).
    func tag(_ table: ProjectionTable, _ values: [ProjectionValue]) throws -> [UInt8] {
        guard let authenticator else {
            throw StoreError(.corrupt, "projection rows (\(table.name)) can only be written in a transaction holding the register key")
        }
        return authenticator.tag(table, values)
    }

    /// Checks every projection row under this transaction's key and tags it under `next`
    /// (key rotation), then writes later rows under `next` too.
    ///
    /// - Throws: `StoreError.projectionTampered` for the first row whose tag does not match
    ///   (nothing is re-tagged: the transaction rolls back).
    public func reauthenticateProjections(with next: ProjectionAuthenticator) throws {
        guard let current = authenticator else {
            throw StoreError(.corrupt, "re-tagging the projections needs the current register key")
        }
        for table in ProjectionTable.all {
            let columns = table.columns.joined(separator: ", ")
            let keyList = table.key.joined(separator: ", ")
            let keyIndices = table.key.map { table.columns.firstIndex(of: $0)! }
            let marks = Array(repeating: "?", count: table.key.count).joined(separator: ", ")
            let filter = table.filter.map { " AND (\($0))" } ?? ""
            let update = try db.makeStatement(sql: "UPDATE \(table.name) SET mac = ? WHERE (\(keyList)) = (\(marks))")
            var after: [DatabaseValue]?
            while true {
                // Pages in key order, so no update runs under an open cursor on the same table.
                let page = after.map { _ in " WHERE (\(keyList)) > (\(marks))" } ?? " WHERE 1"
                let rows = try Row.fetchAll(
                    db, sql: "SELECT \(columns), mac FROM \(table.name)\(page)\(filter) ORDER BY \(keyList) LIMIT 4096",
                    arguments: StatementArguments(after ?? []))
                if rows.isEmpty { break }
                for row in rows {
                    let values = (0..<table.columns.count).map { ProjectionValue(row[$0] as DatabaseValue) }
                    let stored: Data? = row[table.columns.count]
                    try current.check(table, values, tag: stored.map { [UInt8]($0) }, row: "\(table.name) row \(keyIndices.map { values[$0].description }.joined(separator: ", "))")
                    let keyValues = keyIndices.map { row[$0] as DatabaseValue }
                    try update.execute(arguments: StatementArguments([Data(next.tag(table, values)).databaseValue] + keyValues))
                }
                after = keyIndices.map { rows.last![$0] as DatabaseValue }
            }
        }
        authenticator = next
    }
}
