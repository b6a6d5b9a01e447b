import Foundation
import GRDB
import Ledger

/// One look at a profile, allowed or refused: a projection of `view.recorded` and
/// `view.refused` entries, indexed by profile so the gate never scans the log.
public struct ViewRecord: Sendable, Hashable {
    /// How the gate decided.
    public enum Outcome: String, Sendable, Hashable {
        /// Allowed without an authorisation as the initial examination.
        case initial
        /// Allowed under a cited authorisation.
        case authorised
        /// Refused.
        case refused
    }

    /// The entry recording it.
    public var seq: UInt64
    /// The normalised profile key.
    public var profileKey: String
    /// When.
    public var time: EntryTime
    /// The viewer's user id.
    public var viewer: String
    /// The case reference given.
    public var caseRef: String
    /// The authorisation cited, if any.
    public var urn: String?
    /// The decision.
    public var outcome: Outcome

    /// Makes a record.
    public init(seq: UInt64, profileKey: String, time: EntryTime, viewer: String, caseRef: String, urn: String?, outcome: Outcome) {
        self.seq = seq
        self.profileKey = profileKey
        self.time = time
        self.viewer = viewer
        self.caseRef = caseRef
        self.urn = urn
        self.outcome = outcome
    }

    init(row: Row) throws {
        guard let outcome = Outcome(rawValue: row["outcome"]) else {
            throw StoreError(.corrupt, "view \(row["seq"] as Int64) has an unknown outcome")
        }
        self.init(
            seq: UInt64(row["seq"] as Int64), profileKey: row["profile_key"],
            time: EntryTime(millisecondsSince1970: row["time_ms"]), viewer: row["viewer"],
            caseRef: row["case_ref"], urn: row["urn"], outcome: outcome)
    }
}

extension RegisterReader {
    /// Allowed views without an authorisation of this profile since `since` (all time if nil).
    /// Not the gate's count: the gate counts every allowed look across the alias group
    /// (``allowedViewCount(profileKey:since:)``).
    public func initialViewCount(profileKey: String, since: EntryTime?) throws -> Int {
        try authenticateViews(profileKey: profileKey)
        var query = FastStatement(try db.cachedStatement(
            sql: "SELECT COUNT(*) FROM views WHERE profile_key = ? AND outcome = 'initial' AND time_ms >= ?"))
        query.bind(profileKey)
        query.bind(since?.millisecondsSince1970 ?? Int64.min)
        return Int(try query.fetchOne(db) { $0.int64(0) } ?? 0)
    }

    /// With the register key (a write transaction), checks the tag of every view row of the
    /// profile before the gate counts them: one contiguous run of the clustered table, so an
    /// edited outcome, time or viewer, a row made up or one moved here from another profile is
    /// caught before a decision relies on it. A row deleted or moved away is not visible here;
    /// `verify --replay` finds it.
    ///
    /// - Throws: `StoreError.projectionTampered`.
    ///
    /// - Returns: how many of the rows are allowed looks (initial or authorised) at or after
    ///   `since`, so the gate counts in the same pass.
    @discardableResult
    func authenticateViews(profileKey: String, countingAllowedSince since: EntryTime? = nil) throws -> Int {
        guard let authenticator else { return 0 }
        var query = FastStatement(try db.cachedStatement(
            sql: "SELECT profile_key, seq, time_ms, viewer, case_ref, urn, outcome, mac FROM views WHERE profile_key = ?"))
        query.bind(profileKey)
        let count = Int32(ProjectionTable.views.columns.count)
        let earliest = since?.millisecondsSince1970 ?? Int64.min
        let allowed = try query.fetchAll(db) { row -> Bool in
            let values = (0..<count).map { ProjectionValue(row, $0) }
            try authenticator.check(.views, values, tag: row.isNull(count) ? nil : row.blob(count), row: "the view at entry \(row.int64(1)) (\(profileKey))")
            return row.text(6) != ViewRecord.Outcome.refused.rawValue && row.int64(2) >= earliest
        }
        return allowed.count { $0 }
    }

    /// The view row recorded by entry `seq` for `profileKey`, or nil (`verify --replay` compares it with the log).
    public func view(profileKey: String, seq: UInt64) throws -> ViewRecord? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM views WHERE profile_key = ? AND seq = ?"), arguments: [profileKey, Int64(seq)])
            .map(ViewRecord.init(row:))
    }

    /// How many view rows are stored.
    public func viewCount() throws -> Int {
        try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM views")) ?? 0
    }

    /// Views allowed as initial examinations, across all profiles.
    public func initialViewCount() throws -> Int {
        try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM views WHERE outcome = 'initial'")) ?? 0
    }

    /// Views matching the filters (nil = any), oldest first.
    public func views(profileKey: String? = nil, caseRef: String? = nil, urn: String? = nil) throws -> [ViewRecord] {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let profileKey { clauses.append("profile_key = ?"); arguments += [profileKey] }
        if let caseRef { clauses.append("case_ref = ?"); arguments += [caseRef] }
        if let urn { clauses.append("urn = ?"); arguments += [urn] }
        let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        return try Row.fetchAll(db, sql: "SELECT * FROM views \(filter) ORDER BY seq", arguments: arguments)
            .map(ViewRecord.init(row:))
    }
}

extension RegisterWriter {
    /// Records a view in the projection, tagged.
    public func saveView(_ view: ViewRecord) throws {
        let mac = try tag(.views, [
            .text(view.profileKey), .integer(Int64(view.seq)), .integer(view.time.millisecondsSince1970), .text(view.viewer),
            .text(view.caseRef), view.urn.map { .text($0) } ?? .null, .text(view.outcome.rawValue),
        ])
        var insert = FastStatement(try db.cachedStatement(
            sql: "INSERT INTO views (seq, profile_key, time_ms, viewer, case_ref, urn, outcome, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"))
        insert.bind(Int64(view.seq))
        insert.bind(view.profileKey)
        insert.bind(view.time.millisecondsSince1970)
        insert.bind(view.viewer)
        insert.bind(view.caseRef)
        insert.bind(view.urn)
        insert.bind(view.outcome.rawValue)
        insert.bind(mac)
        try insert.run(db)
    }
}
