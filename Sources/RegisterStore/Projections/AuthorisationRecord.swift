import Foundation
import GRDB
import Ledger

/// The projected state of one application or authorisation, keyed by its URN.
///
/// The document is the domain's own JSON rendering of the case; the store keeps it as
/// canonical JSON and indexes the profiles it covers, so that the viewing gate finds the
/// authorisations covering a profile without scanning anything.
public struct AuthorisationRecord: Sendable, Hashable {
    /// Unique reference number, e.g. `DS-2026-0001`.
    public var urn: String
    /// The authorisation type's name.
    public var type: String
    /// The year in the URN (numbering restarts each year).
    public var year: Int
    /// The domain's projection of the case.
    public var document: JSONValue
    /// Profile keys named among the subjects' online identities.
    public var profiles: [String]
    /// The entry that last changed the case.
    public var updatedSeq: UInt64

    /// Makes a record.
    public init(urn: String, type: String, year: Int, document: JSONValue, profiles: [String], updatedSeq: UInt64) {
        self.urn = urn
        self.type = type
        self.year = year
        self.document = document
        self.profiles = profiles
        self.updatedSeq = updatedSeq
    }
}

extension RegisterReader {
    private func authorisation(row: Row) throws -> AuthorisationRecord {
        let urn: String = row["urn"]
        try checkTag(.authorisations, row, what: "case \(urn)")
        let rows = try Row.fetchAll(try db.cachedStatement(sql: "SELECT profile_key, urn, mac FROM authorisation_profiles WHERE urn = ? ORDER BY profile_key"), arguments: [urn])
        let profiles: [String] = try rows.map { profile in
            try checkProfileIndex(profile)
            return profile[0]
        }
        return AuthorisationRecord(
            urn: urn, type: row["type"], year: row["year"],
            document: try JSONValue(parsing: [UInt8](row["document"] as Data)),
            profiles: profiles, updatedSeq: UInt64(row["updated_seq"] as Int64))
    }

    /// Checks a row of `SELECT profile_key, urn, mac FROM authorisation_profiles` when this reader holds the key.
    private func checkProfileIndex(_ row: Row) throws {
        try checkTag(.authorisationProfiles, row, what: "the profile index of case \(row["urn"] as String? ?? "?")")
    }

    /// The case with this URN, or nil.
    public func authorisation(urn: String) throws -> AuthorisationRecord? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM authorisations WHERE urn = ?"), arguments: [urn]).map(authorisation(row:))
    }

    /// Every case, in URN order.
    public func authorisations() throws -> [AuthorisationRecord] {
        try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM authorisations ORDER BY urn")).map(authorisation(row:))
    }

    /// The cases naming this profile key among their subjects' online identities.
    public func authorisations(coveringProfile key: String) throws -> [AuthorisationRecord] {
        let index = try Row.fetchAll(
            try db.cachedStatement(sql: "SELECT profile_key, urn, mac FROM authorisation_profiles WHERE profile_key = ? ORDER BY urn"),
            arguments: [key])
        return try index.compactMap { row in
            try checkProfileIndex(row)
            return try authorisation(urn: row[1])
        }
    }

    /// How many cases of a type carry a URN of this year (the next number is this + 1).
    public func authorisationCount(type: String, year: Int) throws -> Int {
        try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM authorisations WHERE type = ? AND year = ?"), arguments: [type, year]) ?? 0
    }

    /// How many rows the profile index holds (`verify --replay` compares it with the log).
    public func authorisationProfileCount() throws -> Int {
        try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM authorisation_profiles")) ?? 0
    }
}

extension RegisterWriter {
    /// Inserts or replaces a case's projection, with its profile index, tagged.
    public func saveAuthorisation(_ record: AuthorisationRecord) throws {
        let document = record.document.canonicalBytes
        let mac = try tag(.authorisations, [
            .text(record.urn), .text(record.type), .integer(Int64(record.year)), .blob(document), .integer(Int64(record.updatedSeq)),
        ])
        try db.execute(
            sql: "INSERT OR REPLACE INTO authorisations (urn, type, year, document, updated_seq, mac) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [record.urn, record.type, record.year, Data(document), Int64(record.updatedSeq), Data(mac)])
        try db.execute(sql: "DELETE FROM authorisation_profiles WHERE urn = ?", arguments: [record.urn])
        let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO authorisation_profiles (profile_key, urn, mac) VALUES (?, ?, ?)")
        for profile in record.profiles {
            try insert.execute(arguments: [profile, record.urn, Data(try tag(.authorisationProfiles, [.text(profile), .text(record.urn)]))])
        }
    }
}
