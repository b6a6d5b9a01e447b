/// A projection table: its columns (the ones its rows' tag covers, in order) and its key.
///
/// `ProjectionTable.all` is the one list of projections: a new projection gets an entry here,
/// a table in each backend (for SQLite, `Schemas/register.sql`, with a `mac` column), and its
/// writer passes the same values to `ProjectionAuthenticator.tag`; key rotation and rebuild
/// work from this list.
public struct ProjectionTable: Sendable, Hashable {
    /// The table's name (also bound into each tag, so a row cannot move between tables).
    public let name: String
    /// Every column, in the order the tag covers them.
    public let columns: [String]
    /// The primary key's columns.
    public let key: [String]
    /// Columns whose values are unique across the table besides the key.
    public let unique: [String]

    init(name: String, columns: [String], key: [String], unique: [String] = []) {
        self.name = name
        self.columns = columns
        self.key = key
        self.unique = unique
    }

    /// The positions of the key's columns in `columns`.
    public var keyIndices: [Int] { key.map { columns.firstIndex(of: $0)! } }

    /// The position of a column in `columns`.
    public func index(of column: String) -> Int {
        guard let index = columns.firstIndex(of: column) else { preconditionFailure("\(name) has no column \(column)") }
        return index
    }

    /// The register's state: the verifier key and the pack in force (tagged projections), and
    /// the format and origin (written when the store is made, before any key; never tagged).
    public static let meta = ProjectionTable(name: "register_meta", columns: ["key", "value"], key: ["key"])
    /// The meta rows that are not projections: a rebuild keeps them and they carry no tag.
    public static let fixedMetaKeys: Set<String> = ["format", "origin"]
    /// Users who may sign (`user.*` entries).
    public static let users = ProjectionTable(
        name: "users",
        columns: ["user_id", "name", "roles", "rank", "head_of_paid_service", "public_key", "enrolled_seq", "revoked_seq"],
        key: ["user_id"], unique: ["public_key"])
    /// Each person's account document (invitation, keys, roles awaiting approval).
    public static let accounts = ProjectionTable(name: "accounts", columns: ["user_id", "document"], key: ["user_id"])
    /// Cases: the canonical JSON document of each application or authorisation.
    public static let authorisations = ProjectionTable(
        name: "authorisations", columns: ["urn", "type", "year", "document", "updated_seq"], key: ["urn"])
    /// The index from profile to the cases naming it.
    public static let authorisationProfiles = ProjectionTable(
        name: "authorisation_profiles", columns: ["profile_key", "urn"], key: ["profile_key", "urn"])
    /// Looks at profiles, keyed (and, in SQLite, clustered) by profile.
    public static let views = ProjectionTable(
        name: "views", columns: ["profile_key", "seq", "time_ms", "viewer", "case_ref", "urn", "outcome"],
        key: ["profile_key", "seq"])
    /// Profile keys recorded as one account (`profile.aliased`).
    public static let profileAliases = ProjectionTable(
        name: "profile_aliases", columns: ["profile_key", "group_key", "seq"], key: ["profile_key"])

    /// Every projection table.
    public static let all: [ProjectionTable] = [.meta, .users, .accounts, .authorisations, .authorisationProfiles, .views, .profileAliases]
}
