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
        var query = FastStatement(try db.cachedStatement(
            sql: "SELECT COUNT(*) FROM views WHERE profile_key = ? AND outcome = 'initial' AND time_ms >= ?"))
        query.bind(profileKey)
        query.bind(since?.millisecondsSince1970 ?? Int64.min)
        return Int(try query.fetchOne(db) { $0.int64(0) } ?? 0)
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
    /// Records a view in the projection.
    public func saveView(_ view: ViewRecord) throws {
        var insert = FastStatement(try db.cachedStatement(
            sql: "INSERT INTO views (seq, profile_key, time_ms, viewer, case_ref, urn, outcome) VALUES (?, ?, ?, ?, ?, ?, ?)"))
        insert.bind(Int64(view.seq))
        insert.bind(view.profileKey)
        insert.bind(view.time.millisecondsSince1970)
        insert.bind(view.viewer)
        insert.bind(view.caseRef)
        insert.bind(view.urn)
        insert.bind(view.outcome.rawValue)
        try insert.run(db)
    }
}
