import Foundation
import GRDB
import Ledger

extension RegisterReader {
    /// The stored account of a user (the domain's JSON), or nil.
    public func accountDocument(userID: String) throws -> JSONValue? {
        guard let data = try Data.fetchOne(try db.cachedStatement(sql: "SELECT document FROM accounts WHERE user_id = ?"), arguments: [userID]) else {
            return nil
        }
        return try JSONValue(parsing: [UInt8](data))
    }

    /// Every stored account, by user id.
    public func accountDocuments() throws -> [(userID: String, document: JSONValue)] {
        try Row.fetchAll(try db.cachedStatement(sql: "SELECT user_id, document FROM accounts ORDER BY user_id")).map {
            ($0[0] as String, try JSONValue(parsing: [UInt8]($0[1] as Data)))
        }
    }
}

extension RegisterWriter {
    /// Inserts or replaces a user's account document.
    public func saveAccountDocument(_ document: JSONValue, userID: String) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO accounts (user_id, document) VALUES (?, ?)",
            arguments: [userID, Data(document.canonicalBytes)])
    }
}
